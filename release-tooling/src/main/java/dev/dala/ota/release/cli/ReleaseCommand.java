package dev.dala.ota.release.cli;

import dev.dala.ota.release.apk.ApkCommand;
import dev.dala.ota.release.fingerprint.FingerprintCommand;
import dev.dala.ota.release.ipa.IpaCommand;
import dev.dala.ota.release.preflight.PreflightCommand;
import dev.dala.ota.release.register.RegisterCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ota release}: the verbs that build, check and register base builds. */
@Command(name = "release", mixinStandardHelpOptions = true,
    description = "Build and check the native bases that OTP bundles run on.",
    subcommands = {FingerprintCommand.class, RegisterCommand.class, ApkCommand.class, IpaCommand.class,
        PreflightCommand.class})
public final class ReleaseCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
