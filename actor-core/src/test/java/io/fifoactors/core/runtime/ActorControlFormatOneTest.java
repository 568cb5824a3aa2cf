package io.fifoactors.core.runtime;

import io.fifoactors.core.MessageDecodingException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sender marks and kept rejections are held as their format-1 bytes: these tests hold them to a reference model,
 * the record as first implemented (a {@code LinkedHashMap} of marks, a deque of rejections, {@code DataOutputStream}),
 * so that every record written before still decodes identically and every record written now is the same bytes.
 */
class ActorControlFormatOneTest {

    /** The control record as format 1 was first implemented, for the parts these tests vary. */
    static final class Reference {
        String appliedSeq = "";
        long evictedMarks;
        long rejected;
        final LinkedHashMap<Long, Long> marks = new LinkedHashMap<>();
        final ArrayDeque<RejectionRecord> rejections = new ArrayDeque<>();

        void advance(String sender, long seq, int max) {
            Long key = ActorControl.senderKey(sender);
            marks.remove(key);
            marks.put(key, seq);
            while (marks.size() > max) {
                Iterator<Long> eldest = marks.keySet().iterator();
                eldest.next();
                eldest.remove();
                evictedMarks++;
            }
        }

        boolean duplicate(String sender, long seq) {
            Long mark = marks.get(ActorControl.senderKey(sender));
            return mark != null && seq <= mark;
        }

        void reject(RejectionRecord r, int keep) {
            rejected++;
            if (keep <= 0) {
                return;
            }
            rejections.addLast(r);
            while (rejections.size() > keep) {
                rejections.removeFirst();
            }
        }

        byte[] encode() throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(1);
            out.writeUTF(appliedSeq);
            out.writeLong(0); // outSeq
            out.writeLong(0); // applied
            out.writeLong(rejected);
            out.writeLong(0); // deferred
            out.writeLong(evictedMarks);
            out.writeUTF(""); // failingSeq
            out.writeInt(0); // failedAttempts
            out.writeInt(0); // outbox
            out.writeInt(marks.size());
            for (Map.Entry<Long, Long> m : marks.entrySet()) {
                out.writeLong(m.getKey());
                out.writeLong(m.getValue());
            }
            out.writeInt(0); // stash
            out.writeBoolean(false); // parked
            out.writeInt(0); // held
            out.writeInt(rejections.size());
            for (RejectionRecord r : rejections) {
                out.writeUTF(r.messageId());
                out.writeUTF(r.messageType());
                out.writeUTF(r.reason());
                out.writeLong(r.at().toEpochMilli());
            }
            out.flush();
            return bytes.toByteArray();
        }
    }

    /**
     * One step: advance a sender's mark, reject a message, or decode the record written so far and go on with it.
     * {@code lowerBound}: this step's bound on marks is lower than the try's (as after an operator lowers it).
     */
    record Step(int kind, int sender, long seq, String text, int lowerBound) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = net.jqwik.api.Combinators.combine(
                Arbitraries.integers().between(0, 9),
                Arbitraries.integers().between(0, 12),
                Arbitraries.longs().between(-3, 1_000_000_000_000L),
                Arbitraries.strings().withChars("ab \u00e9\u20ac\u0000").ofMaxLength(6),
                Arbitraries.integers().between(0, 5))
                .as(Step::new);
        return step.list().ofMaxSize(60);
    }

    @Property
    void marksAndRejectionsBehaveAndEncodeExactlyAsFormatOneFirstDid(@ForAll("steps") List<Step> steps,
            @ForAll @IntRange(min = 1, max = 6) int maxMarks, @ForAll @IntRange(min = 0, max = 4) int keep)
            throws IOException {
        Reference ref = new Reference();
        ActorControl c = new ActorControl();
        int n = 0;
        for (Step s : steps) {
            String sender = "account/s" + s.sender();
            switch (s.kind()) {
                case 0, 1, 2, 3 -> {
                    assertEquals(ref.duplicate(sender, s.seq()), c.isDuplicateFromSender(sender, s.seq()));
                    ref.advance(sender, s.seq(), maxMarks);
                    c.advanceSenderMark(sender, s.seq(), maxMarks);
                }
                case 4 -> {
                    int lowered = Math.max(1, maxMarks - s.lowerBound());
                    ref.advance(sender, s.seq(), lowered);
                    c.advanceSenderMark(sender, s.seq(), lowered);
                }
                case 5, 6 -> {
                    RejectionRecord r = new RejectionRecord("m" + n++, "T" + s.text(), s.text(),
                            Instant.ofEpochMilli(s.seq()));
                    ref.reject(r, keep);
                    c.recordRejection(r, keep);
                }
                case 7 -> {
                    ref.appliedSeq = Long.toString(s.seq());
                    c.appliedSeq = ref.appliedSeq;
                }
                default -> c = ActorControl.decode(c.encode());
            }
            assertArrayEquals(ref.encode(), c.encode());
            assertEquals(ref.marks.size(), c.senderMarks.size());
            assertEquals(ref.evictedMarks, c.evictedMarks);
            assertEquals(List.copyOf(ref.rejections), List.copyOf(c.recentRejections));
            for (int k = 0; k <= 12; k++) {
                String other = "account/s" + k;
                assertEquals(ref.duplicate(other, s.seq()), c.isDuplicateFromSender(other, s.seq()));
            }
        }
        // and what the reference wrote decodes to the same record
        ActorControl fromReference = ActorControl.decode(ref.encode());
        assertArrayEquals(ref.encode(), fromReference.encode());
        assertEquals(List.copyOf(ref.rejections), List.copyOf(fromReference.recentRejections));
        assertEquals(ref.marks.size(), fromReference.senderMarks.size());
        int i = 0;
        for (Map.Entry<Long, Long> m : ref.marks.entrySet()) {
            assertEquals(m.getKey(), fromReference.senderMarks.keyAt(i));
            assertEquals(m.getValue(), fromReference.senderMarks.markAt(i));
            i++;
        }
    }

    @Property(tries = 200)
    void decodingNeverChangesTheRecordItWasGiven(@ForAll @Size(max = 30) List<@IntRange(min = 0, max = 40) Integer>
            senders) {
        ActorControl c = new ActorControl();
        for (int s : senders) {
            c.advanceSenderMark("account/s" + s, s, 20);
            c.recordRejection(new RejectionRecord("m" + s, "T", "r", Instant.ofEpochMilli(s)), 3);
        }
        byte[] record = c.encode();
        byte[] copy = record.clone();
        ActorControl d = ActorControl.decode(record);
        for (int s = 0; s < 50; s++) {
            d.advanceSenderMark("account/s" + s, 1000 + s, 20);
            d.recordRejection(new RejectionRecord("n" + s, "T", "r", Instant.ofEpochMilli(s)), 3);
        }
        d.encode();
        assertArrayEquals(copy, record);
    }

    @Test
    void aRecordWrittenBeforeDecodesToTheSameFieldsAndBytes() {
        // written by the first implementation (DataOutputStream, LinkedHashMap): marks for account/x (then evicted),
        // account/a and account/b with at most 2 kept, one rejection
        byte[] pinned = HexFormat.of().parseHex(
                "01000234320000000000000007000000000000000b0000000000000002000000"
                + "00000000030000000000000001000000000000000000000000000268029ed488"
                + "52a7740000000000000005c4d283c8b81892d700000000000000090000000000"
                + "000000000000000100026d3000085472616e736665720012696e737566666963"
                + "69656e742066756e64730000000000000063");
        ActorControl d = ActorControl.decode(pinned);
        assertEquals("42", d.appliedSeq);
        assertEquals(7, d.outSeq);
        assertEquals(11, d.applied);
        assertEquals(2, d.rejected);
        assertEquals(3, d.deferred);
        assertEquals(1, d.evictedMarks);
        assertEquals(2, d.senderMarks.size());
        assertEquals(ActorControl.senderKey("account/a"), d.senderMarks.keyAt(0));
        assertEquals(5, d.senderMarks.markAt(0));
        assertEquals(ActorControl.senderKey("account/b"), d.senderMarks.keyAt(1));
        assertEquals(9, d.senderMarks.markAt(1));
        assertTrue(d.isDuplicateFromSender("account/a", 5));
        assertFalse(d.isDuplicateFromSender("account/a", 6));
        assertFalse(d.isDuplicateFromSender("account/c", 1));
        assertEquals(List.of(new RejectionRecord("m0", "Transfer", "insufficient funds", Instant.ofEpochMilli(99))),
                List.copyOf(d.recentRejections));
        assertArrayEquals(pinned, d.encode());
    }

    @Test
    void theLastRejectionsAreKeptNewestLast() {
        ActorControl c = new ActorControl();
        for (int i = 0; i < 5; i++) {
            c.recordRejection(new RejectionRecord("m" + i, "T", "r" + i, Instant.ofEpochMilli(i)), 3);
        }
        assertEquals(5, c.rejected);
        assertEquals(List.of("m2", "m3", "m4"), c.recentRejections.stream().map(RejectionRecord::messageId).toList());
        assertEquals("m2", c.recentRejections.peekFirst().messageId());
        assertEquals("m4", c.recentRejections.peekLast().messageId());
        assertNull(new ActorControl().recentRejections.peekFirst());
        c.recordRejection(new RejectionRecord("m5", "T", "r", Instant.ofEpochMilli(5)), 0);
        assertEquals(6, c.rejected);
        assertEquals(3, c.recentRejections.size());
    }

    @Test
    void badTextInAKeptRejectionIsAClearErrorOnDecodeAsBefore() {
        ActorControl c = new ActorControl();
        c.recordRejection(new RejectionRecord("m0", "T", "ab", Instant.ofEpochMilli(1)), 3);
        byte[] record = c.encode();
        // the reason's two bytes "ab" become a lone continuation byte and a truncated two-byte sequence
        int reason = record.length - 8 - 2;
        for (byte[] bad : new byte[][] {{(byte) 0x80, 'b'}, {'a', (byte) 0xC3}, {(byte) 0xF0, 'b'}}) {
            byte[] corrupt = record.clone();
            corrupt[reason] = bad[0];
            corrupt[reason + 1] = bad[1];
            assertThrows(MessageDecodingException.class, () -> ActorControl.decode(corrupt));
        }
        // while the two-byte and three-byte forms (and a raw zero, which DataInput reads too) are text
        for (String ok : new String[] {"\u00e9", "\u20ac", "\u0000"}) {
            ActorControl t = new ActorControl();
            t.recordRejection(new RejectionRecord("m0", "T", ok, Instant.ofEpochMilli(1)), 3);
            assertEquals(ok, ActorControl.decode(t.encode()).recentRejections.peekFirst().reason());
        }
        byte[] rawZero = record.clone();
        rawZero[reason] = 0;
        assertEquals("\u0000b", ActorControl.decode(rawZero).recentRejections.peekFirst().reason());
    }

    @Test
    void aNegativeCountReadsAsNoEntriesAsFormatOneAlwaysDid() {
        ActorControl c = new ActorControl();
        byte[] record = c.encode();
        // the counts are the last 4 bytes (rejections); the marks' count sits before the stash, parked flag and held
        byte[] negative = record.clone();
        negative[record.length - 4] = (byte) 0xFF;
        assertEquals(0, ActorControl.decode(negative).recentRejections.size());
        byte[] marks = record.clone();
        marks[record.length - 4 - 4 - 1 - 4 - 4] = (byte) 0x80;
        assertEquals(0, ActorControl.decode(marks).senderMarks.size());
    }

    @Test
    void recordsWrittenOneAfterAnotherOnOneThreadDoNotShareBytes() throws IOException {
        // the encoder reuses a scratch buffer per thread: a large record, a failed one and a small one in a row
        Reference small = new Reference();
        small.appliedSeq = "7";
        small.advance("account/a", 3, 10);
        Reference large = new Reference();
        ActorControl big = new ActorControl();
        for (int i = 0; i < 5000; i++) {
            large.advance("account/s" + i, i, 10_000);
            big.advanceSenderMark("account/s" + i, i, 10_000);
        }
        byte[] bigBytes = big.encode();
        assertArrayEquals(large.encode(), bigBytes);
        ActorControl failing = new ActorControl();
        failing.appliedSeq = "x".repeat(70_000);
        assertThrows(IllegalArgumentException.class, failing::encode);
        ActorControl c = new ActorControl();
        c.appliedSeq = "7";
        c.advanceSenderMark("account/a", 3, 10);
        byte[] smallBytes = c.encode();
        assertArrayEquals(small.encode(), smallBytes);
        assertArrayEquals(large.encode(), bigBytes);
        assertArrayEquals(large.encode(), big.encode());
    }

    @Test
    void theSenderKeyIsRecomputedForEachNewSenderString() {
        ActorControl c = new ActorControl();
        c.advanceSenderMark("account/a", 5, 10);
        // an equal string that is another instance, then a different sender: each looked up by its own key
        assertTrue(c.isDuplicateFromSender(new String("account/a"), 5));
        assertFalse(c.isDuplicateFromSender("account/b", 5));
        assertTrue(c.isDuplicateFromSender("account/a", 4));
        assertThrows(NullPointerException.class, () -> c.isDuplicateFromSender(null, 1));
        assertThrows(NullPointerException.class, () -> new ActorControl().isDuplicateFromSender(null, 1));
    }
}
