package io.fifoactors.inmemory;

import io.fifoactors.core.MessageTooLargeException;
import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.port.RedrivePolicy;
import io.fifoactors.core.port.ScheduledMessage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the in-memory mailbox models beyond the shared contract: the AWS behaviours ElasticMQ does not show (each is
 * listed in docs/semantics.md, section 8, with its source), exact timing on the virtual clock, copies, counters.
 */
class InMemoryMailboxTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration VISIBILITY = Duration.ofSeconds(30);

    private final VirtualClock clock = VirtualClock.at(T0);
    private final InMemoryMailbox mailbox = InMemoryMailbox.builder().clock(clock).build();

    private static OutgoingMessage msg(String group, String id, String text) {
        return new OutgoingMessage(group, id, Map.of("fa-type", "T"), text.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(Delivery d) {
        return new String(d.body(), StandardCharsets.UTF_8);
    }

    private List<String> drain() {
        List<Delivery> got = mailbox.receive(10, VISIBILITY, Duration.ZERO);
        assertEquals(List.of(), mailbox.acknowledge(got));
        return got.stream().map(InMemoryMailboxTest::text).toList();
    }

    private Delivery receiveOne(Duration visibility) {
        List<Delivery> got = mailbox.receive(10, visibility, Duration.ZERO);
        assertEquals(1, got.size(), got.toString());
        return got.get(0);
    }

    // ------------------------------------------------------------------- AWS behaviours ElasticMQ does not show

    @Test
    void anExpiredReceiptIsRefusedByAcknowledgeAndTheMessageComesBack() {
        // AWS FIFO: "The receipt handle has expired" (aws-sdk-js issue 1750; LocalStack PR 12442 checked it on AWS);
        // ElasticMQ 1.7.1 deletes the message
        mailbox.send(List.of(msg("g/a", "a-1", "a1")));
        Delivery d = receiveOne(Duration.ofSeconds(2));
        clock.advance(Duration.ofSeconds(2));
        assertEquals(List.of(d), mailbox.acknowledge(List.of(d)));
        Delivery again = receiveOne(VISIBILITY);
        assertEquals(2, again.receiveCount());
        assertEquals(List.of(), mailbox.acknowledge(List.of(again)));
    }

    @Test
    void aReceiptWhoseVisibilityWasExtendedIsValidUntilTheNewTimeout() {
        mailbox.send(List.of(msg("g/a", "a-1", "a1")));
        Delivery d = receiveOne(Duration.ofSeconds(2));
        mailbox.extendVisibility(List.of(d), Duration.ofSeconds(5));
        clock.advance(Duration.ofSeconds(4));
        assertEquals(List.of(), mailbox.acknowledge(List.of(d)));
        assertEquals(0, mailbox.size());
    }

    @Test
    void aVisibilityChangeWithAnExpiredReceiptSucceedsAndChangesNothing() {
        // AWS answers OK and does nothing (LocalStack PR 9632, checked on AWS); ElasticMQ 1.7.1 hides the message again
        mailbox.send(List.of(msg("g/a", "a-1", "a1"), msg("g/a", "a-2", "a2")));
        List<Delivery> got = mailbox.receive(10, Duration.ofSeconds(1), Duration.ZERO);
        assertEquals(2, got.size());
        clock.advance(Duration.ofSeconds(1));
        mailbox.extendVisibility(got, Duration.ofSeconds(60));
        mailbox.retryAfter(got.subList(0, 1), Duration.ofSeconds(60));
        List<Delivery> again = mailbox.receive(10, VISIBILITY, Duration.ZERO);
        assertEquals(List.of("a1", "a2"), again.stream().map(InMemoryMailboxTest::text).toList(),
                "the group is neither locked nor hidden");
        assertEquals(List.of(2, 2), again.stream().map(Delivery::receiveCount).toList());
    }

    @Test
    void aMessageStaysInvisibleAtMostTwelveHoursAfterItsReceive() {
        // AWS refuses a ChangeMessageVisibility past 12 hours in total; ElasticMQ 1.7.1 accepts it
        mailbox.send(List.of(msg("g/a", "a-1", "a1"), msg("g/b", "b-1", "b1")));
        List<Delivery> got = mailbox.receive(10, Duration.ofHours(11), Duration.ZERO);
        clock.advance(Duration.ofHours(10));
        mailbox.extendVisibility(got.subList(0, 1), Duration.ofHours(2)); // 12 hours after the receive: allowed
        clock.advance(Duration.ofMinutes(1));
        PermanentFailureException e = assertThrows(PermanentFailureException.class,
                () -> mailbox.extendVisibility(got, Duration.ofHours(2)));
        assertTrue(e.getMessage().contains("12 hours"), e.getMessage());
        clock.advance(Duration.ofMinutes(59).plusSeconds(1)); // past 11 h: b-1's first timeout is over
        assertEquals(List.of("b1"), mailbox.receive(10, VISIBILITY, Duration.ZERO).stream()
                .map(InMemoryMailboxTest::text).toList(), "a-1 still hidden by its allowed extension");
    }

    // ------------------------------------------------------------------- exact time on the virtual clock

    @Test
    void visibilityIsWholeSecondsRoundedUp() {
        mailbox.send(List.of(msg("g/a", "a-1", "a1")));
        receiveOne(Duration.ofMillis(500));
        clock.advance(Duration.ofMillis(999));
        assertEquals(List.of(), mailbox.receive(10, VISIBILITY, Duration.ZERO), "500 ms counts as 1 s");
        clock.advance(Duration.ofMillis(1));
        assertEquals(1, mailbox.receive(10, VISIBILITY, Duration.ZERO).size());
    }

    @Test
    void aLongPollWaitsAtMostTwentySeconds() {
        mailbox.receive(10, VISIBILITY, Duration.ofMinutes(5));
        assertEquals(T0.plusSeconds(20), clock.instant());
        mailbox.send(List.of(msg("g/a", "a-1", "a1")));
        Delivery d = receiveOne(Duration.ofSeconds(7));
        mailbox.receive(10, VISIBILITY, Duration.ofSeconds(20));
        assertEquals(T0.plusSeconds(27), clock.instant(), "the wait ends when the message is visible again");
        assertEquals(List.of(d), mailbox.acknowledge(List.of(d)), "expired (the message was received again)");
    }

    // ------------------------------------------------------------------- deduplication (ported and per group)

    @Test
    void aDroppedDuplicateNeitherExtendsTheWindowNorIsQueuedTwiceInOneSend() {
        mailbox.send(List.of(msg("g/a", "x", "first"), msg("g/a", "x", "same send")));
        assertEquals(List.of("first"), drain());
        clock.advance(Duration.ofMinutes(4));
        mailbox.send(List.of(msg("g/a", "x", "inside the window")));
        assertEquals(List.of(), drain());
        clock.advance(Duration.ofMinutes(1)); // five minutes after the first send: its window is over
        mailbox.send(List.of(msg("g/a", "x", "after the window")));
        assertEquals(List.of("after the window"), drain());
        assertEquals(2, mailbox.enqueuedCount());
        assertEquals(3, mailbox.sendCalls());
    }

    @Test
    void eachGroupHasItsOwnWindowForTheSameId() {
        mailbox.send(List.of(msg("g/a", "x", "a0")));
        clock.advance(Duration.ofMinutes(3));
        mailbox.send(List.of(msg("g/b", "x", "b0"), msg("g/a", "x", "a-dup")));
        assertEquals(List.of("a0", "b0"), drain());
        clock.advance(Duration.ofMinutes(2)); // g/a's window is over, g/b's is not
        mailbox.send(List.of(msg("g/a", "x", "a1"), msg("g/b", "x", "b-dup")));
        assertEquals(List.of("a1"), drain());
    }

    @Test
    void whatWasSentIsACopyWithTheSendTimeAndGrowingSequenceNumbers() {
        Map<String, String> attributes = new HashMap<>(Map.of("k", "v"));
        OutgoingMessage first = new OutgoingMessage("g/a", "m1", attributes, "one".getBytes(StandardCharsets.UTF_8));
        mailbox.send(List.of(first, msg("g/a", "m2", "two")));
        first.body()[0] = 'X';
        attributes.put("k", "changed");
        List<Delivery> got = mailbox.receive(10, VISIBILITY, Duration.ZERO);
        assertEquals("one", text(got.get(0)));
        assertEquals(Map.of("k", "v"), got.get(0).attributes());
        assertEquals(T0, got.get(0).sentAt());
        assertEquals(Long.parseLong(got.get(0).sequenceNumber()) + 1, Long.parseLong(got.get(1).sequenceNumber()));
        mailbox.retryAfter(got, Duration.ZERO);
        List<Delivery> again = mailbox.receive(10, VISIBILITY, Duration.ZERO);
        assertEquals(got.get(0).sequenceNumber(), again.get(0).sequenceNumber());
        assertEquals(2, again.get(0).receiveCount());
    }

    // ------------------------------------------------------------------- the dead-letter queue

    @Test
    void theDeadLetterQueueIsOneFifoQueueOfLettersAndRedriveMoves() {
        InMemoryMailbox redriving = InMemoryMailbox.builder().clock(clock).maxReceiveCount(1).build();
        assertEquals(RedrivePolicy.afterReceives(1), redriving.redrivePolicy());
        redriving.send(List.of(msg("g/a", "a-1", "a1"), msg("g/b", "b-1", "b1")));
        List<Delivery> got = redriving.receive(10, Duration.ofSeconds(1), Duration.ZERO);
        Delivery a = got.get(0);
        redriving.deadLetter(DeadLetter.of(got.get(1), "b failed"));
        redriving.acknowledge(got.subList(1, 2));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of(), redriving.receive(10, VISIBILITY, Duration.ZERO), "a-1 is moved, not delivered");
        redriving.deadLetter(DeadLetter.of(a, "a failed late"));
        redriving.deadLetter(DeadLetter.of(a, "a failed late")); // the same delivery again: dropped

        assertEquals(List.of("b failed", InMemoryMailbox.REDRIVE_REASON, "a failed late"),
                redriving.deadLetterQueue().stream().map(DeadLetter::reason).toList());
        assertEquals(List.of("b failed", "a failed late"), redriving.deadLetters().stream().map(DeadLetter::reason)
                .toList());
        assertEquals(List.of("a-1"), redriving.movedByRedrive().stream().map(DeadLetter::messageId).toList());

        assertEquals(3, redriving.moveBack(d -> true).size(), "an operator's move takes the whole queue");
        assertEquals(List.of(), redriving.deadLetterQueue());
        List<Delivery> back = redriving.receive(10, VISIBILITY, Duration.ZERO);
        assertEquals(List.of("b-1", "a-1", "a-1"), back.stream().map(Delivery::messageId).toList());
        assertEquals(List.of(1, 1, 1), back.stream().map(Delivery::receiveCount).toList(), "new messages");
    }

    @Test
    void aLetterWithAnInvalidGroupCannotBeDeadLettered() {
        assertThrows(PermanentFailureException.class, () -> mailbox.deadLetter(new DeadLetter("bad group", "m",
                "dl-1", Map.of(), new byte[0], "r")));
    }

    // ------------------------------------------------------------------- the scheduler

    @Test
    void scheduledMessagesEnterTheQueueWhenDueNeverEarlyAndAreCheckedFirst() {
        mailbox.scheduler().schedule(List.of(new ScheduledMessage(msg("g/t", "t-1", "tick"), T0.plusSeconds(90))));
        assertEquals(1, mailbox.scheduledCount());
        clock.advance(Duration.ofSeconds(89));
        assertEquals(List.of(), mailbox.receive(10, VISIBILITY, Duration.ZERO));
        List<Delivery> got = mailbox.receive(10, VISIBILITY, Duration.ofSeconds(20));
        assertEquals(List.of("tick"), got.stream().map(InMemoryMailboxTest::text).toList());
        assertEquals(T0.plusSeconds(90), clock.instant());
        byte[] big = new byte[(int) Mailbox.MAX_MESSAGE_BYTES];
        Arrays.fill(big, (byte) 0xFF);
        assertThrows(MessageTooLargeException.class, () -> mailbox.scheduler().schedule(List.of(new ScheduledMessage(
                new OutgoingMessage("g/t", "t-2", Map.of(), big), T0))));
        assertThrows(PermanentFailureException.class, () -> mailbox.scheduler().schedule(List.of(new ScheduledMessage(
                new OutgoingMessage("g t", "t-3", Map.of(), new byte[1]), T0))));
        assertEquals(0, mailbox.scheduledCount());
        assertArrayEquals("tick".getBytes(StandardCharsets.UTF_8), got.get(0).body());
    }
}
