package dev.dala.ota.release.register;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dala.ota.release.cli.ExitCode;
import dev.dala.ota.release.cli.JsonOutput;
import dev.dala.ota.release.cli.ReleaseException;
import dev.dala.ota.release.cli.Secret;
import dev.dala.ota.release.fingerprint.FingerprintJson;
import dev.dala.ota.signer.base.BaseFingerprint;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ota release register}: sends a base fingerprint to the server's admin API. */
@Command(name = "register", mixinStandardHelpOptions = true,
    description = "Register a base with the server (POST /api/v1/apps/APP/bases), so that publishing checks "
        + "bundles against it. Idempotent: registering a known base again changes nothing.")
public final class RegisterCommand implements Callable<Integer> {

  @Parameters(paramLabel = "FINGERPRINT", description = "The JSON file `release fingerprint` wrote.")
  Path file;

  @Option(names = "--server", required = true, paramLabel = "URL", description = "The server, such as "
      + "http://127.0.0.1:8080.")
  String server;

  @Option(names = "--app", required = true, description = "The app id, such as com.example.app.")
  String app;

  @Option(names = "--token", defaultValue = "env:OTA_TOKEN", paramLabel = "SECRET", description = "An API token "
      + "with the publisher role: env:NAME, file:PATH or pass:VALUE (default: ${DEFAULT-VALUE}).")
  String token;

  @Option(names = "--timeout", defaultValue = "30", description = "Seconds to wait for the server "
      + "(default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(names = "--json", description = "Print the server's answer as JSON.")
  boolean json;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    BaseFingerprint fingerprint = FingerprintJson.read(file);
    URI uri;
    try {
      uri = new URI(server.endsWith("/") ? server.substring(0, server.length() - 1) : server);
    } catch (URISyntaxException e) {
      throw ReleaseException.usage("--server is not a URL: " + e.getMessage());
    }
    if (timeoutSeconds < 1) {
      throw ReleaseException.usage("--timeout must be at least 1 second");
    }
    AdminClient client = new AdminClient(uri, new String(Secret.resolve(token, "--token")),
        Duration.ofSeconds(timeoutSeconds));
    AdminClient.Answer answer = client.registerBase(app, FingerprintJson.write(fingerprint));
    JsonNode body = answer.body();
    String registered = body.hasNonNull("fingerprint") ? body.get("fingerprint").asText() : "";
    if (!registered.equals(fingerprint.id())) {
      throw new ReleaseException(ExitCode.PROBLEMS, "the server registered fingerprint " + registered
          + " but this base is " + fingerprint.id() + "; the server and this tool disagree on the format");
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      JsonOutput.print(out, body);
    } else {
      out.println((answer.status() == 201 ? "registered" : "already registered") + " base " + fingerprint.id()
          + " (" + fingerprint.platform() + ", OTP " + fingerprint.otpRelease() + ", "
          + fingerprint.moduleMd5s().size() + " modules, " + fingerprint.staticNifs().size() + " static NIFs) for "
          + app);
    }
    return ExitCode.OK;
  }
}
