package dev.dala.ota.server.dist;

import dev.dala.ota.server.dist.internal.DistFlags;
import dev.dala.ota.server.dist.internal.HandshakeMessages;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A deliberately badly behaved peer: a plain socket that writes whatever a test tells it to,
 * including a correct initiator handshake when the test needs to reach the connected state.
 */
final class RawDistClient implements AutoCloseable {

  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;

  private RawDistClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = new DataOutputStream(socket.getOutputStream());
  }

  /** Connects to the endpoint from {@code localAddress} (a loopback address such as 127.0.0.2). */
  static RawDistClient connect(int port, String localAddress) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(localAddress, 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(10_000);
    return new RawDistClient(socket);
  }

  void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  void handshakeFrame(byte[] payload) throws IOException {
    out.writeShort(payload.length);
    write(payload);
  }

  void frame(byte[] payload) throws IOException {
    out.writeInt(payload.length);
    write(payload);
  }

  static byte[] nameMessage(long flags, String node) {
    byte[] name = node.getBytes(StandardCharsets.UTF_8);
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(15 + name.length);
    b.put((byte) 'N').putLong(flags).putInt(0x1234_5678).putShort((short) name.length).put(name);
    return b.array();
  }

  byte[] readHandshakeFrame() throws IOException {
    int length = in.readUnsignedShort();
    byte[] frame = new byte[length];
    in.readFully(frame);
    return frame;
  }

  /** The whole initiator handshake; true when the endpoint acknowledged with the right digest. */
  boolean handshake(String node, String cookie) throws IOException {
    handshakeFrame(nameMessage(DistFlags.ADVERTISED, node));
    String status = new String(readHandshakeFrame(), StandardCharsets.US_ASCII);
    if (!status.equals("sok")) {
      return false;
    }
    byte[] challenge = readHandshakeFrame();
    long theirs = java.nio.ByteBuffer.wrap(challenge, 9, 4).getInt() & 0xFFFF_FFFFL;
    long ours = 0x0BAD_CAFEL;
    java.nio.ByteBuffer reply = java.nio.ByteBuffer.allocate(21);
    reply.put((byte) 'r').putInt((int) ours).put(HandshakeMessages.digest(theirs, cookie));
    handshakeFrame(reply.array());
    try {
      byte[] ack = readHandshakeFrame();
      return ack.length == 17 && ack[0] == 'a'
          && java.util.Arrays.equals(java.util.Arrays.copyOfRange(ack, 1, 17), HandshakeMessages.digest(ours, cookie));
    } catch (EOFException e) {
      return false;
    }
  }

  /** The next frame after the handshake (4-byte length), skipping ticks; null when the endpoint closed. */
  byte[] readFrame() throws IOException {
    while (true) {
      int length;
      try {
        length = in.readInt();
      } catch (EOFException e) {
        return null;
      }
      if (length > 0) {
        byte[] frame = new byte[length];
        in.readFully(frame);
        return frame;
      }
    }
  }

  /** Reads and discards until the endpoint closes; true when that happens within {@code timeout}. */
  boolean closedWithin(Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    long deadline = System.nanoTime() + timeout.toNanos();
    InputStream raw = socket.getInputStream();
    byte[] sink = new byte[8192];
    try {
      while (System.nanoTime() < deadline) {
        if (raw.read(sink) < 0) {
          return true;
        }
      }
      return false;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset by the endpoint
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
