package org.vertxgossip.membership;

/** Sizes the packet filler reasons with. */
final class MessageSizes {

  /** No compound entry is smaller than a nack: type, length and a sequence number. */
  static final int SMALLEST_ENTRY = 3 + 4;

  private MessageSizes() {
  }
}
