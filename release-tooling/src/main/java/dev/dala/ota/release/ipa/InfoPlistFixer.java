package dev.dala.ota.release.ipa;

import com.dd.plist.BinaryPropertyListWriter;
import com.dd.plist.NSArray;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSNumber;
import com.dd.plist.NSObject;
import com.dd.plist.NSString;
import com.dd.plist.PropertyListParser;
import dev.dala.ota.release.cli.ReleaseException;
import dev.dala.ota.release.macho.MachOImage;
import dev.dala.ota.release.preflight.OsVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills the Info.plist keys App Store Connect requires and Dala's build leaves out
 * (MinimumOSVersion, DTPlatformName, CFBundleSupportedPlatforms, UIDeviceFamily) and applies
 * the build number. Existing keys keep their order; the file keeps its format (binary or XML).
 */
final class InfoPlistFixer {

  /** What to set; null leaves a present key alone and fills a missing one with a default. */
  record Settings(String minimumOs, List<Integer> deviceFamily, String buildNumber, String shortVersion) {}

  private InfoPlistFixer() {}

  /** Applies the fixes to {@code plistFile} in place and returns what changed, for the log. */
  static List<String> fix(Path plistFile, MachOImage main, Settings settings) {
    NSDictionary plist;
    byte[] original;
    try {
      original = Files.readAllBytes(plistFile);
      if (!(PropertyListParser.parse(original) instanceof NSDictionary d)) {
        throw ReleaseException.badInput(plistFile + ": not a dictionary");
      }
      plist = d;
    } catch (ReleaseException e) {
      throw e;
    } catch (Exception e) {
      throw ReleaseException.badInput(plistFile + ": not a property list: " + e.getMessage());
    }
    List<String> changes = new ArrayList<>();
    String minimumOs = settings.minimumOs();
    String current = text(plist, "MinimumOSVersion");
    if (minimumOs == null && !OsVersion.isValid(current) && main != null && main.minOs() != null) {
      minimumOs = main.minOs();
    }
    if (minimumOs != null && !minimumOs.equals(current)) {
      set(plist, "MinimumOSVersion", new NSString(minimumOs), changes);
    }
    if (!"iphoneos".equals(text(plist, "DTPlatformName"))) {
      set(plist, "DTPlatformName", new NSString("iphoneos"), changes);
    }
    NSObject platforms = plist.objectForKey("CFBundleSupportedPlatforms");
    if (!(platforms instanceof NSArray a) || a.count() != 1 || !"iPhoneOS".equals(a.objectAtIndex(0).toString())) {
      set(plist, "CFBundleSupportedPlatforms", new NSArray(new NSString("iPhoneOS")), changes);
    }
    if (settings.deviceFamily() != null || !(plist.objectForKey("UIDeviceFamily") instanceof NSArray)) {
      List<Integer> family = settings.deviceFamily() != null ? settings.deviceFamily() : List.of(1);
      NSArray array = new NSArray(family.stream().map(i -> (NSObject) new NSNumber(i)).toArray(NSObject[]::new));
      if (!array.equals(plist.objectForKey("UIDeviceFamily"))) {
        set(plist, "UIDeviceFamily", array, changes);
      }
    }
    if (settings.buildNumber() != null) {
      set(plist, "CFBundleVersion", new NSString(settings.buildNumber()), changes);
    }
    if (settings.shortVersion() != null) {
      set(plist, "CFBundleShortVersionString", new NSString(settings.shortVersion()), changes);
    }
    if (!changes.isEmpty()) {
      write(plistFile, plist, isBinary(original));
    }
    return changes;
  }

  private static void set(NSDictionary plist, String key, NSObject value, List<String> changes) {
    NSObject before = plist.objectForKey(key);
    plist.put(key, value);
    changes.add(key + ": " + (before == null ? "(missing)" : before.toJavaObject()) + " -> " + value.toJavaObject());
  }

  private static void write(Path file, NSDictionary plist, boolean binary) {
    try {
      byte[] bytes = binary ? BinaryPropertyListWriter.writeToArray(plist)
          : plist.toXMLPropertyList().getBytes(StandardCharsets.UTF_8);
      Files.write(file, bytes);
    } catch (IOException e) {
      throw ReleaseException.badInput("cannot write " + file + ": " + e.getMessage());
    }
  }

  private static boolean isBinary(byte[] bytes) {
    return bytes.length >= 8 && new String(bytes, 0, 8, StandardCharsets.ISO_8859_1).equals("bplist00");
  }

  static String text(NSDictionary plist, String key) {
    return plist.objectForKey(key) instanceof NSString s ? s.getContent() : null;
  }
}
