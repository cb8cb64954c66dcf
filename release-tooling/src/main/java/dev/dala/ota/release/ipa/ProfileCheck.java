package dev.dala.ota.release.ipa;

import com.dd.plist.NSDictionary;
import com.dd.plist.NSObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a profile can sign this app for the App Store: not expired, for this team and bundle
 * id, an App Store profile (no device list, no debugging), and granting every entitlement the
 * app asks for. Returns every problem, not only the first.
 */
public final class ProfileCheck {

  /** A profile expiring sooner than this still works, but the next release will need a new one. */
  static final Duration EXPIRY_WARNING = Duration.ofDays(30);

  /** The problems, and warnings that do not block signing. */
  public record Result(List<String> problems, List<String> warnings) {}

  private ProfileCheck() {}

  public static Result check(ProvisioningProfile profile, String bundleId, String teamId, Instant now,
      NSDictionary requested) {
    List<String> problems = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    if (!profile.expiration().isAfter(now)) {
      problems.add("the profile \"" + profile.name() + "\" expired at " + profile.expiration());
    } else if (profile.expiration().isBefore(now.plus(EXPIRY_WARNING))) {
      warnings.add("the profile \"" + profile.name() + "\" expires at " + profile.expiration());
    }
    String appId = profile.applicationIdentifier();
    String team = teamId != null ? teamId : profile.teamIds().isEmpty() ? null : profile.teamIds().get(0);
    if (teamId != null && !profile.teamIds().contains(teamId)) {
      problems.add("the profile is for team " + String.join(", ", profile.teamIds()) + ", not " + teamId);
    }
    if (appId == null) {
      problems.add("the profile has no application-identifier entitlement");
    } else if (team == null || !appId.startsWith(team + ".")) {
      problems.add("the profile's application-identifier " + appId + " does not start with the team id " + team);
    } else if (!covers(appId.substring(team.length() + 1), bundleId)) {
      problems.add("the profile is for bundle id " + appId.substring(team.length() + 1) + ", not " + bundleId);
    }
    NSObject entitlementTeam = profile.entitlements().objectForKey("com.apple.developer.team-identifier");
    if (team != null && entitlementTeam != null && !entitlementTeam.toString().equals(team)) {
      problems.add("the profile's com.apple.developer.team-identifier " + entitlementTeam + " is not " + team);
    }
    if (profile.listsDevices() || profile.provisionsAllDevices()) {
      problems.add("the profile lists devices: it is a development, ad hoc or enterprise profile, "
          + "not an App Store one");
    }
    if (profile.getTaskAllow()) {
      problems.add("the profile allows debugging (get-task-allow); App Store builds must not");
    }
    if (requested != null) {
      for (String key : requested.allKeys()) {
        NSObject granted = profile.entitlements().objectForKey(key);
        if (granted == null) {
          problems.add("the app asks for entitlement " + key + ", which the profile does not grant");
        } else if (!grants(granted, requested.objectForKey(key))) {
          problems.add("the app asks for " + key + " = " + requested.objectForKey(key).toJavaObject()
              + ", which the profile does not grant");
        }
      }
    }
    return new Result(problems, warnings);
  }

  /** {@code com.example.*} covers {@code com.example.app}; {@code *} covers every id. */
  static boolean covers(String pattern, String bundleId) {
    if (pattern.endsWith("*")) {
      return bundleId.startsWith(pattern.substring(0, pattern.length() - 1));
    }
    return pattern.equals(bundleId);
  }

  private static boolean grants(NSObject granted, NSObject requested) {
    if (granted.equals(requested)) {
      return true;
    }
    // Profiles grant wildcards ("TEAM.*") where the app names one value.
    String g = granted.toString();
    return g.endsWith("*") && requested.toString().startsWith(g.substring(0, g.length() - 1));
  }
}
