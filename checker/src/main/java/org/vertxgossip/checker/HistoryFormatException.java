package org.vertxgossip.checker;

/** A history line that starts with {@code H } but is not a well-formed operation; the message names the line. */
public final class HistoryFormatException extends IllegalArgumentException {

  private final int lineNumber;
  private final String line;

  public HistoryFormatException(int lineNumber, String line, String reason) {
    super("malformed history line " + lineNumber + " '" + line + "': " + reason);
    this.lineNumber = lineNumber;
    this.line = line;
  }

  /** 1-based position of the line among those given to {@link History#parse}. */
  public int lineNumber() {
    return lineNumber;
  }

  public String line() {
    return line;
  }
}
