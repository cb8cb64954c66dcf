package dev.dala.ota.release.support;

import com.dd.plist.NSArray;
import com.dd.plist.NSDate;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSNumber;
import com.dd.plist.NSString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Provisioning profiles shaped like Apple's: a property list in a CMS SignedData envelope. A
 * throwaway certificate stands in for Apple's, which the parser does not chain anyway.
 */
public final class Profiles {

  public static final String TEAM = "ABCDE12345";
  public static final String BUNDLE_ID = "com.example.dala";

  /** What to put in a profile. */
  public record Spec(String team, String appId, Instant expires, boolean devices, boolean debuggable) {
    public static Spec appStore() {
      return new Spec(TEAM, TEAM + "." + BUNDLE_ID, Instant.now().plus(Duration.ofDays(300)), false, false);
    }

    public Spec expiresAt(Instant when) {
      return new Spec(team, appId, when, devices, debuggable);
    }

    public Spec forApp(String id) {
      return new Spec(team, team + "." + id, expires, devices, debuggable);
    }

    public Spec development() {
      return new Spec(team, appId, expires, true, true);
    }
  }

  private Profiles() {}

  public static Path write(Path dir, String name, Spec spec) {
    try {
      return Files.write(dir.resolve(name + ".mobileprovision"), sign(plist(spec)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] plist(Spec spec) {
    NSDictionary entitlements = new NSDictionary();
    entitlements.put("application-identifier", new NSString(spec.appId()));
    entitlements.put("com.apple.developer.team-identifier", new NSString(spec.team()));
    entitlements.put("get-task-allow", new NSNumber(spec.debuggable()));
    entitlements.put("keychain-access-groups", new NSArray(new NSString(spec.team() + ".*")));
    NSDictionary plist = new NSDictionary();
    plist.put("AppIDName", new NSString("Dala test"));
    plist.put("ApplicationIdentifierPrefix", new NSArray(new NSString(spec.team())));
    plist.put("CreationDate", new NSDate(Date.from(Instant.now().minus(Duration.ofDays(1)))));
    plist.put("Entitlements", entitlements);
    plist.put("ExpirationDate", new NSDate(Date.from(spec.expires())));
    plist.put("Name", new NSString("Dala test App Store"));
    if (spec.devices()) {
      plist.put("ProvisionedDevices", new NSArray(new NSString("00008030-001A2B3C4D5E6F70")));
    }
    plist.put("TeamIdentifier", new NSArray(new NSString(spec.team())));
    plist.put("TeamName", new NSString("Dala Tests"));
    plist.put("UUID", new NSString("5a6e0f2c-1111-2222-3333-444455556666"));
    plist.put("Version", new NSNumber(1));
    return plist.toXMLPropertyList().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] sign(byte[] content) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair pair = generator.generateKeyPair();
      X500Name name = new X500Name("CN=Apple iPhone OS Provisioning Profile Signing (test)");
      Instant now = Instant.now();
      ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate());
      X509CertificateHolder holder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
          Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), name,
          pair.getPublic()).build(signer);
      X509Certificate cert = new JcaX509CertificateConverter().getCertificate(holder);
      CMSSignedDataGenerator cms = new CMSSignedDataGenerator();
      cms.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
          .build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate()), cert));
      cms.addCertificates(new JcaCertStore(List.of(cert)));
      return cms.generate(new CMSProcessableByteArray(content), true).getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
