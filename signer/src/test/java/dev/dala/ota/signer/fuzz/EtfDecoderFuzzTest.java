package dev.dala.ota.signer.fuzz;

import dev.dala.ota.signer.etf.EtfDecoder;
import dev.dala.ota.signer.etf.EtfEncoder;
import dev.dala.ota.signer.etf.EtfException;
import dev.dala.ota.signer.etf.EtfLimits;
import dev.dala.ota.signer.etf.TestTerms;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ETF decoder on mutated terms: typed errors only, and bounded allocation. */
class EtfDecoderFuzzTest {

  @Test
  void decoderOnlyFailsWithTypedErrorsAndBoundedAllocation() throws Exception {
    List<byte[]> seeds = TestTerms.fuzzSeeds().stream().map(EtfEncoder::encode).toList();
    // The decoder's own budget is 48 bytes per input byte; the JVM's real count must stay under 64.
    FuzzHarness.run("etf", 7, seeds, EtfException.class, 64,
        input -> EtfDecoder.decode(input, EtfLimits.DEFAULT));
  }
}
