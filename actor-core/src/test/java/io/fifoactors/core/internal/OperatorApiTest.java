package io.fifoactors.core.internal;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.MessageDecodingException;
import io.fifoactors.core.MessageEncodingException;
import io.fifoactors.core.port.Attention;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.port.RedrivePolicy;
import io.fifoactors.core.port.StateStore;
import io.fifoactors.core.port.StoredRecord;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.Envelope;
import io.fifoactors.core.runtime.MessageKeys;
import io.fifoactors.core.runtime.Resolution;
import io.fifoactors.core.runtime.SystemMessages;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an operator tool needs of the core without the actors' classes or an ActorSystem: a raw snapshot of a stored
 * record, and authenticated wake and unpark messages that the runtime accepts (and ActorSystem sends the same).
 */
class OperatorApiTest {
    private static final ActorId ID = ActorId.of("counter", "a");

    private static Delivery delivered(OutgoingMessage m) {
        return new Delivery(m.messageId(), m.groupId(), "1000001", 1, Fixtures.T0, m.attributes(), m.body(), "r");
    }

    @Test
    void aRawSnapshotShowsTheStateBytesAndTheBookkeepingInWords() {
        Control c = ControlTest.full();
        byte[] state = "{\"value\":7}".getBytes(StandardCharsets.UTF_8);
        StoredRecord record = c.record(9, state);

        ActorSnapshot<byte[]> s = ActorSnapshot.ofRecord(ID, Optional.of(record));
        assertEquals(ID, s.id());
        assertEquals(9, s.version());
        assertArrayEquals(state, s.state());
        assertNotSame(state, s.state(), "the caller owns a copy");
        assertEquals(record.sizeBytes(), s.recordBytes());
        assertEquals(100.0 * record.sizeBytes() / StateStore.MAX_RECORD_BYTES, s.recordUsePercent(), 1e-9);
        assertEquals(c.appliedSeq, s.appliedSequence());
        assertEquals(300, s.applied());
        assertEquals(4, s.rejected());
        assertEquals(17, s.sent());
        assertEquals(List.of("message", "timer", "dead-letter"), s.outbox().stream()
                .map(ActorSnapshot.OutboxItem::kind).toList());
        assertEquals("account/b", s.outbox().get(0).target());
        assertEquals(1, s.stash().size());
        assertEquals("m-2", s.stash().get(0).messageId());
        assertEquals(Instant.ofEpochMilli(99_000), s.stash().get(0).deadline());
        assertEquals(new ActorSnapshot.ParkedMessage("m-3", "Boom", "handler failed 5 times"),
                s.parked().orElseThrow());
        assertEquals(1, s.held());
        assertEquals(List.of(new ActorSnapshot.TimerView("expiry", Instant.ofEpochMilli(5000), "Expire")), s.timers());
        ActorSnapshot.Failing failing = s.failing().orElseThrow();
        assertEquals(c.failingSeq, failing.sequenceNumber());
        assertEquals(2, failing.attempts());
        assertEquals(Optional.of("java.lang.IllegalStateException: é"), failing.reason());
        assertEquals(List.of(new ActorSnapshot.RejectionView("m-5", "Transfer", "insufficient funds",
                Instant.ofEpochMilli(80))), s.recentRejections());
        assertEquals(1, s.senderMarks());
        assertTrue(s.archived());
        // the same rule as on commit: what the store was given is what inspection says
        assertEquals(record.attention(), s.attention());
        assertEquals(Set.of(Attention.PARKED, Attention.FAILING), s.attention());
    }

    @Test
    void aRawSnapshotOfAnActorThatNeverCommittedIsEmptyAndALargeRecordSaysSo() {
        ActorSnapshot<byte[]> none = ActorSnapshot.ofRecord(ID, Optional.empty());
        assertEquals(0, none.version());
        assertArrayEquals(new byte[0], none.state());
        assertEquals(Set.of(), none.attention());
        assertTrue(none.parked().isEmpty());
        assertTrue(none.failing().isEmpty());

        Control quiet = new Control();
        quiet.appliedSeq = "100";
        StoredRecord large = quiet.record(3, new byte[(int) Attention.LARGE_RECORD_BYTES]);
        ActorSnapshot<byte[]> s = ActorSnapshot.ofRecord(ID, Optional.of(large));
        assertEquals(Set.of(Attention.LARGE), s.attention());
        assertTrue(s.recordUsePercent() > 75 && s.recordUsePercent() < 76, "" + s.recordUsePercent());
    }

    @Test
    void aRecordThisRuntimeCannotReadIsRefusedNamingNoPayload() {
        StoredRecord foreign = new StoredRecord(1, "{\"secret\":1}".getBytes(StandardCharsets.UTF_8),
                new byte[] {9, 9, 9});
        MessageDecodingException e = assertThrows(MessageDecodingException.class,
                () -> ActorSnapshot.ofRecord(ID, Optional.of(foreign)));
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }

    @Test
    void wakeAndUnparkAreAuthenticatedSystemMessagesTheRuntimeAccepts() {
        MessageKeys keys = Fixtures.KEYS;
        OutgoingMessage wake = SystemMessages.wake(ID, "req-1", keys);
        assertEquals(ID.groupId(), wake.groupId());
        assertEquals("req-1", wake.messageId(), "the request id is the deduplication id");
        assertEquals(Envelope.SYSTEM_WAKE, wake.attributes().get(Envelope.TYPE));
        Inbound in = Inbound.parse(delivered(wake), keys);
        assertEquals(Inbound.Kind.WAKE, in.kind());
        assertTrue(in.problem().isEmpty(), in.problem().toString());

        for (Resolution r : Resolution.values()) {
            OutgoingMessage unpark = SystemMessages.unpark(ID, r, "req-" + r, keys);
            assertArrayEquals(r.name().getBytes(StandardCharsets.US_ASCII), unpark.body());
            Inbound u = Inbound.parse(delivered(unpark), keys);
            assertEquals(Inbound.Kind.UNPARK, u.kind());
            assertTrue(u.problem().isEmpty(), u.problem().toString());
        }

        // keys the consumers do not hold: refused as unauthenticated, not obeyed
        OutgoingMessage forged = SystemMessages.unpark(ID, Resolution.SKIP, "req-2", MessageKeys.random());
        Inbound refused = Inbound.parse(delivered(forged), keys);
        assertEquals(Inbound.Kind.REFUSED, refused.kind());
        assertTrue(refused.problem().orElseThrow().startsWith("unauthenticated"), refused.problem().toString());
        // the tag covers the target: the same message delivered to another actor is refused
        Delivery moved = new Delivery("req-1", "counter/b", "1000001", 1, Fixtures.T0, wake.attributes(),
                wake.body(), "r");
        assertEquals(Inbound.Kind.REFUSED, Inbound.parse(moved, keys).kind());
    }

    @Test
    void requestIdsAreCheckedAsMessageIds() {
        assertThrows(MessageEncodingException.class, () -> SystemMessages.wake(ID, "", Fixtures.KEYS));
        assertThrows(MessageEncodingException.class, () -> SystemMessages.wake(ID, "has space", Fixtures.KEYS));
        assertThrows(MessageEncodingException.class, () -> SystemMessages.wake(ID, "x".repeat(129), Fixtures.KEYS));
        assertEquals("x".repeat(128), SystemMessages.wake(ID, "x".repeat(128), Fixtures.KEYS).messageId());
        assertThrows(NullPointerException.class,
                () -> SystemMessages.unpark(ID, null, "req", Fixtures.KEYS));
    }

    @Test
    void actorSystemSendsExactlyTheseMessages() {
        List<OutgoingMessage> sent = new ArrayList<>();
        ActorSystem system = ActorSystem.builder()
                .register(Fixtures.COUNTER)
                .stateStore(new io.fifoactors.core.port.StateStore() {
                    public Optional<StoredRecord> load(ActorId id) {
                        return Optional.empty();
                    }

                    public Map<ActorId, StoredRecord> loadAll(java.util.Collection<ActorId> ids,
                                                              io.fifoactors.core.port.Consistency c) {
                        return Map.of();
                    }

                    public void commit(ActorId id, long expectedVersion, StoredRecord next) {
                    }

                    public void putArchive(ActorId id, String chunkId, byte[] data, Instant expiresAt) {
                    }

                    public Optional<byte[]> loadArchive(ActorId id, String chunkId) {
                        return Optional.empty();
                    }
                })
                .mailbox(new Mailbox() {
                    public void send(List<OutgoingMessage> messages) {
                        sent.addAll(messages);
                    }

                    public List<Delivery> receive(int maxMessages, Duration visibilityTimeout, Duration waitTime) {
                        return List.of();
                    }

                    public List<Delivery> acknowledge(List<Delivery> deliveries) {
                        return List.of();
                    }

                    public void retryAfter(List<Delivery> deliveries, Duration delay) {
                    }

                    public void extendVisibility(List<Delivery> deliveries, Duration visibility) {
                    }

                    public void deadLetter(DeadLetter letter) {
                    }

                    public RedrivePolicy redrivePolicy() {
                        return RedrivePolicy.none();
                    }
                })
                .scheduler(messages -> { })
                .messageKeys(Fixtures.KEYS)
                .inlineGroups()
                .build();
        system.wake(ID, "w-1");
        system.unpark(ID, Resolution.RETRY, "u-1");
        assertEquals(2, sent.size());
        assertSame(SystemMessages.wake(ID, "w-1", Fixtures.KEYS), sent.get(0));
        assertSame(SystemMessages.unpark(ID, Resolution.RETRY, "u-1", Fixtures.KEYS), sent.get(1));
        assertThrows(MessageEncodingException.class, () -> system.wake(ID, "bad id"));
    }

    private static void assertSame(OutgoingMessage expected, OutgoingMessage actual) {
        assertEquals(expected.groupId(), actual.groupId());
        assertEquals(expected.messageId(), actual.messageId());
        assertEquals(expected.attributes(), actual.attributes());
        assertArrayEquals(expected.body(), actual.body());
    }
}
