package dev.dala.ota.signer.etf;

import java.util.ArrayList;
import java.util.List;

/** Terms for tests outside this package, such as the fuzz seeds. */
public final class TestTerms {

  private TestTerms() {}

  public static List<ErlTerm> fuzzSeeds() {
    List<ErlTerm> seeds = new ArrayList<>();
    for (ErlTerm t : TermCorpus.edgeCases()) {
      if (EtfEncoder.encode(t).length < 4096) {
        seeds.add(t);
      }
    }
    seeds.addAll(new TermCorpus(99).random(200));
    return seeds;
  }
}
