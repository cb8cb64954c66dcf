package dev.dala.ota.server.dist;

/** What the endpoint accepts as a node name: {@code alive@host}, printable ASCII, at most 255 characters. */
public final class NodeNames {

  public static final int MAX_LENGTH = 255;

  private NodeNames() {}

  public static boolean isValid(String node) {
    if (node == null || node.isEmpty() || node.length() > MAX_LENGTH) {
      return false;
    }
    int at = node.indexOf('@');
    if (at <= 0 || at == node.length() - 1 || node.indexOf('@', at + 1) >= 0) {
      return false;
    }
    for (int i = 0; i < node.length(); i++) {
      char c = node.charAt(i);
      if (c <= ' ' || c > '~') {
        return false;
      }
    }
    return true;
  }

  public static void requireValid(String node) {
    if (!isValid(node)) {
      throw new IllegalArgumentException("not a node name (alive@host, printable ASCII): " + node);
    }
  }
}
