package dev.dala.ota.cli.keys;

import dev.dala.ota.cli.CliException;
import dev.dala.ota.cli.CliFiles;
import dev.dala.ota.cli.Json;
import dev.dala.ota.cli.bundle.Describe;
import dev.dala.ota.signer.keys.KeyFormatException;
import dev.dala.ota.signer.keys.PemKeys;
import dev.dala.ota.signer.trust.DocumentFormatException;
import dev.dala.ota.signer.trust.SignedDocument;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ota keys show}: what a key or trust document holds. */
@Command(name = "show", mixinStandardHelpOptions = true,
    description = "Describe PEM keys and signed documents (roots, certificates, revocation lists). "
        + "It does not verify signatures; bundle verify does.")
public final class ShowCommand implements Runnable {

  @Parameters(arity = "1..*", paramLabel = "FILE")
  List<Path> files;

  @Option(names = "--json", description = "Print JSON for machines.")
  boolean json;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    List<Map<String, Object>> all = new ArrayList<>();
    for (Path file : files) {
      all.add(describe(file));
    }
    var out = spec.commandLine().getOut();
    if (json) {
      Json.print(out, files.size() == 1 ? all.get(0) : all);
      return;
    }
    for (Map<String, Object> d : all) {
      Describe.printText(out, d);
      out.println();
    }
  }

  static Map<String, Object> describe(Path file) {
    byte[] bytes = CliFiles.read(file);
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("file", file.toString());
    String text = new String(bytes, StandardCharsets.US_ASCII);
    if (text.startsWith("-----BEGIN PRIVATE KEY-----")) {
      try {
        d.put("type", "ed25519_private_key");
        d.put("key_id", PemKeys.readSigningKey(text).keyId().hex());
        return d;
      } catch (KeyFormatException e) {
        throw CliException.badInput(file + ": " + e.getMessage());
      }
    }
    if (text.startsWith("-----BEGIN PUBLIC KEY-----")) {
      try {
        d.put("type", "ed25519_public_key");
        d.put("key_id", PemKeys.readVerifyingKey(text).keyId().hex());
        return d;
      } catch (KeyFormatException e) {
        throw CliException.badInput(file + ": " + e.getMessage());
      }
    }
    try {
      d.putAll(Describe.document(SignedDocument.decode(bytes)));
      return d;
    } catch (DocumentFormatException e) {
      throw CliException.badInput(file + ": not a PEM key or signed document: " + e.getMessage());
    }
  }
}
