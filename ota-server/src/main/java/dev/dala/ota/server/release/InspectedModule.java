package dev.dala.ota.server.release;

import dev.dala.ota.signer.beam.BeamFile;
import java.util.HexFormat;

/** A module of an upload that passed inspection: its bytes, hash and what the reader found. */
public record InspectedModule(String name, byte[] bytes, byte[] sha256, BeamFile beam) {

  public String sha256Hex() {
    return HexFormat.of().formatHex(sha256);
  }
}
