package io.fifoactors.core.internal;

import io.fifoactors.core.MessageDecodingException;
import io.fifoactors.core.port.Attention;
import io.fifoactors.core.port.StoredRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The record's bookkeeping survives its encoding, field by field, and a corrupt record is refused. */
class ControlTest {
    static Control full() {
        Control c = new Control();
        c.nonce = 0x1234_5678_9ABC_DEF0L;
        c.appliedSeq = "18923456789012345678901234567";
        c.outSeq = 17;
        c.applied = 300;
        c.rejected = 4;
        c.deferred = 2;
        c.deadLettered = 1;
        c.timersFired = 3;
        c.failingSeq = "18923456789012345678901234568";
        c.failedAttempts = 2;
        c.attemptInProgress = true;
        c.attemptReceiveCount = 6;
        c.failingReason = Optional.of("java.lang.IllegalStateException: é");
        c.outbox.add(new OutboxEntry.Message(16, 1000, "account/b", "Credit", bytes("{\"n\":1}")));
        c.outbox.add(new OutboxEntry.Timer(17, 1001, "expiry", 3, 5000));
        c.outbox.add(new OutboxEntry.DeadLetter(15, 999, "m-1", "Hold", bytes("{}"), "skipped by operator",
                Optional.of(new Inbound.From("account/z", 3, 990))));
        c.pendingDeadLetters.add(new PendingDeadLetter("18923456789012345678901234560", "m-0", "malformed"));
        c.marks.add(new Mark(Mark.senderKey("account/x"), 9, 123_456));
        c.archive = Optional.of(new Control.ArchiveHead("00ff00ff00ff00ff", 123_000));
        c.stash.add(new Stashed("m-2", "Transfer", bytes("{}"), Optional.of(new Inbound.From("account/y", 4, 70)), Optional.empty(), 77,
                2, 99_000, Optional.empty()));
        c.parked = Optional.of(new Stashed("m-3", "Boom", bytes("{}"), Optional.empty(), Optional.of("t"), 78, 5,
                0, Optional.of("handler failed 5 times")));
        c.held.add(new Stashed("m-4", "Add", bytes("{}"), Optional.empty(), Optional.empty(), 79, 1, 0,
                Optional.empty()));
        c.nextTimerGeneration = 4;
        c.timers.add(new TimerEntry("expiry", 3, 5000, "Expire", bytes("{}")));
        c.recentRejections.add(new Rejection("m-5", "Transfer", "insufficient funds", 80));
        c.lettered.add(new Control.Lettered(Mark.senderKey("account/w"), 12, 81));
        return c;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aRecordCallsForAttentionWhenParkedFailingOrLarge() {
        Control quiet = new Control();
        quiet.appliedSeq = "100";
        assertEquals(Set.of(), quiet.record(3, new byte[10]).attention());

        Control c = full();
        StoredRecord r = c.record(7, bytes("{}"));
        assertEquals(7, r.version());
        assertArrayEquals(c.encode(), r.control());
        assertEquals(Set.of(Attention.PARKED, Attention.FAILING), r.attention());

        c.appliedSeq = c.failingSeq; // the failing message was applied since: no longer failing
        assertEquals(Set.of(Attention.PARKED), c.record(8, bytes("{}")).attention());

        assertEquals(Set.of(Attention.LARGE), quiet.record(4, new byte[(int) Attention.LARGE_RECORD_BYTES]).attention());
        assertEquals(Set.of(), quiet.record(4, new byte[(int) Attention.LARGE_RECORD_BYTES - 100]).attention());
    }

    @Test
    void everyFieldSurvivesTheEncoding() {
        Control c = full();
        byte[] encoded = c.encode();
        Control back = Control.decode(encoded);
        assertArrayEquals(encoded, back.encode(), "encode(decode(x)) == x");
        assertEquals(c.nonce, back.nonce);
        assertEquals(c.appliedSeq, back.appliedSeq);
        assertEquals(c.failingReason, back.failingReason);
        assertEquals(c.attemptReceiveCount, back.attemptReceiveCount);
        assertEquals(3, back.outbox.size());
        assertEquals(c.pendingDeadLetters, back.pendingDeadLetters);
        assertEquals(c.marks, back.marks);
        assertEquals(c.archive, back.archive);
        assertEquals(c.parked.get().reason(), back.parked.get().reason());
        assertEquals(c.timers.get(0).key(), back.timers.get(0).key());
        assertEquals(c.recentRejections, back.recentRejections);
        assertEquals(c.lettered, back.lettered);
    }

    @Test
    void anEmptyRecordIsTheInitialBookkeeping() {
        Control c = Control.decode(new byte[0]);
        assertEquals("", c.appliedSeq);
        assertEquals(1, c.nextTimerGeneration);
        assertTrue(c.outbox.isEmpty());
    }

    @Test
    void aTypicalLedgerRecordIsSmall() {
        Control c = new Control();
        c.nonce = -1;
        c.appliedSeq = "18923456789012345678901234567";
        c.outSeq = 1_000;
        c.applied = 10_000;
        for (int i = 0; i < 16; i++) {
            c.marks.add(new Mark(Mark.senderKey("account/a" + i), 500 + i, 1_767_225_600_000L + i));
        }
        assertTrue(c.encode().length < 400, "16 sender marks and counters: " + c.encode().length + " bytes");
    }

    @Test
    void aTruncatedOrForeignRecordIsRefused() {
        byte[] encoded = full().encode();
        for (int cut = 1; cut < encoded.length; cut += 7) {
            byte[] truncated = Arrays.copyOf(encoded, cut);
            assertThrows(MessageDecodingException.class, () -> Control.decode(truncated), "cut at " + cut);
        }
        byte[] otherFormat = encoded.clone();
        otherFormat[0] = 9;
        assertTrue(assertThrows(MessageDecodingException.class, () -> Control.decode(otherFormat)).getMessage()
                .contains("format 9"));
    }
}
