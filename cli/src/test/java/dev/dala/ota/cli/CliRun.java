package dev.dala.ota.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One in-process run of the CLI: its exit code and what it printed. */
record CliRun(int exit, String out, String err) {

  static CliRun of(Path workDir, String... args) {
    List<String> argv = new ArrayList<>();
    for (String a : args) {
      argv.add(a.replace("{dir}", workDir.toString()));
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = OtaCli.run(argv.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    return new CliRun(exit, out.toString(), err.toString());
  }

  JsonNode json() {
    try {
      return new ObjectMapper().readTree(out);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + out, e);
    }
  }
}
