package dev.dala.ota.release.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * OTP trees laid out as an installed OTP is: {@code releases/25/OTP_VERSION}, an
 * {@code erts-X} folder and {@code lib/APP-VSN/ebin}, with real .beam files. The iOS tree also
 * holds what App Store Connect refuses: a .so, a .a, Mach-O executables, sources.
 */
public final class OtpTrees {

  public static final String ERTS = "13.1.5";

  private OtpTrees() {}

  /** A small tree with real modules: base_util, base_store and good_nif, bad_nif in kernel-8.5. */
  public static Path basic(Path dir, String version) {
    try {
      Files.createDirectories(dir.resolve("releases/25"));
      Files.writeString(dir.resolve("releases/25/OTP_VERSION"), "25.2.3\n");
      Files.createDirectories(dir.resolve("erts-" + ERTS + "/bin"));
      Path ebin = Files.createDirectories(dir.resolve("lib/kernel-8.5/ebin"));
      for (String module : new String[] {"base_util", "base_store", "good_nif"}) {
        Files.copy(Beams.beam(version, module), ebin.resolve(module + ".beam"));
      }
      Files.writeString(ebin.resolve("kernel.app"), "{application, kernel, [{vsn, \"8.5\"}]}.\n");
      Path elixir = Files.createDirectories(dir.resolve("lib/elixir-1.18.0/ebin"));
      Files.writeString(elixir.resolve("elixir.app"), "{application,elixir,[{description,\"elixir\"},"
          + "{vsn,\"1.18.0\"}]}.\n");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@link #basic} plus the native code and tools an unpruned Dala iOS tree carries. */
  public static Path ios(Path dir, Path work) {
    basic(dir, "v1");
    try {
      Path cryptoLib = Files.createDirectories(dir.resolve("lib/crypto-5.1.2/priv/lib"));
      MachO.dylib(work, cryptoLib.resolve("crypto.so"));
      Files.copy(Beams.beam("v1", "bad_nif"), Files.createDirectories(dir.resolve("lib/crypto-5.1.2/ebin"))
          .resolve("bad_nif.beam"));
      Path asn1 = Files.createDirectories(dir.resolve("lib/asn1-5.0.21/priv/lib"));
      MachO.archive(work, asn1.resolve("asn1rt_nif.a"));
      MachO.executable(work, dir.resolve("erts-" + ERTS + "/bin/erl_call"), false);
      Path erl = dir.resolve("erts-" + ERTS + "/bin/erl");
      Files.writeString(erl, "#!/bin/sh\nexec beam.smp \"$@\"\n");
      Files.setPosixFilePermissions(erl, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path osMon = Files.createDirectories(dir.resolve("lib/os_mon-2.8/priv/bin"));
      MachO.executable(work, osMon.resolve("memsup"), false);
      Files.writeString(Files.createDirectories(dir.resolve("lib/os_mon-2.8/ebin")).resolve("os_mon.app"),
          "{application, os_mon, []}.\n");
      Path ei = Files.createDirectories(dir.resolve("lib/erl_interface-5.3/lib"));
      MachO.archive(work, ei.resolve("libei.a"));
      Files.writeString(Files.createDirectories(dir.resolve("lib/stdlib-4.2/src")).resolve("lists.erl"),
          "-module(lists).\n");
      Files.writeString(Files.createDirectories(dir.resolve("lib/stdlib-4.2/priv")).resolve("tables.txt"),
          "data that stays\n");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
