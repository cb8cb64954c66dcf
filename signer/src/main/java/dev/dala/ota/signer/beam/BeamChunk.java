package dev.dala.ota.signer.beam;

/** Where one chunk's data lies in the (inflated) file. */
public record BeamChunk(String id, int offset, int size) {}
