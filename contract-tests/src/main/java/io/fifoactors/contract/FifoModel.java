package io.fifoactors.contract;

import io.fifoactors.core.FifoActorsException;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.MailboxLimits;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.port.SequenceNumbers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * An executable model of one SQS FIFO queue and its FIFO dead-letter queue, as AWS documents them, used as the
 * oracle of the mailbox fuzz. Where SQS is deterministic (what a send enqueues, which receipts delete, what a
 * visibility change does, what the dead-letter queue holds) it predicts exactly; where it is not (which groups and
 * how many messages a receive returns) it checks the answer against the set of allowed answers and then follows it.
 * Time is the fuzz's logical time (the virtual clock in memory; on a real server the fuzz keeps real time far from
 * every visibility boundary). A server's documented deviations ({@link MailboxFixture.Quirk}) are followed where they
 * apply, so that everything else is still checked.
 *
 * <p>Not thread-safe: one model per fuzz sequence.
 */
final class FifoModel {
    static final long DEDUP_WINDOW_MS = 5 * 60_000;

    /** A violation of the model: the message says what was expected and what happened. */
    static final class Divergence extends AssertionError {
        Divergence(String message) {
            super(message);
        }
    }

    private record Key(String group, String id) {
    }

    /** One message in the queue. */
    static final class Msg {
        final OutgoingMessage out;
        final long order;
        int receiveCount;
        String sequence;
        String receipt;
        long deadline;

        Msg(OutgoingMessage out, long order) {
            this.out = out;
            this.order = order;
        }

        String group() {
            return out.groupId();
        }
    }

    private final Set<MailboxFixture.Quirk> quirks;
    private final int maxReceiveCount;
    private long now;
    private long order;
    private final Map<String, List<Msg>> groups = new LinkedHashMap<>();
    private final Map<Key, Long> dedup = new HashMap<>();
    private final Map<String, Msg> byReceipt = new HashMap<>();
    private final Map<Key, Long> letterDedup = new HashMap<>();
    private final List<DeadLetter> letters = new ArrayList<>();
    private final List<Msg> moved = new ArrayList<>();

    FifoModel(Set<MailboxFixture.Quirk> quirks, int maxReceiveCount) {
        this.quirks = quirks;
        this.maxReceiveCount = maxReceiveCount;
    }

    long now() {
        return now;
    }

    void pass(long millis) {
        now += millis;
    }

    // ------------------------------------------------------------------------------------------------ send

    /** The exception class the send must throw (null: none), by the rules every mailbox applies. */
    static Class<? extends FifoActorsException> expectedFailure(List<OutgoingMessage> messages) {
        for (OutgoingMessage m : messages) {
            try {
                MailboxLimits.check(m);
            } catch (FifoActorsException e) {
                return e.getClass();
            }
        }
        return null;
    }

    /** Checks a send's outcome and applies it. */
    void send(List<OutgoingMessage> messages, FifoActorsException thrown) {
        Class<? extends FifoActorsException> expected = expectedFailure(messages);
        Class<?> got = thrown == null ? null : thrown.getClass();
        if (!Objects.equals(expected, got)) {
            throw new Divergence("send: expected " + name(expected) + ", got " + name(got)
                    + (thrown == null ? "" : " (" + thrown.getMessage() + ")"));
        }
        if (expected != null) {
            return;
        }
        for (OutgoingMessage m : messages) {
            Key key = new Key(m.groupId(), m.messageId());
            Long until = dedup.get(key);
            if (until != null && until > now) {
                continue;
            }
            dedup.put(key, now + DEDUP_WINDOW_MS);
            groups.computeIfAbsent(m.groupId(), g -> new ArrayList<>()).add(new Msg(m, order++));
        }
    }

    private static String name(Class<?> c) {
        return c == null ? "no exception" : c.getSimpleName();
    }

    // ------------------------------------------------------------------------------------------------ receive

    private boolean inFlight(Msg m) {
        return m.receipt != null && m.deadline > now;
    }

    /** Moves every group's visible messages received maxReceiveCount times, from its head, as SQS's redrive does. */
    private void redrive() {
        if (maxReceiveCount == 0) {
            return;
        }
        for (List<Msg> g : groups.values()) {
            while (!g.isEmpty() && !inFlight(g.get(0)) && g.get(0).receiveCount >= maxReceiveCount) {
                moved.add(g.remove(0));
            }
        }
    }

    /** Checks a receive's answer against the allowed ones and applies it. */
    void receive(int max, long visibilityMillis, List<Delivery> got) {
        redrive();
        if (got.size() > max) {
            throw new Divergence("receive(" + max + ") returned " + got.size() + " messages");
        }
        Map<String, List<Delivery>> byGroup = new LinkedHashMap<>();
        for (Delivery d : got) {
            byGroup.computeIfAbsent(d.groupId(), g -> new ArrayList<>()).add(d);
        }
        for (Map.Entry<String, List<Delivery>> e : byGroup.entrySet()) {
            List<Msg> g = groups.getOrDefault(e.getKey(), List.of());
            List<Delivery> ds = e.getValue();
            boolean laterMayBeInFlight = quirks.contains(MailboxFixture.Quirk.LATER_IN_FLIGHT_DOES_NOT_LOCK_GROUP);
            for (int i = 0; i < g.size(); i++) {
                if (inFlight(g.get(i)) && (!laterMayBeInFlight || i < ds.size())) {
                    throw new Divergence("receive returned " + ds.get(0) + " while " + g.get(i).out.messageId()
                            + " of its group is in flight");
                }
            }
            if (ds.size() > g.size()) {
                throw new Divergence("receive returned " + ds.size() + " messages of " + e.getKey() + ", which holds "
                        + g.size() + ": " + ds);
            }
            for (int i = 0; i < ds.size(); i++) {
                check(g.get(i), ds.get(i), e.getKey(), i);
            }
        }
        for (Delivery d : got) {
            Msg m = find(d);
            m.receiveCount++;
            if (m.receipt != null) {
                byReceipt.remove(m.receipt);
            }
            m.receipt = d.receiptHandle();
            byReceipt.put(m.receipt, m);
            m.deadline = now + visibilityMillis;
        }
    }

    private Msg find(Delivery d) {
        for (Msg m : groups.get(d.groupId())) {
            if (m.out.messageId().equals(d.messageId()) && (m.sequence == null || m.sequence.equals(d.sequenceNumber()))) {
                return m;
            }
        }
        throw new IllegalStateException("checked delivery not found: " + d);
    }

    private void check(Msg m, Delivery d, String group, int index) {
        String where = "receive: message " + index + " of group " + group;
        if (!m.out.messageId().equals(d.messageId())) {
            throw new Divergence(where + " should be " + m.out.messageId() + " (group order), was " + d.messageId());
        }
        if (!Arrays.equals(m.out.body(), d.body())) {
            throw new Divergence(where + " (" + d.messageId() + "): body of " + d.body().length + " bytes, sent "
                    + m.out.body().length);
        }
        if (!m.out.attributes().equals(d.attributes())) {
            throw new Divergence(where + " (" + d.messageId() + "): attributes " + d.attributes().keySet()
                    + ", sent " + m.out.attributes().keySet());
        }
        if (d.receiveCount() != m.receiveCount + 1) {
            throw new Divergence(where + " (" + d.messageId() + "): receive count " + d.receiveCount()
                    + ", expected " + (m.receiveCount + 1));
        }
        if (m.sequence != null && !m.sequence.equals(d.sequenceNumber())) {
            throw new Divergence(where + " (" + d.messageId() + "): sequence number changed on redelivery");
        }
        for (Msg other : groups.get(group)) {
            if (other != m && other.sequence != null) {
                int c = SequenceNumbers.compare(other.sequence, d.sequenceNumber());
                if ((other.order < m.order) != (c < 0)) {
                    throw new Divergence(where + " (" + d.messageId() + "): sequence number out of enqueue order");
                }
            }
        }
        m.sequence = d.sequenceNumber();
    }

    // ------------------------------------------------------------------------------------------------ receipts

    /** What a receipt is now. */
    enum Receipt { CURRENT_IN_FLIGHT, EXPIRED, STALE }

    Receipt receipt(Delivery d) {
        Msg m = byReceipt.get(d.receiptHandle());
        if (m == null || !d.receiptHandle().equals(m.receipt) || !contains(m)) {
            return Receipt.STALE;
        }
        return m.deadline > now ? Receipt.CURRENT_IN_FLIGHT : Receipt.EXPIRED;
    }

    private boolean contains(Msg m) {
        List<Msg> g = groups.get(m.group());
        return g != null && g.contains(m);
    }

    /** Checks an acknowledge's answer (the deliveries not deleted) and applies it. */
    void acknowledge(List<Delivery> asked, List<Delivery> notDeleted) {
        List<Delivery> expected = new ArrayList<>();
        for (Delivery d : asked) {
            Receipt r = receipt(d);
            boolean deletes = r == Receipt.CURRENT_IN_FLIGHT
                    || (r == Receipt.EXPIRED && quirks.contains(MailboxFixture.Quirk.EXPIRED_RECEIPT_DELETES));
            if (!deletes) {
                expected.add(d);
            }
        }
        if (!sameReceipts(expected, notDeleted)) {
            throw new Divergence("acknowledge of " + describe(asked) + ": expected not deleted " + describe(expected)
                    + ", got " + describe(notDeleted));
        }
        for (Delivery d : asked) {
            if (!expected.contains(d)) {
                Msg m = byReceipt.remove(d.receiptHandle());
                groups.get(m.group()).remove(m);
            }
        }
    }

    private String describe(List<Delivery> ds) {
        List<String> out = new ArrayList<>();
        for (Delivery d : ds) {
            out.add(d.groupId() + ":" + d.messageId() + "#" + d.receiveCount() + "(" + receipt(d) + ")");
        }
        return out.toString();
    }

    private static boolean sameReceipts(List<Delivery> a, List<Delivery> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).receiptHandle().equals(b.get(i).receiptHandle())) {
                return false;
            }
        }
        return true;
    }

    /** Applies a visibility change (retryAfter or extendVisibility); it has no answer to check. */
    void changeVisibility(List<Delivery> deliveries, long seconds) {
        for (Delivery d : deliveries) {
            Receipt r = receipt(d);
            if (r == Receipt.CURRENT_IN_FLIGHT
                    || (r == Receipt.EXPIRED && quirks.contains(MailboxFixture.Quirk.EXPIRED_RECEIPT_CHANGES_VISIBILITY))) {
                byReceipt.get(d.receiptHandle()).deadline = now + seconds * 1000;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ dead letters

    void deadLetter(DeadLetter letter) {
        Key key = new Key(letter.groupId(), letter.deadLetterId());
        Long until = letterDedup.get(key);
        if (until != null && until > now) {
            return;
        }
        letterDedup.put(key, now + DEDUP_WINDOW_MS);
        letters.add(letter);
    }

    /** Checks what the dead-letter queue holds: consumers' letters in order per group, redrive moves as a set. */
    void checkDeadLetters(List<DeadLetter> got) {
        redrive();
        Map<String, List<String>> expectedLetters = new LinkedHashMap<>();
        for (DeadLetter l : letters) {
            expectedLetters.computeIfAbsent(l.groupId(), g -> new ArrayList<>()).add(describe(l));
        }
        Map<String, List<String>> gotLetters = new LinkedHashMap<>();
        List<String> gotMoves = new ArrayList<>();
        for (DeadLetter l : got) {
            if (l.reason().equals(MailboxFixture.MOVED_BY_REDRIVE)) {
                gotMoves.add(l.groupId() + ":" + l.messageId());
            } else {
                gotLetters.computeIfAbsent(l.groupId(), g -> new ArrayList<>()).add(describe(l));
            }
        }
        if (!expectedLetters.equals(gotLetters)) {
            throw new Divergence("dead letters: expected " + expectedLetters + ", got " + gotLetters);
        }
        List<String> expectedMoves = new ArrayList<>();
        for (Msg m : moved) {
            expectedMoves.add(m.group() + ":" + m.out.messageId());
        }
        expectedMoves.sort(null);
        gotMoves.sort(null);
        if (!expectedMoves.equals(gotMoves)) {
            throw new Divergence("redrive moves: expected " + expectedMoves + ", got " + gotMoves);
        }
    }

    private static String describe(DeadLetter l) {
        return l.messageId() + "[" + l.reason().length() + " chars, " + l.body().length + " B, "
                + new TreeMap<>(l.attributes()).keySet() + ", body hash " + Arrays.hashCode(l.body())
                + ", reason hash " + l.reason().hashCode() + ", attributes hash " + l.attributes().hashCode() + "]";
    }

    int movedCount() {
        return moved.size();
    }

    int deadLetterCount() {
        return letters.size() + moved.size();
    }

    // ------------------------------------------------------------------------------------------------ draining

    /** Receipts of messages held in flight now (to release them before a drain). */
    List<String> inFlightReceipts() {
        List<String> out = new ArrayList<>();
        for (List<Msg> g : groups.values()) {
            for (Msg m : g) {
                if (inFlight(m)) {
                    out.add(m.receipt);
                }
            }
        }
        return out;
    }

    /** Messages still in the queue (after the redrive a receive would make). */
    int remaining() {
        redrive();
        int n = 0;
        for (Iterator<List<Msg>> it = groups.values().iterator(); it.hasNext(); ) {
            n += it.next().size();
        }
        return n;
    }

    /** The model's messages still in the queue, for a failure message. */
    String contents() {
        StringBuilder b = new StringBuilder();
        groups.forEach((g, ms) -> {
            if (!ms.isEmpty()) {
                b.append(g).append('=');
                for (Msg m : ms) {
                    b.append(m.out.messageId()).append('#').append(m.receiveCount)
                            .append(inFlight(m) ? "(in flight)" : "").append(' ');
                }
            }
        });
        return b.toString();
    }
}
