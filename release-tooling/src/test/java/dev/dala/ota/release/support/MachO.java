package dev.dala.ota.release.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Real arm64 iOS Mach-O files built with clang and ld64.lld (Debian's clang and lld), linked
 * without an SDK: enough for load commands, sections and strings, which is what is checked.
 */
public final class MachO {

  public static final String TARGET = "arm64-apple-ios15.0";

  private MachO() {}

  /** A main executable; with {@code privateSelectors} it references the harness's UIKit selectors. */
  public static Path executable(Path work, Path out, boolean privateSelectors) {
    String source = privateSelectors
        ? "const char *tag = \"dala\";\n"
            + "int main(void) {\n"
            + "  SEL a = @selector(_addTouch:forDelayedDelivery:);\n"
            + "  SEL b = @selector(_clearTouches);\n"
            + "  SEL c = @selector(_setHIDEvent:);\n"
            + "  SEL d = @selector(addTouchToQueue:);\n"
            + "  return (a != b && c != d) ? 0 : 1;\n"
            + "}\n"
        : "const char *tag = \"dala\";\nint main(void) { return tag[0] == 'd' ? 0 : 1; }\n";
    Path src = write(work, privateSelectors ? "harness.m" : "main.c", source);
    link(work, "-Wl,-e,_main", src.toString(), "-o", out.toString());
    return out;
  }

  /** A dynamic library, as an OTP NIF built for iOS is. */
  public static Path dylib(Path work, Path out) {
    Path src = write(work, "nif.c", "int nif_init(void) { return 1; }\n");
    link(work, "-dynamiclib", src.toString(), "-o", out.toString());
    return out;
  }

  /** A static library of one arm64 object. */
  public static Path archive(Path work, Path out) {
    Path src = write(work, "static.c", "int static_nif(void) { return 2; }\n");
    Path obj = work.resolve("static.o");
    Tools.runOk(work, "clang", "-target", TARGET, "-c", src.toString(), "-o", obj.toString());
    Tools.runOk(work, "ar", "rcs", out.toString(), obj.toString());
    return out;
  }

  /** clang drives ld64.lld, which Debian's lld package installs beside clang's own tools. */
  private static void link(Path work, String... args) {
    java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("clang", "-target", TARGET,
        "-fuse-ld=lld", "-nostdlib"));
    command.addAll(java.util.List.of(args));
    Tools.Result result = Tools.run(work, command.toArray(String[]::new));
    if (result.exit() != 0) {
      throw new AssertionError("clang could not link an iOS Mach-O; it needs ld64.lld from Debian's lld package:\n"
          + result.output());
    }
  }

  private static Path write(Path work, String name, String text) {
    try {
      Files.createDirectories(work);
      return Files.writeString(work.resolve(name), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
