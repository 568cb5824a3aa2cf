package io.fifoactors.core.runtime;

import io.fifoactors.core.MessageDecodingException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActorControlTest {
    @Test
    void everyFieldSurvivesEncoding() {
        ActorControl c = new ActorControl();
        c.appliedSeq = "18849496460467696128";
        c.outSeq = 7;
        c.applied = 11;
        c.rejected = 2;
        c.deferred = 3;
        c.failingSeq = "42";
        c.failedAttempts = 2;
        c.outbox.add(new OutboxEntry(7, "account/b", "abc-7", Map.of("fa-type", "Credit"), new byte[] {1, 2}));
        c.advanceSenderMark("account/z", 5, 10);
        c.stash.add(new Stashed("m1", "Transfer", new byte[] {3}, "account/q", 9, 1000L, 2, 5000L, null));
        c.parked = new Stashed("m2", "Deposit", new byte[0], null, 0, 2000L, 5, 0, "boom");
        c.held.add(new Stashed("m3", "Deposit", new byte[] {4}, null, 0, 3000L, 1, 0, null));
        c.recordRejection(new RejectionRecord("m0", "Transfer", "insufficient funds", Instant.ofEpochMilli(99)), 5);

        ActorControl d = ActorControl.decode(c.encode());
        assertEquals(c.appliedSeq, d.appliedSeq);
        assertEquals(7, d.outSeq);
        assertEquals(11, d.applied);
        assertEquals(3, d.rejected);
        assertEquals(3, d.deferred);
        assertEquals("42", d.failingSeq);
        assertEquals(2, d.failedAttempts);
        assertEquals(1, d.outbox.size());
        assertEquals("abc-7", d.outbox.get(0).messageId());
        assertArrayEquals(new byte[] {1, 2}, d.outbox.get(0).body());
        assertTrue(d.isDuplicateFromSender("account/z", 5));
        assertTrue(!d.isDuplicateFromSender("account/z", 6));
        assertEquals("account/q", d.stash.get(0).sender());
        assertEquals(5000L, d.stash.get(0).deadlineMillis());
        assertEquals("boom", d.parked.reason());
        assertEquals(1, d.held.size());
        assertEquals("insufficient funds", d.recentRejections.peekFirst().reason());
        assertArrayEquals(c.encode(), d.encode());
    }

    @Test
    void anEmptyRecordIsAFreshActorAndGarbageIsAClearError() {
        assertEquals("", ActorControl.decode(new byte[0]).appliedSeq);
        assertThrows(MessageDecodingException.class, () -> ActorControl.decode(new byte[] {9, 9}));
        assertThrows(MessageDecodingException.class, () -> ActorControl.decode(new byte[] {1, 0}));
    }

    @Test
    void senderMarksAreBoundedEldestFirst() {
        ActorControl c = new ActorControl();
        for (int i = 0; i < 5; i++) {
            c.advanceSenderMark("account/s" + i, 1, 3);
        }
        assertEquals(3, c.senderMarks.size());
        assertEquals(2, c.evictedMarks);
        assertTrue(!c.isDuplicateFromSender("account/s0", 1));
        assertTrue(c.isDuplicateFromSender("account/s4", 1));
    }

    @Test
    void theSenderKeyIsPersistedSoItNeverChanges() {
        // pinned: marks written by one version of the library must be read by the next
        assertEquals(-5_027_526_425_113_695_224L, ActorControl.senderKey("account/acc-1"));
        assertTrue(ActorControl.senderKey("account/acc-1") != ActorControl.senderKey("account/acc-2"));
    }

    @Test
    void theEncodingIsDataOutputsSoFormatOneNeverChanges() throws java.io.IOException {
        // format 1 was defined with java.io.DataOutput: the fast writer must produce the same bytes
        String[] texts = {"", "ascii", "caf\u00e9 \u20ac \ud83d\ude00", "nul\u0000char", "\u07ff\u0800\uffff"};
        for (String t : texts) {
            ControlBytes.Out fast = new ControlBytes.Out(4);
            fast.writeUTF(t);
            fast.writeLong(-5_027_526_425_113_695_224L);
            fast.writeInt(-7);
            fast.writeBoolean(true);
            java.io.ByteArrayOutputStream reference = new java.io.ByteArrayOutputStream();
            java.io.DataOutputStream data = new java.io.DataOutputStream(reference);
            data.writeUTF(t);
            data.writeLong(-5_027_526_425_113_695_224L);
            data.writeInt(-7);
            data.writeBoolean(true);
            data.flush();
            assertArrayEquals(reference.toByteArray(), fast.toByteArray(), "text " + t);
            ControlBytes.In in = new ControlBytes.In(reference.toByteArray());
            assertEquals(t, in.readUTF());
            assertEquals(-5_027_526_425_113_695_224L, in.readLong());
            assertEquals(-7, in.readInt());
            assertTrue(in.readBoolean());
        }
    }

    @Test
    void aTruncatedRecordIsAClearError() {
        ActorControl c = new ActorControl();
        c.appliedSeq = "42";
        c.recordRejection(new RejectionRecord("m0", "Transfer", "insufficient funds", Instant.ofEpochMilli(99)), 5);
        byte[] full = c.encode();
        for (int cut = 1; cut < full.length; cut++) {
            byte[] part = java.util.Arrays.copyOf(full, cut);
            assertThrows(MessageDecodingException.class, () -> ActorControl.decode(part), "cut at " + cut);
        }
    }
}
