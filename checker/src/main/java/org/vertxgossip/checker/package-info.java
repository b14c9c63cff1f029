/**
 * A Jepsen-style checker for histories of distributed counters, locks and single-key registers (map entries).
 *
 * <p>Client processes record one {@link org.vertxgossip.checker.Op} per finished operation, in memory through
 * {@link org.vertxgossip.checker.History#add} or as text lines collected from other JVMs and read back with
 * {@link org.vertxgossip.checker.History#parse}. One line per operation, space separated:
 *
 * <pre>
 * H &lt;process&gt; &lt;kind&gt; &lt;key&gt; &lt;invokeNanos&gt; &lt;completeNanos&gt; &lt;outcome&gt; [fields...]
 *
 *   outcome  OK (acknowledged) | FAIL (definitely not applied) | INFO (unknown: may take effect at any time
 *            after invocation, so the checkers treat its completion as +infinity)
 *   inc      counter incrementAndGet       OK: &lt;returned value&gt;
 *   cget     counter get                   OK: &lt;value&gt;
 *   acquire  lock acquisition              OK: &lt;fencing token&gt;
 *   release  lock release                  always: &lt;token of the hold released&gt;
 *   write    map put                       always: &lt;value&gt;
 *   read     map get                       OK: &lt;value&gt; | nil
 *   cas      map replaceIfPresent          always: &lt;expected&gt; &lt;new&gt;, and when OK: true | false
 * </pre>
 *
 * <p>Fields a kind has "when OK" are absent from FAIL and INFO lines. Then {@link
 * org.vertxgossip.checker.CounterChecker}, {@link org.vertxgossip.checker.LockChecker} and {@link
 * org.vertxgossip.checker.LinearizabilityChecker} check each family of keys; {@link
 * org.vertxgossip.checker.Checker#checkAll} runs all three.
 */
package org.vertxgossip.checker;
