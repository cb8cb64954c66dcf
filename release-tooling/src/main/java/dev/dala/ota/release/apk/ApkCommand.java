package dev.dala.ota.release.apk;

import dev.dala.ota.release.cli.ExitCode;
import dev.dala.ota.release.cli.JsonOutput;
import dev.dala.ota.release.cli.ReleaseException;
import dev.dala.ota.release.cli.Secret;
import dev.dala.ota.release.config.AgentConfig;
import dev.dala.ota.release.config.AgentConfigOptions;
import dev.dala.ota.release.zip.ZipLimits;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ota release apk}: the signed base APK. */
@Command(name = "apk", mixinStandardHelpOptions = true,
    description = "Embed the OTP tree, the app's BEAMs and the agent config into the unsigned APK Gradle built, "
        + "align it (4 bytes; 16 KB for native libraries), sign it with apksig (v2 and v3; v1 too below minSdk 24; "
        + "v3.1 with --lineage) and verify it. The same inputs give the same bytes with an RSA key.")
public final class ApkCommand implements Callable<Integer> {

  @Parameters(paramLabel = "UNSIGNED_APK", description = "The unsigned APK, as Gradle's assembleRelease makes it.")
  Path unsigned;

  @Option(names = "--otp", required = true, paramLabel = "DIR", description = "The OTP tree to embed "
      + "(assets/otp/).")
  Path otpRoot;

  @Option(names = "--ebin", paramLabel = "DIR", description = "An ebin folder of the app (repeatable); "
      + "_build/prod/lib/my_app/ebin goes to assets/otp/lib/my_app/ebin.")
  List<Path> ebins = new ArrayList<>();

  @Mixin
  AgentConfigOptions configOptions;

  @Mixin
  KeystoreOptions keystore;

  @ArgGroup(exclusive = false, heading = "Key rotation (APK Signature Scheme v3.1):%n")
  RotationOptions rotation;

  @Option(names = "--max-asset-bytes", defaultValue = "536870912", description = "Refuse more assets than this "
      + "(default: ${DEFAULT-VALUE}).")
  long maxAssetBytes;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The signed APK to write.")
  Path out;

  @Option(names = "--json", description = "Print JSON for machines.")
  boolean json;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  /** The previous key and the lineage that certifies the current one. */
  static final class RotationOptions {
    @Option(names = "--lineage", required = true, paramLabel = "FILE", description = "The signing certificate "
        + "lineage (apksigner rotate --out FILE).")
    Path lineage;

    @Option(names = "--previous-ks", required = true, paramLabel = "FILE", description = "The previous key's "
        + "keystore.")
    Path keystore;

    @Option(names = "--previous-ks-pass", defaultValue = "env:OTA_PREVIOUS_KS_PASS", paramLabel = "SECRET",
        description = "Its password (default: ${DEFAULT-VALUE}).")
    String storePassword;

    @Option(names = "--previous-ks-key-alias", paramLabel = "ALIAS", description = "The previous key's alias.")
    String alias;

    @Option(names = "--rotation-min-sdk", defaultValue = "33", description = "The first SDK that uses the new key "
        + "(default: ${DEFAULT-VALUE}, v3.1).")
    int minSdk;
  }

  @Override
  public Integer call() {
    if (maxAssetBytes < 1) {
      throw ReleaseException.usage("--max-asset-bytes must be positive");
    }
    AgentConfig config = configOptions.build("android");
    ApkSpec.Builder builder = ApkSpec.builder().unsignedApk(unsigned).otpRoot(otpRoot).ebins(ebins).config(config)
        .key(keystore.load()).maxAssetBytes(maxAssetBytes).output(out);
    if (rotation != null) {
      if (rotation.minSdk < 28) {
        throw ReleaseException.usage("--rotation-min-sdk must be 28 or higher (rotation starts with Android 9)");
      }
      ApkSigningKey previous = Keystores.load(rotation.keystore,
          Secret.resolve(rotation.storePassword, "--previous-ks-pass"), rotation.alias, null);
      builder.rotation(previous, rotation.lineage, rotation.minSdk);
    }
    ApkBuilder.Result result = new ApkBuilder(ZipLimits.DEFAULT).build(builder.build());
    PrintWriter printer = spec.commandLine().getOut();
    List<String> schemes = result.signatures().schemes();
    if (json) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("apk", result.apk().toString());
      body.put("min_sdk", result.minSdk());
      body.put("schemes", schemes);
      body.put("assets", result.assets());
      body.put("base_fingerprint", config.baseFingerprint());
      body.put("warnings", result.signatures().warnings());
      JsonOutput.print(printer, body);
    } else {
      printer.println("signed " + result.apk() + ": minSdk " + result.minSdk() + ", " + String.join(" ", schemes)
          + ", " + result.assets() + " assets, base " + config.baseFingerprint());
      result.signatures().warnings().forEach(w -> spec.commandLine().getErr().println("ota: warning: " + w));
    }
    return ExitCode.OK;
  }
}
