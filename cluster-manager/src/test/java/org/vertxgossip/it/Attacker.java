package org.vertxgossip.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What an attacker on the cluster's network can build and do, written from the wire format in
 * src-docs/security.md rather than from the transport's classes: plain and sealed envelopes under keys of its
 * choosing, and a relay that sits on the path to one member and records everything sent to it.
 */
final class Attacker {

  static final int LANE_MEMBERSHIP = 1;
  static final int LANE_REPLICATION = 2;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Attacker() {
  }

  static byte[] header(String cluster, int lane, boolean sealed) {
    byte[] label = cluster.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(6 + label.length).putShort((short) 0x5647).put((byte) 1).put((byte) (sealed ? 1 : 0))
        .put((byte) lane).put((byte) label.length).put(label).array();
  }

  static byte[] plain(String cluster, int lane, byte[] body) {
    return concat(header(cluster, lane, false), body);
  }

  /** A sealed envelope under {@code key} (32 bytes) that claims key id {@code keyId}, nonce counter {@code counter}. */
  static byte[] sealed(String cluster, int lane, byte[] body, byte[] key, int keyId, long sequence, int counter) {
    byte[] nonce = ByteBuffer.allocate(12).putLong(sequence).putInt(counter).array();
    byte[] prefix = concat(header(cluster, lane, true),
        ByteBuffer.allocate(24).putInt(keyId).put(nonce).putLong(System.currentTimeMillis()).array());
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
      c.updateAAD(prefix);
      return concat(prefix, c.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] randomKey() {
    byte[] k = new byte[32];
    RANDOM.nextBytes(k);
    return k;
  }

  static long randomSequence() {
    return RANDOM.nextLong();
  }

  static byte[] lengthPrefixed(byte[] frame) {
    return ByteBuffer.allocate(4 + frame.length).putInt(frame.length).put(frame).array();
  }

  /** The key id a sealed datagram or frame names (public: it is on the wire). */
  static int keyIdOf(byte[] envelope) {
    int labelLength = envelope[5] & 0xff;
    return ByteBuffer.wrap(envelope, 6 + labelLength, 4).getInt();
  }

  /**
   * Writes {@code bytes} on a new connection from {@code from}, then waits for the node to close it (it has read
   * them all and refused or kept them); true if the node closed it within 10 s.
   */
  static boolean connectionOf(String from, InetSocketAddress to, byte[] bytes) throws IOException {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(from, 0));
      s.connect(to, 5000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(bytes);
      out.flush();
      s.shutdownOutput();
      try {
        return s.getInputStream().read() == -1;
      } catch (SocketTimeoutException e) {
        return false;
      }
    }
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** One datagram or connection the relay saw, with when it started. */
  record Captured(long atMs, byte[] bytes) {
  }

  /**
   * Sits at the address one member advertises and relays every datagram and connection to the member's real
   * address, recording them: an attacker on the path sees exactly what the cluster sends that member.
   */
  static final class Relay implements AutoCloseable {
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final InetSocketAddress target;
    private final List<Captured> datagrams = new ArrayList<>();
    private final List<Captured> connections = new ArrayList<>();
    private final List<Socket> open = new ArrayList<>();
    private volatile boolean closed;

    Relay(InetSocketAddress at, InetSocketAddress target) throws IOException {
      this.target = target;
      udp = new DatagramSocket(at);
      tcp = new ServerSocket();
      tcp.setReuseAddress(true);
      tcp.bind(at);
      daemon(this::relayDatagrams, "relay-udp");
      daemon(this::acceptConnections, "relay-tcp");
    }

    private static void daemon(Runnable r, String name) {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      t.start();
    }

    private void relayDatagrams() {
      byte[] buf = new byte[65_536];
      while (!closed) {
        try {
          DatagramPacket p = new DatagramPacket(buf, buf.length);
          udp.receive(p);
          byte[] copy = java.util.Arrays.copyOf(p.getData(), p.getLength());
          synchronized (datagrams) {
            datagrams.add(new Captured(System.currentTimeMillis(), copy));
          }
          udp.send(new DatagramPacket(copy, copy.length, target));
        } catch (IOException e) {
          return;
        }
      }
    }

    private void acceptConnections() {
      while (!closed) {
        try {
          Socket in = tcp.accept();
          Socket out = new Socket(target.getAddress(), target.getPort());
          synchronized (open) {
            open.add(in);
            open.add(out);
          }
          long at = System.currentTimeMillis();
          daemon(() -> pipe(at, in, out), "relay-conn");
        } catch (IOException e) {
          return;
        }
      }
    }

    private void pipe(long at, Socket in, Socket out) {
      ByteArrayOutputStream seen = new ByteArrayOutputStream();
      try (in; out) {
        InputStream from = in.getInputStream();
        OutputStream to = out.getOutputStream();
        byte[] buf = new byte[65_536];
        int n;
        while ((n = from.read(buf)) >= 0) {
          synchronized (seen) {
            seen.write(buf, 0, n);
          }
          to.write(buf, 0, n);
        }
      } catch (IOException ignored) {
        // either side closed
      } finally {
        synchronized (connections) {
          connections.add(new Captured(at, seen.toByteArray()));
        }
      }
    }

    List<Captured> datagrams() {
      synchronized (datagrams) {
        return new ArrayList<>(datagrams);
      }
    }

    /** The connections that ended so far, and the bytes each carried. */
    List<Captured> connections() {
      synchronized (connections) {
        return new ArrayList<>(connections);
      }
    }

    /** Ends the relayed connections, so that they count as captured (their members reconnect directly after). */
    void cutConnections() throws IOException {
      synchronized (open) {
        for (Socket s : open) {
          s.close();
        }
        open.clear();
      }
    }

    @Override
    public void close() throws IOException {
      closed = true;
      udp.close();
      tcp.close();
      cutConnections();
    }
  }
}
