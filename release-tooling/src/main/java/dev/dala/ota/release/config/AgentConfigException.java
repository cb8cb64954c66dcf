package dev.dala.ota.release.config;

/** An embedded agent config that cannot be read. */
public final class AgentConfigException extends Exception {
  public AgentConfigException(String message) {
    super(message);
  }
}
