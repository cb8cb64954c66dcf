package dev.dala.ota.release.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;

/** JSON for machines: pretty-printed, with keys in the order the command built them. */
public final class JsonOutput {

  public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonOutput() {}

  public static String toJson(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("output is plain maps, lists and records", e);
    }
  }

  public static void print(PrintWriter out, Object value) {
    out.println(toJson(value));
  }
}
