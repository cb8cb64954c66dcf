package dev.dala.ota.release.ipa;

import com.dd.plist.NSArray;
import com.dd.plist.NSDate;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSNumber;
import com.dd.plist.NSObject;
import com.dd.plist.NSString;
import com.dd.plist.PropertyListParser;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.util.Store;

/**
 * A {@code .mobileprovision}: a property list inside a CMS SignedData envelope (Apple signs it).
 * Parsing checks that the envelope's signature matches its content, so a truncated or edited
 * profile is refused; whether Apple's certificate chains to Apple's root is left to codesign
 * and the store, which hold Apple's roots.
 */
public record ProvisioningProfile(
    String name,
    String uuid,
    List<String> teamIds,
    String applicationIdentifier,
    NSDictionary entitlements,
    Instant expiration,
    boolean listsDevices,
    boolean provisionsAllDevices,
    byte[] encoded) {

  /** Real profiles are tens of kilobytes. */
  public static final int MAX_BYTES = 4 << 20;

  public ProvisioningProfile {
    Objects.requireNonNull(name, "name");
    teamIds = List.copyOf(teamIds);
    Objects.requireNonNull(entitlements, "entitlements");
    Objects.requireNonNull(expiration, "expiration");
  }

  public static ProvisioningProfile parse(byte[] der) throws ProfileException {
    if (der.length > MAX_BYTES) {
      throw new ProfileException("larger than " + MAX_BYTES + " bytes; not a provisioning profile");
    }
    byte[] content = verifiedContent(der);
    NSObject parsed;
    try {
      parsed = PropertyListParser.parse(content);
    } catch (Exception e) {
      throw new ProfileException("the signed content is not a property list: " + e.getMessage());
    }
    if (!(parsed instanceof NSDictionary plist)) {
      throw new ProfileException("the signed content is not a dictionary");
    }
    NSObject ents = plist.objectForKey("Entitlements");
    NSObject expires = plist.objectForKey("ExpirationDate");
    if (!(ents instanceof NSDictionary entitlements)) {
      throw new ProfileException("it has no Entitlements dictionary");
    }
    if (!(expires instanceof NSDate date)) {
      throw new ProfileException("it has no ExpirationDate");
    }
    List<String> teams = new ArrayList<>();
    if (plist.objectForKey("TeamIdentifier") instanceof NSArray a) {
      for (NSObject o : a.getArray()) {
        teams.add(o.toString());
      }
    }
    String appId = entitlements.objectForKey("application-identifier") instanceof NSString s ? s.getContent() : null;
    boolean all = plist.objectForKey("ProvisionsAllDevices") instanceof NSNumber n && n.boolValue();
    return new ProvisioningProfile(text(plist, "Name"), text(plist, "UUID"), teams, appId, entitlements,
        date.getDate().toInstant(), plist.objectForKey("ProvisionedDevices") != null, all, der.clone());
  }

  /** The entitlements codesign signs the app with. */
  public byte[] entitlementsXml() {
    return entitlements.toXMLPropertyList().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  public boolean getTaskAllow() {
    return entitlements.objectForKey("get-task-allow") instanceof NSNumber n && n.boolValue();
  }

  private static byte[] verifiedContent(byte[] der) throws ProfileException {
    CMSSignedData signed;
    try {
      signed = new CMSSignedData(der);
    } catch (CMSException | RuntimeException e) {
      throw new ProfileException("not a CMS-signed profile: " + e.getMessage());
    }
    if (signed.getSignedContent() == null || !(signed.getSignedContent().getContent() instanceof byte[] content)) {
      throw new ProfileException("the CMS envelope carries no content");
    }
    Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
    if (signers.isEmpty()) {
      throw new ProfileException("the CMS envelope has no signer");
    }
    @SuppressWarnings("unchecked")
    Store<X509CertificateHolder> certs = signed.getCertificates();
    for (SignerInformation signer : signers) {
      @SuppressWarnings("unchecked")
      Collection<X509CertificateHolder> matches = certs.getMatches(signer.getSID());
      if (matches.isEmpty()) {
        throw new ProfileException("the signer's certificate is not in the envelope");
      }
      try {
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(matches.iterator().next());
        if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(cert))) {
          throw new ProfileException("the signature does not match the content; the profile was altered");
        }
      } catch (ProfileException e) {
        throw e;
      } catch (org.bouncycastle.cms.CMSSignerDigestMismatchException e) {
        throw new ProfileException("the signature does not match the content; the profile was altered");
      } catch (Exception e) {
        throw new ProfileException("the signature cannot be checked: " + e.getMessage());
      }
    }
    return content;
  }

  private static String text(NSDictionary plist, String key) {
    return plist.objectForKey(key) instanceof NSString s ? s.getContent() : "";
  }
}
