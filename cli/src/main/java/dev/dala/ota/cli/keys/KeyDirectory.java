package dev.dala.ota.cli.keys;

import dev.dala.ota.cli.CliException;
import dev.dala.ota.cli.CliFiles;
import dev.dala.ota.signer.keys.KeyFormatException;
import dev.dala.ota.signer.keys.PemKeys;
import dev.dala.ota.signer.keys.SigningKey;
import dev.dala.ota.signer.trust.DocumentFormatException;
import dev.dala.ota.signer.trust.Role;
import dev.dala.ota.signer.trust.SignedDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The folder {@code ota keys} works in:
 *
 * <pre>
 * root-N.key.pem   root-N.pub.pem   root-N.etf            (root version N; keep the .key.pem offline)
 * ROLE-ID.key.pem  ROLE-ID.pub.pem  ROLE-ID.cert.etf      (ROLE is release or session, ID 16 hex digits)
 * revocations.etf                                         (the current revocation list)
 * </pre>
 */
public final class KeyDirectory {

  private static final Pattern ROOT_DOC = Pattern.compile("root-(\\d+)\\.etf");

  private final Path dir;

  public KeyDirectory(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  public Path rootDocument(long version) {
    return dir.resolve("root-" + version + ".etf");
  }

  public Path rootKey(long version) {
    return dir.resolve("root-" + version + ".key.pem");
  }

  public Path rootPublicKey(long version) {
    return dir.resolve("root-" + version + ".pub.pem");
  }

  public Path revocations() {
    return dir.resolve("revocations.etf");
  }

  public Path roleFile(Role role, String id, String suffix) {
    return dir.resolve(role.atom() + "-" + id + suffix);
  }

  /** The versions of root documents present, ascending. */
  public List<Long> rootVersions() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Long> versions = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(p -> {
        Matcher m = ROOT_DOC.matcher(p.getFileName().toString());
        if (m.matches()) {
          versions.add(Long.parseLong(m.group(1)));
        }
      });
    } catch (IOException e) {
      throw CliException.badInput(dir + ": " + e.getMessage());
    }
    versions.sort(null);
    return versions;
  }

  public long currentRootVersion() {
    List<Long> versions = rootVersions();
    if (versions.isEmpty()) {
      throw CliException.badInput(dir + " holds no root-N.etf; run ota keys init-root first");
    }
    return versions.get(versions.size() - 1);
  }

  /** Every root document from version 1 up, the chain devices walk. */
  public List<SignedDocument> rootChain() {
    List<SignedDocument> chain = new ArrayList<>();
    for (long version : rootVersions()) {
      chain.add(readDocument(rootDocument(version)));
    }
    return chain;
  }

  public static SignedDocument readDocument(Path file) {
    try {
      return SignedDocument.decode(CliFiles.read(file));
    } catch (DocumentFormatException e) {
      throw CliException.badInput(file + ": " + e.getMessage());
    }
  }

  public static SigningKey readSigningKey(Path file) {
    try {
      return PemKeys.readSigningKey(CliFiles.readText(file));
    } catch (KeyFormatException e) {
      throw CliException.badInput(file + ": " + e.getMessage());
    }
  }

  public void writeSecret(Path file, SigningKey key) {
    CliFiles.writeAtomically(file, PemKeys.writeSigningKey(key).getBytes(StandardCharsets.US_ASCII), true);
  }

  public void writePublic(Path file, SigningKey key) {
    CliFiles.writeAtomically(file, PemKeys.writeVerifyingKey(key.verifyingKey()).getBytes(StandardCharsets.US_ASCII), false);
  }

  public void writeDocument(Path file, SignedDocument document) {
    CliFiles.writeAtomically(file, document.encode(), false);
  }

  /** Refuses to overwrite a key: losing a root key strands every device that pins it. */
  public void requireAbsent(Path file) {
    if (Files.exists(file)) {
      throw new CliException(dev.dala.ota.cli.ExitCode.USAGE, file + " already exists; refusing to overwrite a key");
    }
  }
}
