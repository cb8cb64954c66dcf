package dev.dala.ota.release.support;

import dev.dala.ota.testing.otp.OtpRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Real .beam files, compiled once per test run with the host's erlc: plain modules, modules
 * that load a NIF, and two builds of one module whose code differs.
 */
public final class Beams {

  private static Path dir;

  private Beams() {}

  /** A folder with {@code v1/} and {@code v2/} subfolders of compiled modules. */
  public static synchronized Path compiled() {
    if (dir != null) {
      return dir;
    }
    OtpRuntime host = OtpRuntime.host();
    Path work = host.newWorkDir();
    try {
      Files.createDirectories(work.resolve("v1"));
      Files.createDirectories(work.resolve("v2"));
      write(work.resolve("v1"), "base_util", "-module(base_util).\n-export([answer/0]).\nanswer() -> 41.\n");
      write(work.resolve("v2"), "base_util", "-module(base_util).\n-export([answer/0]).\nanswer() -> 42.\n");
      for (String version : new String[] {"v1", "v2"}) {
        Path v = work.resolve(version);
        write(v, "base_store", "-module(base_store).\n-export([get/1]).\nget(K) -> {ok, K}.\n");
        write(v, "good_nif", nif("good_nif"));
        write(v, "bad_nif", nif("bad_nif"));
        write(v, "my_app", "-module(my_app).\n-export([start/0]).\nstart() -> {" + version
            + ", base_util:answer()}.\n");
        host.erlc(v, "base_util.erl", "base_store.erl", "good_nif.erl", "bad_nif.erl", "my_app.erl");
      }
      dir = work;
      // Shared by every test class of the run; removed when the test JVM exits.
      Runtime.getRuntime().addShutdownHook(new Thread(() -> OtpRuntime.deleteTree(work)));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code _build/prod/lib/my_app/ebin} of the app: only its own module, my_app. */
  public static synchronized Path appEbin(String version) {
    Path ebin = compiled().resolve(version + "-build/my_app/ebin");
    try {
      if (!Files.isDirectory(ebin)) {
        Files.createDirectories(ebin);
        Files.copy(beam(version, "my_app"), ebin.resolve("my_app.beam"));
        Files.writeString(ebin.resolve("my_app.app"), "{application, my_app, [{vsn, \"1.0.0\"}]}.\n");
      }
      return ebin;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Path beam(String version, String module) {
    return compiled().resolve(version).resolve(module + ".beam");
  }

  private static String nif(String module) {
    return "-module(" + module + ").\n-export([init/0, go/0]).\n-on_load(init/0).\n"
        + "init() -> erlang:load_nif(\"./" + module + "\", 0).\ngo() -> erlang:nif_error(not_loaded).\n";
  }

  private static void write(Path dir, String module, String source) throws IOException {
    Files.writeString(dir.resolve(module + ".erl"), source);
  }
}
