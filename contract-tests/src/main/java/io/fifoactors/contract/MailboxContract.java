package io.fifoactors.contract;

import io.fifoactors.core.MessageTooLargeException;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.port.SequenceNumbers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Mailbox contract (SQS FIFO semantics). Every adapter extends this class and supplies fresh mailboxes; no
 * test may be skipped. The tests never sleep: they wait through {@link Mailbox#receive}'s wait time.
 */
public abstract class MailboxContract {
    private static final Duration VISIBILITY = Duration.ofSeconds(30);
    private static final Duration SHORT_VISIBILITY = Duration.ofSeconds(1);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final long REAL_TIMEOUT_MS = 15_000;

    private final List<MailboxFixture> opened = new ArrayList<>();

    /** A fresh mailbox whose queue redrives to its dead-letter queue after {@code maxReceiveCount} receives. */
    protected abstract MailboxFixture newMailbox(int maxReceiveCount);

    private MailboxFixture open(int maxReceiveCount) {
        MailboxFixture f = newMailbox(maxReceiveCount);
        opened.add(f);
        return f;
    }

    @AfterEach
    void closeFixtures() {
        opened.forEach(MailboxFixture::close);
        opened.clear();
    }

    static OutgoingMessage msg(String group, String id, String text) {
        return new OutgoingMessage(group, id, Map.of("fa-type", "Text"), text.getBytes(StandardCharsets.UTF_8));
    }

    static String text(Delivery d) {
        return new String(d.body(), StandardCharsets.UTF_8);
    }

    /** Receives (without acknowledging) until {@code done} holds for everything received so far. */
    static List<Delivery> receiveUntil(Mailbox mailbox, Duration visibility, Predicate<List<Delivery>> done) {
        List<Delivery> got = new ArrayList<>();
        long deadline = System.currentTimeMillis() + REAL_TIMEOUT_MS;
        while (!done.test(got)) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not reached in time; received " + got);
            }
            got.addAll(mailbox.receive(Mailbox.MAX_BATCH, visibility, POLL));
        }
        return got;
    }

    /** Receives and acknowledges until {@code count} messages arrived; returns them in arrival order. */
    static List<Delivery> drain(Mailbox mailbox, int count) {
        List<Delivery> all = new ArrayList<>();
        long deadline = System.currentTimeMillis() + REAL_TIMEOUT_MS;
        while (all.size() < count) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("expected " + count + " messages, got " + all.size() + ": " + all);
            }
            List<Delivery> batch = mailbox.receive(Mailbox.MAX_BATCH, VISIBILITY, POLL);
            assertTrue(batch.size() <= Mailbox.MAX_BATCH, "a receive returned more than 10 messages");
            all.addAll(batch);
            if (!batch.isEmpty()) {
                assertEquals(List.of(), mailbox.acknowledge(batch), "fresh receipts must acknowledge");
            }
        }
        return all;
    }

    static void assertNothingVisible(Mailbox mailbox) {
        List<Delivery> more = mailbox.receive(Mailbox.MAX_BATCH, VISIBILITY, POLL);
        assertEquals(List.of(), more, "expected no visible message");
    }

    @Test
    void deliversBodyAttributesIdsAndMetadataUnchanged() {
        Mailbox mailbox = open(5).mailbox();
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        byte[] utf8 = "{\"amount\":10,\"note\":\"caf\u00e9 \u20ac \ud83d\ude00\"}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("fa-type", "Deposit");
        attrs.put("fa-sender", "account/a-1");
        attrs.put("fa-sender-seq", "17");
        mailbox.send(List.of(
                new OutgoingMessage("account/a-1", "id-bin", attrs, binary),
                new OutgoingMessage("account/a-2", "id-utf8", Map.of(), utf8),
                new OutgoingMessage("account/a-3", "id-empty", Map.of("k", "v"), new byte[0])));

        Map<String, Delivery> byId = drain(mailbox, 3).stream()
                .collect(Collectors.toMap(Delivery::messageId, d -> d));
        Delivery bin = byId.get("id-bin");
        assertEquals("account/a-1", bin.groupId());
        assertArrayEquals(binary, bin.body());
        assertEquals(attrs, bin.attributes());
        assertEquals(1, bin.receiveCount());
        SequenceNumbers.check(bin.sequenceNumber());
        assertArrayEquals(utf8, byId.get("id-utf8").body());
        assertEquals(Map.of(), byId.get("id-utf8").attributes());
        assertArrayEquals(new byte[0], byId.get("id-empty").body());
        assertEquals(Map.of("k", "v"), byId.get("id-empty").attributes());
    }

    @Test
    void keepsEachGroupsOrderAcrossRequestsWithGrowingSequenceNumbers() {
        Mailbox mailbox = open(5).mailbox();
        List<OutgoingMessage> out = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            out.add(msg("g/a", "a-" + i, "a" + i));
            out.add(msg("g/b", "b-" + i, "b" + i));
        }
        mailbox.send(out);
        mailbox.send(List.of(msg("g/a", "a-25", "a25")));

        List<Delivery> got = drain(mailbox, 51);
        for (String group : List.of("g/a", "g/b")) {
            List<Delivery> mine = got.stream().filter(d -> d.groupId().equals(group)).collect(Collectors.toList());
            String prefix = group.substring(2);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < (prefix.equals("a") ? 26 : 25); i++) {
                expected.add(prefix + i);
            }
            assertEquals(expected, mine.stream().map(MailboxContract::text).collect(Collectors.toList()));
            for (int i = 1; i < mine.size(); i++) {
                assertTrue(SequenceNumbers.compare(mine.get(i - 1).sequenceNumber(), mine.get(i).sequenceNumber()) < 0,
                        "sequence numbers must grow within a group");
            }
        }
        assertNothingVisible(mailbox);
    }

    @Test
    void aGroupWithAMessageInFlightDeliversNothingElseButOtherGroupsDo() {
        Mailbox mailbox = open(5).mailbox();
        mailbox.send(List.of(msg("g/a", "a-1", "a1")));
        List<Delivery> first = receiveUntil(mailbox, VISIBILITY, l -> !l.isEmpty());
        assertEquals(List.of("a1"), first.stream().map(MailboxContract::text).collect(Collectors.toList()));

        mailbox.send(List.of(msg("g/a", "a-2", "a2"), msg("g/b", "b-1", "b1")));
        List<Delivery> second = receiveUntil(mailbox, VISIBILITY, l -> !l.isEmpty());
        assertEquals(List.of("b1"), second.stream().map(MailboxContract::text).collect(Collectors.toList()),
                "group g/a is locked while a1 is in flight");
        assertNothingVisible(mailbox);

        mailbox.acknowledge(first);
        List<Delivery> third = receiveUntil(mailbox, VISIBILITY, l -> !l.isEmpty());
        assertEquals(List.of("a2"), third.stream().map(MailboxContract::text).collect(Collectors.toList()));
    }

    @Test
    void receiveReturnsAtMostTenMessagesEachGroupInOrder() {
        Mailbox mailbox = open(5).mailbox();
        List<OutgoingMessage> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            for (String g : List.of("g/1", "g/2", "g/3", "g/4", "g/5")) {
                out.add(msg(g, g.substring(2) + "-" + i, g + ":" + i));
            }
        }
        mailbox.send(out);
        List<Delivery> all = new ArrayList<>();
        long deadline = System.currentTimeMillis() + REAL_TIMEOUT_MS;
        while (all.size() < 20 && System.currentTimeMillis() < deadline) {
            List<Delivery> batch = mailbox.receive(Mailbox.MAX_BATCH, VISIBILITY, POLL);
            assertTrue(batch.size() <= 10);
            Map<String, List<Delivery>> byGroup = batch.stream()
                    .collect(Collectors.groupingBy(Delivery::groupId, LinkedHashMap::new, Collectors.toList()));
            for (List<Delivery> g : byGroup.values()) {
                for (int i = 1; i < g.size(); i++) {
                    assertTrue(SequenceNumbers.compare(g.get(i - 1).sequenceNumber(), g.get(i).sequenceNumber()) < 0,
                            "messages of one group in a batch are in order");
                }
            }
            all.addAll(batch);
            mailbox.acknowledge(batch);
        }
        assertEquals(20, all.size());
    }

    @Test
    void anExpiredVisibilityTimeoutRedeliversTheSameMessageFirstWithAHigherReceiveCount() {
        Mailbox mailbox = open(5).mailbox();
        mailbox.send(List.of(msg("g/a", "a-1", "a1"), msg("g/a", "a-2", "a2")));
        List<Delivery> first = mailbox.receive(1, SHORT_VISIBILITY, POLL);
        first = first.isEmpty() ? receiveUntil(mailbox, SHORT_VISIBILITY, l -> !l.isEmpty()).subList(0, 1) : first;
        assertEquals("a1", text(first.get(0)));
        assertEquals(1, first.get(0).receiveCount());

        List<Delivery> again = receiveUntil(mailbox, VISIBILITY, l -> !l.isEmpty());
        assertEquals("a1", text(again.get(0)), "the expired message comes back before later ones of its group");
        assertEquals(2, again.get(0).receiveCount());
        assertEquals(first.get(0).messageId(), again.get(0).messageId());
        assertEquals(first.get(0).sequenceNumber(), again.get(0).sequenceNumber());
    }

    @Test
    void releaseMakesTheSuffixOfAGroupVisibleAgainInOrder() {
        Mailbox mailbox = open(5).mailbox();
        mailbox.send(List.of(msg("g/a", "a-1", "a1"), msg("g/a", "a-2", "a2"), msg("g/a", "a-3", "a3")));
        List<Delivery> got = receiveUntil(mailbox, VISIBILITY, l -> l.size() >= 3);
        assertEquals(List.of("a1", "a2", "a3"), got.stream().map(MailboxContract::text).collect(Collectors.toList()));
        assertEquals(List.of(), mailbox.acknowledge(got.subList(0, 1)));
        mailbox.retryAfter(got.subList(1, 3), Duration.ZERO);

        List<Delivery> again = drain(mailbox, 2);
        assertEquals(List.of("a2", "a3"), again.stream().map(MailboxContract::text).collect(Collectors.toList()));
        assertEquals(List.of(2, 2), again.stream().map(Delivery::receiveCount).collect(Collectors.toList()));
    }

    @Test
    void acknowledgedMessagesAreGone() {
        Mailbox mailbox = open(5).mailbox();
        mailbox.send(List.of(msg("g/a", "a-1", "a1"), msg("g/b", "b-1", "b1")));
        drain(mailbox, 2);
        assertNothingVisible(mailbox);
    }

    @Test
    void aRepeatedMessageIdIsDroppedWithinTheWindowEvenAfterDelete() {
        Mailbox mailbox = open(5).mailbox();
        mailbox.send(List.of(msg("g/a", "dup-1", "first")));
        mailbox.send(List.of(msg("g/a", "dup-1", "second")));
        List<Delivery> got = drain(mailbox, 1);
        assertEquals("first", text(got.get(0)));
        mailbox.send(List.of(msg("g/a", "dup-1", "third"), msg("g/a", "new-1", "fresh")));
        List<Delivery> later = drain(mailbox, 1);
        assertEquals(List.of("fresh"), later.stream().map(MailboxContract::text).collect(Collectors.toList()));
        assertNothingVisible(mailbox);
    }

    @Test
    void deadLetterKeepsGroupIdBodyAttributesAndReason() {
        MailboxFixture fixture = open(5);
        Mailbox mailbox = fixture.mailbox();
        byte[] body = "{\"broken\":".getBytes(StandardCharsets.UTF_8);
        mailbox.send(List.of(new OutgoingMessage("account/x", "poison-1", Map.of("fa-type", "Nope"), body)));
        Delivery d = receiveUntil(mailbox, VISIBILITY, l -> !l.isEmpty()).get(0);
        mailbox.deadLetter(DeadLetter.of(d, "unknown message type 'Nope'"));
        mailbox.acknowledge(List.of(d));

        List<DeadLetter> dead = fixture.deadLetters(1, Duration.ofSeconds(10));
        assertEquals(1, dead.size());
        DeadLetter letter = dead.get(0);
        assertEquals("account/x", letter.groupId());
        assertEquals("poison-1", letter.messageId());
        assertEquals("unknown message type 'Nope'", letter.reason());
        assertEquals(Map.of("fa-type", "Nope"), letter.attributes());
        assertArrayEquals(body, letter.body());
        assertNothingVisible(mailbox);
    }

    @Test
    void aMessageReceivedMoreThanMaxReceiveCountTimesMovesToTheDeadLetterQueueAndUnblocksItsGroup() {
        MailboxFixture fixture = open(2);
        Mailbox mailbox = fixture.mailbox();
        mailbox.send(List.of(msg("g/a", "a-1", "poison")));
        for (int attempt = 1; attempt <= 2; attempt++) {
            List<Delivery> got = receiveUntil(mailbox, VISIBILITY, l -> !l.isEmpty());
            assertEquals(1, got.size());
            assertEquals("poison", text(got.get(0)));
            assertEquals(attempt, got.get(0).receiveCount());
            mailbox.retryAfter(got, Duration.ZERO);
        }
        mailbox.send(List.of(msg("g/a", "a-2", "next")));
        List<Delivery> after = receiveUntil(mailbox, VISIBILITY, l -> !l.isEmpty());
        assertEquals(List.of("next"), after.stream().map(MailboxContract::text).collect(Collectors.toList()));
        List<DeadLetter> dead = fixture.deadLetters(1, Duration.ofSeconds(10));
        assertEquals(List.of("a-1"), dead.stream().map(DeadLetter::messageId).collect(Collectors.toList()));
        assertEquals("", dead.get(0).reason(), "a redrive move carries no reason");
        assertEquals("poison", new String(dead.get(0).body(), StandardCharsets.UTF_8));
    }

    @Test
    void aLargeSendIsSplitAndDeliveredExactlyOnce() {
        Mailbox mailbox = open(5).mailbox();
        List<OutgoingMessage> out = new ArrayList<>();
        for (int i = 0; i < 37; i++) {
            out.add(msg("g/" + (i % 7), "m-" + i, "m" + i));
        }
        mailbox.send(out);
        List<String> ids = drain(mailbox, 37).stream().map(Delivery::messageId).sorted().collect(Collectors.toList());
        List<String> expected = out.stream().map(OutgoingMessage::messageId).sorted().collect(Collectors.toList());
        assertEquals(expected, ids);
        assertNothingVisible(mailbox);
    }

    @Test
    void aMessageOverTheSizeLimitIsRefusedBeforeAnythingIsSent() {
        Mailbox mailbox = open(5).mailbox();
        byte[] big = new byte[300 * 1024];
        Arrays.fill(big, (byte) 'x');
        assertThrows(MessageTooLargeException.class, () -> mailbox.send(List.of(
                msg("g/a", "small-1", "small"),
                new OutgoingMessage("g/a", "big-1", Map.of(), big))));
        assertNothingVisible(mailbox);
    }
}
