package dev.dala.ota.server.keys;

import dev.dala.ota.server.config.OtaConfig;
import dev.dala.ota.server.error.ErrorCode;
import dev.dala.ota.server.error.OtaException;
import dev.dala.ota.signer.keys.PemKeys;
import dev.dala.ota.signer.trust.DocumentKind;
import dev.dala.ota.signer.trust.Role;
import dev.dala.ota.signer.trust.RoleCertificate;
import dev.dala.ota.signer.trust.SignedDocument;
import dev.dala.ota.signer.trust.SigningIdentity;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The server's online keys, read from a folder in the layout {@code ota keys} writes. For each
 * role it uses the certificate that is valid now and started last, so a new key dropped into
 * the folder takes over at the next {@link #reload()} without a gap. The folder never needs the
 * root's private key.
 */
@ApplicationScoped
public class ServerKeys {

  private static final Logger LOG = Logger.getLogger(ServerKeys.class);
  private static final Pattern ROOT = Pattern.compile("root-(\\d+)\\.etf");

  @Inject
  OtaConfig config;

  private volatile Map<Role, SigningIdentity> identities = Map.of();
  private volatile List<SignedDocument> roots = List.of();
  private volatile SignedDocument revocations;

  void onStart(@Observes StartupEvent event) {
    reload();
  }

  /** Re-reads the key folder. */
  public synchronized void reload() {
    Path dir = config.keys().dir();
    List<SignedDocument> chain = readRoots(dir);
    Map<Role, SigningIdentity> found = new EnumMap<>(Role.class);
    for (Role role : Role.values()) {
      SigningIdentity identity = newestValid(dir, role, chain, Instant.now());
      if (identity == null) {
        LOG.warnf("no valid %s key in %s: the server cannot sign %s documents", role.atom(), dir,
            role == Role.RELEASE ? "manifest" : "check-in");
      } else {
        found.put(role, identity);
      }
    }
    Path list = dir.resolve("revocations.etf");
    SignedDocument revoked = null;
    if (Files.exists(list)) {
      revoked = readDocument(list);
    }
    roots = List.copyOf(chain);
    identities = Map.copyOf(found);
    revocations = revoked;
  }

  /** The identity that signs {@code role} documents; fails when none is valid. */
  public SigningIdentity identity(Role role) {
    SigningIdentity identity = identities.get(role);
    Instant now = Instant.now();
    if (identity == null || !identity.certificate().isValidAt(now)) {
      reload();
      identity = identities.get(role);
    }
    if (identity == null || !identity.certificate().isValidAt(now)) {
      throw new OtaException(ErrorCode.SIGNING_UNAVAILABLE, "no valid " + role.atom() + " key is installed");
    }
    return identity;
  }

  public List<SignedDocument> roots() {
    return roots;
  }

  /** The current root-signed revocation list, or null when none is installed. */
  public SignedDocument revocations() {
    return revocations;
  }

  private static List<SignedDocument> readRoots(Path dir) {
    List<Path> files = list(dir).stream().filter(p -> ROOT.matcher(p.getFileName().toString()).matches())
        .sorted(Comparator.comparingLong(ServerKeys::rootVersion)).toList();
    List<SignedDocument> chain = new ArrayList<>();
    for (Path file : files) {
      SignedDocument doc = readDocument(file);
      if (doc.kind() != DocumentKind.ROOT) {
        throw new IllegalStateException(file + " is not a root document");
      }
      chain.add(doc);
    }
    return chain;
  }

  private static long rootVersion(Path file) {
    Matcher m = ROOT.matcher(file.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(1)) : 0;
  }

  private static SigningIdentity newestValid(Path dir, Role role, List<SignedDocument> roots, Instant now) {
    SigningIdentity best = null;
    for (Path cert : list(dir)) {
      String name = cert.getFileName().toString();
      if (!name.startsWith(role.atom() + "-") || !name.endsWith(".cert.etf")) {
        continue;
      }
      Path key = cert.resolveSibling(name.replace(".cert.etf", ".key.pem"));
      if (!Files.exists(key)) {
        continue;
      }
      try {
        SignedDocument document = readDocument(cert);
        RoleCertificate certificate = RoleCertificate.decode(document.payload());
        if (certificate.role() != role || !certificate.isValidAt(now)) {
          continue;
        }
        if (best == null || certificate.notBefore().isAfter(best.certificate().notBefore())) {
          best = new SigningIdentity(PemKeys.readSigningKey(Files.readString(key)), roots, document);
        }
      } catch (Exception e) {
        LOG.warnf("skipping %s: %s", cert, e.getMessage());
      }
    }
    return best;
  }

  private static SignedDocument readDocument(Path file) {
    try {
      return SignedDocument.decode(Files.readAllBytes(file));
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static List<Path> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("ota.keys.dir " + dir + " is not a folder");
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + dir, e);
    }
  }
}
