package org.vertxgossip.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryTest {

  private static History everyKind() {
    return new History()
        .add(Op.inc(1, "c", 100, 200, Outcome.OK, 1L))
        .add(Op.inc(2, "c", 110, 900, Outcome.INFO, null))
        .add(Op.inc(3, "c", 120, 130, Outcome.FAIL, null))
        .add(Op.cget(1, "c", 300, 310, Outcome.OK, 2L))
        .add(Op.acquire(1, "l", 400, 410, Outcome.OK, 7L))
        .add(Op.release(1, "l", 420, 430, Outcome.OK, 7))
        .add(Op.acquire(2, "l", 400, 500, Outcome.INFO, null))
        .add(Op.write(1, "m", 600, 610, Outcome.OK, "x"))
        .add(Op.write(2, "m", 600, 900, Outcome.INFO, "y"))
        .add(Op.read(1, "m", 620, 630, Outcome.OK, null))
        .add(Op.read(3, "m", 620, 630, Outcome.OK, "x"))
        .add(Op.read(4, "m", 620, 630, Outcome.FAIL, null))
        .add(Op.cas(1, "m", 700, 710, Outcome.OK, "x", "z", true))
        .add(Op.cas(2, "m", 700, 710, Outcome.INFO, "x", "w", null));
  }

  @Test
  void roundTripsThroughTheLineFormat() {
    History h = everyKind();
    List<String> lines = h.toLines();
    assertEquals("H 1 inc c 100 200 OK 1", lines.get(0));
    assertEquals("H 2 inc c 110 900 INFO", lines.get(1));
    assertEquals("H 1 read m 620 630 OK nil", lines.get(9));
    assertEquals("H 1 cas m 700 710 OK x z true", lines.get(12));
    assertEquals("H 2 cas m 700 710 INFO x w", lines.get(13));
    assertEquals(h.ops(), History.parse(lines).ops());
  }

  @Test
  void ignoresOtherLinesAndTrailingWhitespace() {
    List<String> lines = new ArrayList<>(List.of("starting client 3", "", "H", "Hello", " H 1 inc c 1 2 OK 1",
        "H 1 inc c 1 2 OK 1\r", "H 2 read m 5 9 OK nil  "));
    History h = History.parse(lines);
    assertEquals(2, h.size());
    assertEquals(Op.read(2, "m", 5, 9, Outcome.OK, null), h.ops().get(1));
    assertEquals(null, h.ops().get(1).value());
  }

  @Test
  void rejectsMalformedLinesNamingThem() {
    assertMalformed("H 1 inc c 1 2", "expected");
    assertMalformed("H x inc c 1 2 OK 1", "process 'x'");
    assertMalformed("H 1 increment c 1 2 OK 1", "unknown kind 'increment'");
    assertMalformed("H 1 inc c one 2 OK 1", "invokeNanos 'one'");
    assertMalformed("H 1 inc c 1 2 DONE 1", "outcome 'DONE'");
    assertMalformed("H 1 inc c 1 2 OK", "takes 1 field(s) (<value>), got 0");
    assertMalformed("H 1 inc c 1 2 INFO 3", "takes 0 field(s)");
    assertMalformed("H 1 inc c 1 2 OK three", "needs an integer");
    assertMalformed("H 1 cas m 1 2 OK a b maybe", "true or false");
    assertMalformed("H 1 write m 1 2 OK nil", "cannot be 'nil'");
    assertMalformed("H 1 read m 5 4 OK a", "before it is invoked");
    assertMalformed("H 1 release l 1 2 OK", "(<token>)");
  }

  private static void assertMalformed(String line, String reason) {
    HistoryFormatException e = assertThrows(HistoryFormatException.class,
        () -> History.parse(List.of("noise", line)));
    assertEquals(2, e.lineNumber());
    assertEquals(line, e.line());
    assertTrue(e.getMessage().contains("line 2 '" + line + "'"), e.getMessage());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  @Test
  void anInfoOperationNeverCompletes() {
    Op info = Op.write(1, "m", 10, 20, Outcome.INFO, "a");
    Op later = Op.read(2, "m", 1000, 1001, Outcome.OK, "a");
    assertEquals(Long.MAX_VALUE, info.effectiveComplete());
    assertTrue(!info.precedes(later));
    assertTrue(Op.write(1, "m", 10, 20, Outcome.OK, "a").precedes(later));
  }

  @Test
  void groupsByFamilyAndKey() {
    History h = everyKind().add(Op.write(1, "c", 0, 1, Outcome.OK, "same-name-other-family"));
    assertEquals(List.of("c"), List.copyOf(h.byKey(Kind.Family.COUNTER).keySet()));
    assertEquals(List.of("m", "c"), List.copyOf(h.byKey(Kind.Family.REGISTER).keySet()));
    assertEquals(0, h.byKey(Kind.Family.REGISTER).get("m").stream().filter(op -> op.kind() == Kind.INC).count());
    assertEquals(0, h.origin());
  }
}
