package io.fifoactors.inmemory;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.port.StoredRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the in-memory ports promise beyond the shared contract: copies, counters, the deduplication window. */
class InMemoryPortsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void loadAllHandsOutCopiesAndCountsOneLoadPerId() {
        InMemoryStateStore store = InMemoryStateStore.create();
        ActorId a = ActorId.of("account", "a");
        ActorId b = ActorId.of("account", "b");
        store.commit(a, 0, new StoredRecord(1, new byte[] {1}, new byte[] {2}));
        Map<ActorId, StoredRecord> found = store.loadAll(List.of(a, b));
        assertEquals(List.of(a), List.copyOf(found.keySet()));
        assertEquals(2, store.loadCount());
        found.get(a).state()[0] = 9;
        found.get(a).control()[0] = 9;
        StoredRecord again = store.loadAll(List.of(a)).get(a);
        assertArrayEquals(new byte[] {1}, again.state());
        assertArrayEquals(new byte[] {2}, again.control());
        assertEquals(3, store.loadCount());
    }

    private static OutgoingMessage msg(String id, String text, Map<String, String> attributes) {
        return new OutgoingMessage("g/a", id, attributes, text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> drain(InMemoryMailbox mailbox) {
        List<Delivery> got = mailbox.receive(10, Duration.ofSeconds(30), Duration.ZERO);
        mailbox.acknowledge(got);
        return got.stream().map(d -> new String(d.body(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void aDroppedDuplicateNeitherExtendsTheWindowNorIsQueuedTwiceInOneSend() {
        VirtualClock clock = VirtualClock.at(T0);
        InMemoryMailbox mailbox = InMemoryMailbox.builder().clock(clock).build();
        mailbox.send(List.of(msg("x", "first", Map.of()), msg("x", "same send", Map.of())));
        assertEquals(List.of("first"), drain(mailbox));
        clock.advance(Duration.ofMinutes(4));
        mailbox.send(List.of(msg("x", "inside the window", Map.of())));
        assertEquals(List.of(), drain(mailbox));
        clock.advance(Duration.ofMinutes(1)); // five minutes after the first send: its window is over
        mailbox.send(List.of(msg("x", "after the window", Map.of())));
        assertEquals(List.of("after the window"), drain(mailbox));
        assertEquals(2, mailbox.enqueuedCount());
        assertEquals(3, mailbox.sendCalls());
    }

    @Test
    void everyMessageOfASendLeavesTheWindowTogetherAndOnlyThen() {
        VirtualClock clock = VirtualClock.at(T0);
        InMemoryMailbox mailbox = InMemoryMailbox.builder().clock(clock).build();
        mailbox.send(List.of(msg("a", "a0", Map.of()), msg("b", "b0", Map.of()), msg("c", "c0", Map.of())));
        clock.advance(Duration.ofSeconds(10));
        mailbox.send(List.of(msg("d", "d0", Map.of())));
        assertEquals(List.of("a0", "b0", "c0", "d0"), drain(mailbox));
        clock.advance(Duration.ofMinutes(4));
        mailbox.send(List.of(msg("b", "b1", Map.of()), msg("e", "e1", Map.of())));
        assertEquals(List.of("e1"), drain(mailbox));
        clock.advance(Duration.ofSeconds(50)); // a, b, c: five minutes old; d and e still inside their windows
        mailbox.send(List.of(msg("a", "a2", Map.of()), msg("b", "b2", Map.of()), msg("c", "c2", Map.of()),
                msg("d", "d2", Map.of()), msg("e", "e2", Map.of())));
        assertEquals(List.of("a2", "b2", "c2"), drain(mailbox));
        clock.advance(Duration.ofSeconds(10)); // d's window is over; e's is not
        mailbox.send(List.of(msg("d", "d3", Map.of()), msg("e", "e3", Map.of())));
        assertEquals(List.of("d3"), drain(mailbox));
    }

    @Test
    void whatWasSentIsACopyWithTheSendTimeAndGrowingSequenceNumbers() {
        VirtualClock clock = VirtualClock.at(T0);
        InMemoryMailbox mailbox = InMemoryMailbox.builder().clock(clock).build();
        Map<String, String> attributes = new HashMap<>(Map.of("k", "v"));
        OutgoingMessage first = msg("m1", "one", attributes);
        mailbox.send(List.of(first, msg("m2", "two", Map.of())));
        first.body()[0] = 'X';
        attributes.put("k", "changed");
        List<Delivery> got = mailbox.receive(10, Duration.ofSeconds(30), Duration.ZERO);
        assertEquals("one", new String(got.get(0).body(), StandardCharsets.UTF_8));
        assertEquals(Map.of("k", "v"), got.get(0).attributes());
        assertEquals(T0, got.get(0).sentAt());
        assertEquals(T0, got.get(1).sentAt());
        assertEquals(Long.parseLong(got.get(0).sequenceNumber()) + 1, Long.parseLong(got.get(1).sequenceNumber()));
        // a redelivery carries the same sequence number
        mailbox.release(got, Duration.ZERO);
        List<Delivery> again = mailbox.receive(10, Duration.ofSeconds(30), Duration.ZERO);
        assertEquals(got.get(0).sequenceNumber(), again.get(0).sequenceNumber());
        assertEquals(2, again.get(0).receiveCount());
    }
}
