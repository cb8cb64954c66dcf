package dev.dala.ota.release.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Unsigned APKs built with Debian's aapt, as Gradle's assembleRelease would leave them before
 * signing: a binary AndroidManifest.xml and an uncompressed arm64 native library. aapt needs an
 * android.jar to resolve {@code android:} attributes; Debian has none, so a tiny framework
 * package that declares just those attributes, with the platform's own resource ids, is built
 * with aapt first.
 */
public final class Apks {

  private Apks() {}

  public static Path unsigned(Path work, int minSdk) {
    try {
      Path fw = framework(work);
      Path app = Files.createDirectories(work.resolve("app-src"));
      Files.writeString(app.resolve("AndroidManifest.xml"), """
          <manifest xmlns:android="http://schemas.android.com/apk/res/android" package="com.example.app"
              android:versionCode="7" android:versionName="1.0.7">
            <uses-sdk android:minSdkVersion="%d" android:targetSdkVersion="35"/>
            <application android:hasCode="false" android:extractNativeLibs="false"/>
          </manifest>
          """.formatted(minSdk));
      Path libs = Files.createDirectories(work.resolve("app-libs/lib/arm64-v8a"));
      Path src = Files.writeString(work.resolve("dala.c"), "int dala_start(void) { return 42; }\n");
      Tools.runOk(work, "clang", "-target", "aarch64-linux-android21", "-shared", "-nostdlib", "-fuse-ld=lld",
          src.toString(), "-o", libs.resolve("libdala.so").toString());
      Path apk = work.resolve("app-unsigned-" + minSdk + ".apk");
      Tools.runOk(work, "aapt", "package", "-f", "-0", "so", "-M", app.resolve("AndroidManifest.xml").toString(),
          "-I", fw.toString(), "-F", apk.toString(), work.resolve("app-libs").toString());
      return apk;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path framework(Path work) throws IOException {
    Path fw = work.resolve("framework.apk");
    if (Files.exists(fw)) {
      return fw;
    }
    Path src = Files.createDirectories(work.resolve("framework-src/res/values"));
    Files.writeString(work.resolve("framework-src/AndroidManifest.xml"), "<manifest package=\"android\"/>\n");
    Files.writeString(src.resolve("attrs.xml"), """
        <resources>
          <attr name="minSdkVersion" format="integer|string"/>
          <attr name="targetSdkVersion" format="integer|string"/>
          <attr name="versionCode" format="integer"/>
          <attr name="versionName" format="string"/>
          <attr name="extractNativeLibs" format="boolean"/>
          <attr name="hasCode" format="boolean"/>
          <public type="attr" name="minSdkVersion" id="0x0101020c"/>
          <public type="attr" name="targetSdkVersion" id="0x01010270"/>
          <public type="attr" name="versionCode" id="0x0101021b"/>
          <public type="attr" name="versionName" id="0x0101021c"/>
          <public type="attr" name="extractNativeLibs" id="0x010104ea"/>
          <public type="attr" name="hasCode" id="0x0101000c"/>
        </resources>
        """);
    Tools.runOk(work, "aapt", "package", "-f", "-x", "-M", work.resolve("framework-src/AndroidManifest.xml")
        .toString(), "-S", work.resolve("framework-src/res").toString(), "-F", fw.toString());
    return fw;
  }

  /** A keystore made by the JDK's keytool: {@code PKCS12} or {@code JKS}, with one RSA key. */
  public static Path keystore(Path work, String type, String alias, String password) {
    Path ks = work.resolve(alias + "." + type.toLowerCase(java.util.Locale.ROOT));
    Tools.runOk(work, "keytool", "-genkeypair", "-keystore", ks.toString(), "-storetype", type, "-storepass",
        password, "-keypass", password, "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-validity",
        "10000", "-dname", "CN=" + alias + ", O=Dala OTA tests");
    return ks;
  }
}
