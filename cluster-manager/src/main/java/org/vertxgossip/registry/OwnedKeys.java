package org.vertxgossip.registry;

/**
 * How the SPI's node-owned facts map onto keys of the replicated owner state: one key per non-local event-bus
 * registration ({@code r<seq>:<address>}, so any address text is safe after the first colon) and one for NodeInfo.
 */
final class OwnedKeys {

  static final String NODE_INFO = "n";
  private static final char REGISTRATION = 'r';

  private OwnedKeys() {
  }

  static String registration(String address, long seq) {
    return REGISTRATION + Long.toString(seq) + ':' + address;
  }

  static boolean isRegistration(String key) {
    return !key.isEmpty() && key.charAt(0) == REGISTRATION && key.indexOf(':') > 1;
  }

  static long seqOf(String key) {
    return Long.parseLong(key.substring(1, key.indexOf(':')));
  }

  static String addressOf(String key) {
    return key.substring(key.indexOf(':') + 1);
  }
}
