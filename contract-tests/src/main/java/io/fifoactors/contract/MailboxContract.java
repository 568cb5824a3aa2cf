package io.fifoactors.contract;

import io.fifoactors.core.MessageTooLargeException;
import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.port.RedrivePolicy;
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
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Mailbox contract (SQS FIFO semantics as AWS documents them). Every adapter extends this class and supplies
 * fresh mailboxes; no test may be skipped. Rules a local server cannot show are asserted by the in-memory adapter's
 * own tests and listed in docs/semantics.md, section 8. The tests never sleep: they wait through
 * {@link Mailbox#receive}'s wait time or {@link MailboxFixture#letTimePass}.
 *
 * <pre>{@code
 * class InMemoryMailboxContractTest extends MailboxContract {
 *     protected MailboxFixture newMailbox(int maxReceiveCount) { ... }
 *     protected MailboxFixture newMailboxWithoutRedrive() { ... }
 * }
 * }</pre>
 *
 * <p>Each test instance is used by one thread; fixtures are opened and closed per test.
 */
public abstract class MailboxContract {
    private static final Duration VISIBILITY = Duration.ofSeconds(30);
    private static final Duration SHORT_VISIBILITY = Duration.ofSeconds(1);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final long REAL_TIMEOUT_MS = 15_000;

    private final List<MailboxFixture> opened = new ArrayList<>();

    /** A fresh mailbox whose queue redrives to its dead-letter queue after {@code maxReceiveCount} receives. */
    protected abstract MailboxFixture newMailbox(int maxReceiveCount);

    /** A fresh mailbox whose queue has no redrive policy. */
    protected abstract MailboxFixture newMailboxWithoutRedrive();

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

    static List<String> texts(List<Delivery> ds) {
        return ds.stream().map(MailboxContract::text).collect(Collectors.toList());
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

    private static Delivery receiveOne(Mailbox mailbox, Duration visibility) {
        List<Delivery> got = receiveUntil(mailbox, visibility, l -> !l.isEmpty());
        assertEquals(1, got.size(), "one message expected: " + got);
        return got.get(0);
    }

    private static byte[] filled(int n, char c) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) c);
        return b;
    }

    private static List<DeadLetter> ofGroup(List<DeadLetter> letters, String group) {
        return letters.stream().filter(d -> d.groupId().equals(group)).collect(Collectors.toList());
    }

    // ---------------------------------------------------------------------------------------------- delivery

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
        attrs.put("fa-from", "account/a-1 17 1700000000000");
        attrs.put("empty", "");
        attrs.put("control", "x\u0001y");
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
            assertEquals(expected, texts(mine));
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
        assertEquals(List.of("a1"), texts(first));

        mailbox.send(List.of(msg("g/a", "a-2", "a2"), msg("g/b", "b-1", "b1")));
        List<Delivery> second = receiveUntil(mailbox, VISIBILITY, l -> !l.isEmpty());
        assertEquals(List.of("b1"), texts(second), "group g/a is locked while a1 is in flight");
        assertNothingVisible(mailbox);

        assertEquals(List.of(), mailbox.acknowledge(first));
        List<Delivery> third = receiveUntil(mailbox, VISIBILITY, l -> !l.isEmpty());
        assertEquals(List.of("a2"), texts(third));
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
    void acknowledgedMessagesAreGone() {
        Mailbox mailbox = open(5).mailbox();
        mailbox.send(List.of(msg("g/a", "a-1", "a1"), msg("g/b", "b-1", "b1")));
        drain(mailbox, 2);
        assertNothingVisible(mailbox);
    }

    // ---------------------------------------------------------------------------------------------- receipts

    @Test
    void retryAfterMakesTheSuffixOfAGroupVisibleAgainInOrder() {
        Mailbox mailbox = open(5).mailbox();
        mailbox.send(List.of(msg("g/a", "a-1", "a1"), msg("g/a", "a-2", "a2"), msg("g/a", "a-3", "a3")));
        List<Delivery> got = receiveUntil(mailbox, VISIBILITY, l -> l.size() >= 3);
        assertEquals(List.of("a1", "a2", "a3"), texts(got));
        assertEquals(List.of(), mailbox.acknowledge(got.subList(0, 1)));
        mailbox.retryAfter(got.subList(1, 3), Duration.ZERO);

        List<Delivery> again = drain(mailbox, 2);
        assertEquals(List.of("a2", "a3"), texts(again));
        assertEquals(List.of(2, 2), again.stream().map(Delivery::receiveCount).collect(Collectors.toList()));
    }

    @Test
    void retryAfterWithADelayKeepsTheMessageHiddenUntilThen() {
        Mailbox mailbox = open(5).mailbox();
        mailbox.send(List.of(msg("g/a", "a-1", "a1")));
        Delivery d = receiveOne(mailbox, VISIBILITY);
        mailbox.retryAfter(List.of(d), Duration.ofSeconds(2));
        assertEquals(List.of(), mailbox.receive(Mailbox.MAX_BATCH, VISIBILITY, Duration.ZERO),
                "hidden for the delay");
        Delivery again = receiveOne(mailbox, VISIBILITY);
        assertEquals(2, again.receiveCount());
    }

    @Test
    void aSupersededReceiptIsReturnedByAcknowledgeAndIgnoredByVisibilityChanges() {
        Mailbox mailbox = open(5).mailbox();
        mailbox.send(List.of(msg("g/a", "a-1", "a1")));
        Delivery first = receiveOne(mailbox, SHORT_VISIBILITY);
        Delivery second = receiveOne(mailbox, VISIBILITY);
        assertEquals(2, second.receiveCount());
        assertNotEquals(first.receiptHandle(), second.receiptHandle());

        mailbox.retryAfter(List.of(first), Duration.ZERO);
        mailbox.extendVisibility(List.of(first), Duration.ofSeconds(1));
        assertEquals(List.of(), mailbox.receive(Mailbox.MAX_BATCH, VISIBILITY, Duration.ZERO),
                "the second receive still holds the message");
        assertEquals(List.of(first), mailbox.acknowledge(List.of(first, second)));
        assertNothingVisible(mailbox);
    }

    @Test
    void extendVisibilityKeepsAMessageInFlightPastItsFirstTimeout() {
        Mailbox mailbox = open(5).mailbox();
        mailbox.send(List.of(msg("g/a", "a-1", "a1")));
        List<Delivery> got = List.of(receiveOne(mailbox, Duration.ofSeconds(2)));
        mailbox.extendVisibility(got, VISIBILITY);
        assertEquals(List.of(), mailbox.receive(Mailbox.MAX_BATCH, VISIBILITY, Duration.ofSeconds(3)),
                "still in flight after the first timeout");
        assertEquals(List.of(), mailbox.acknowledge(got), "the receipts are still valid");
        assertNothingVisible(mailbox);
    }

    @Test
    void durationsAreWholeSecondsFromZeroToTwelveHoursAndAreCheckedBeforeAnything() {
        Mailbox mailbox = open(5).mailbox();
        Duration over = Duration.ofHours(12).plusMillis(1);
        Duration negative = Duration.ofMillis(-1);
        assertThrows(IllegalArgumentException.class, () -> mailbox.receive(1, negative, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> mailbox.receive(1, over, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> mailbox.receive(1, VISIBILITY, negative));
        assertThrows(IllegalArgumentException.class, () -> mailbox.receive(0, VISIBILITY, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> mailbox.receive(11, VISIBILITY, Duration.ZERO));
        mailbox.send(List.of(msg("g/a", "a-1", "a1")));
        Delivery d = receiveOne(mailbox, VISIBILITY);
        assertThrows(IllegalArgumentException.class, () -> mailbox.retryAfter(List.of(d), negative));
        assertThrows(IllegalArgumentException.class, () -> mailbox.retryAfter(List.of(d), over));
        assertThrows(IllegalArgumentException.class, () -> mailbox.extendVisibility(List.of(d), Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> mailbox.extendVisibility(List.of(d), over));
        mailbox.retryAfter(List.of(d), Duration.ofMillis(200)); // a fraction counts as a whole second
        assertEquals(List.of(), mailbox.receive(Mailbox.MAX_BATCH, VISIBILITY, Duration.ZERO));
        assertEquals(2, receiveOne(mailbox, VISIBILITY).receiveCount());
    }

    // ---------------------------------------------------------------------------------------------- dedup

    @Test
    void aRepeatedMessageIdIsDroppedWithinTheWindowEvenAfterDelete() {
        Mailbox mailbox = open(5).mailbox();
        mailbox.send(List.of(msg("g/a", "dup-1", "first")));
        mailbox.send(List.of(msg("g/a", "dup-1", "second")));
        List<Delivery> got = drain(mailbox, 1);
        assertEquals("first", text(got.get(0)));
        mailbox.send(List.of(msg("g/a", "dup-1", "third"), msg("g/a", "new-1", "fresh")));
        List<Delivery> later = drain(mailbox, 1);
        assertEquals(List.of("fresh"), texts(later));
        assertNothingVisible(mailbox);
    }

    @Test
    void deduplicationIsPerGroupSoTheSameIdInTwoGroupsIsTwoMessages() {
        Mailbox mailbox = open(5).mailbox();
        mailbox.send(List.of(msg("g/a", "same", "a-first"), msg("g/a", "other", "a-second"),
                msg("g/b", "same", "b-first")));
        mailbox.send(List.of(msg("g/c", "same", "c-first"), msg("g/a", "same", "a-again"),
                msg("g/b", "same", "b-again")));
        Map<String, List<String>> byGroup = drain(mailbox, 4).stream().collect(Collectors.groupingBy(
                Delivery::groupId, LinkedHashMap::new, Collectors.mapping(MailboxContract::text, Collectors.toList())));
        assertEquals(List.of("a-first", "a-second"), byGroup.get("g/a"));
        assertEquals(List.of("b-first"), byGroup.get("g/b"));
        assertEquals(List.of("c-first"), byGroup.get("g/c"));
        assertNothingVisible(mailbox);
    }

    // ---------------------------------------------------------------------------------------------- limits

    @Test
    void idsAttributeNamesAndValuesAreCheckedBeforeAnythingIsSent() {
        Mailbox mailbox = open(5).mailbox();
        OutgoingMessage ok = msg("g/a", "ok-1", "fine");
        List<OutgoingMessage> bad = new ArrayList<>(List.of(
                msg("g a", "m", "space in group"),
                msg("g/a", "m 1", "space in id"),
                msg("g".repeat(129), "m", "long group"),
                msg("g/a", "m".repeat(129), "long id"),
                msg("caf\u00e9", "m", "not ascii"),
                new OutgoingMessage("g/a", "m", Map.of("a\ud800", "v"), new byte[1]),
                new OutgoingMessage("g/a", "m", Map.of("k", "lone \ud800 surrogate"), new byte[1])));
        for (String name : List.of("AWS.trace", "amazon.x", ".x", "x.", "a..b", "bad name", "x".repeat(257),
                "fa-sqs-id")) {
            bad.add(new OutgoingMessage("g/a", "m", Map.of(name, "v"), new byte[1]));
        }
        Map<String, String> eight = new LinkedHashMap<>();
        for (int i = 0; i < 8; i++) {
            eight.put("a" + i, "v");
        }
        bad.add(new OutgoingMessage("g/a", "m", eight, new byte[1]));
        for (OutgoingMessage m : bad) {
            assertThrows(PermanentFailureException.class, () -> mailbox.send(List.of(ok, m)),
                    "group of " + m.groupId().length() + " chars, id of " + m.messageId().length() + ", attributes "
                            + m.attributes().size());
        }
        Map<String, String> seven = new LinkedHashMap<>(eight);
        seven.remove("a7");
        seven.put("AWSx.ok", "v");
        seven.remove("a6");
        mailbox.send(List.of(new OutgoingMessage("g/b", "m-7", seven, new byte[] {1})));
        List<Delivery> got = drain(mailbox, 1);
        assertEquals("g/b", got.get(0).groupId(), "nothing of a refused send was enqueued");
        assertEquals(seven, got.get(0).attributes());
        assertNothingVisible(mailbox);
    }

    @Test
    void aMessageOverTheSizeLimitIsRefusedBeforeAnythingIsSent() {
        Mailbox mailbox = open(5).mailbox();
        byte[] big = filled(300 * 1024, 'x');
        assertThrows(MessageTooLargeException.class, () -> mailbox.send(List.of(
                msg("g/a", "small-1", "small"),
                new OutgoingMessage("g/a", "big-1", Map.of(), big))));
        assertNothingVisible(mailbox);
    }

    @Test
    void aBodyThatMustTravelAsBase64CountsAsItsBase64Form() {
        Mailbox mailbox = open(5).mailbox();
        int room = (int) Mailbox.MAX_MESSAGE_BYTES - ("fa-type".length() + "String".length() + "Text".length());
        byte[] atLimit = filled(room, 't');
        byte[] forcesBase64 = atLimit.clone();
        forcesBase64[7] = 0x01; // valid UTF-8, but not a character SQS carries as text
        assertThrows(MessageTooLargeException.class, () -> mailbox.send(List.of(
                new OutgoingMessage("g/a", "b64", Map.of("fa-type", "Text"), forcesBase64))));
        byte[] binaryThatFits = Arrays.copyOf(forcesBase64, room * 3 / 4 - 3);
        mailbox.send(List.of(new OutgoingMessage("g/a", "text", Map.of("fa-type", "Text"), atLimit),
                new OutgoingMessage("g/b", "bin", Map.of("fa-type", "Text"), binaryThatFits)));
        Map<String, Delivery> byId = drain(mailbox, 2).stream().collect(Collectors.toMap(Delivery::messageId, d -> d));
        assertArrayEquals(atLimit, byId.get("text").body());
        assertArrayEquals(binaryThatFits, byId.get("bin").body());
    }

    @Test
    void manyLargeMessagesInOneSendAreAllEnqueued() {
        Mailbox mailbox = open(5).mailbox();
        List<OutgoingMessage> out = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            out.add(new OutgoingMessage("g/" + i, "big-" + i, Map.of("fa-type", "Text"), filled(250_000, (char) ('a' + i))));
        }
        out.add(new OutgoingMessage("g/0", "big-5", Map.of("fa-type", "Text"), filled(250_000, 'z')));
        mailbox.send(out);
        List<Delivery> got = drain(mailbox, 6);
        Map<String, Delivery> byId = got.stream().collect(Collectors.toMap(Delivery::messageId, d -> d));
        for (OutgoingMessage m : out) {
            assertArrayEquals(m.body(), byId.get(m.messageId()).body(), m.messageId());
        }
        List<String> g0 = got.stream().filter(d -> d.groupId().equals("g/0")).map(Delivery::messageId)
                .collect(Collectors.toList());
        assertEquals(List.of("big-0", "big-5"), g0);
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

    // ---------------------------------------------------------------------------------------------- dead letters

    @Test
    void deadLetterKeepsGroupIdBodyAttributesAndReason() {
        MailboxFixture fixture = open(5);
        Mailbox mailbox = fixture.mailbox();
        byte[] body = "{\"broken\":".getBytes(StandardCharsets.UTF_8);
        mailbox.send(List.of(new OutgoingMessage("account/x", "poison-1", Map.of("fa-type", "Nope"), body)));
        Delivery d = receiveOne(mailbox, VISIBILITY);
        mailbox.deadLetter(DeadLetter.of(d, "unknown message type 'Nope'"));
        assertEquals(List.of(), mailbox.acknowledge(List.of(d)));

        List<DeadLetter> dead = fixture.deadLetters(1, Duration.ofSeconds(10));
        assertEquals(1, dead.size());
        DeadLetter letter = dead.get(0);
        assertEquals("account/x", letter.groupId());
        assertEquals("poison-1", letter.messageId());
        assertEquals(DeadLetter.idFor("account/x", d.sequenceNumber()), letter.deadLetterId());
        assertEquals("unknown message type 'Nope'", letter.reason());
        assertEquals(Map.of("fa-type", "Nope"), letter.attributes());
        assertArrayEquals(body, letter.body());
        assertNothingVisible(mailbox);
    }

    @Test
    void aMessageAtTheLimitWithAllItsAttributesIsDeadLetteredWithItsReason() {
        MailboxFixture fixture = open(5);
        Mailbox mailbox = fixture.mailbox();
        Map<String, String> seven = new LinkedHashMap<>();
        for (int i = 0; i < Mailbox.MAX_ATTRIBUTES; i++) {
            seven.put("attr-" + i, "value-" + i);
        }
        long attributeBytes = 0;
        for (Map.Entry<String, String> e : seven.entrySet()) {
            attributeBytes += e.getKey().length() + "String".length() + e.getValue().length();
        }
        byte[] body = filled((int) (Mailbox.MAX_MESSAGE_BYTES - attributeBytes), 'q');
        mailbox.send(List.of(new OutgoingMessage("g/full", "full-1", seven, body)));
        Delivery d = receiveOne(mailbox, VISIBILITY);
        String reason = "r\u00e9ason ".repeat(200);
        mailbox.deadLetter(DeadLetter.of(d, reason));
        assertEquals(List.of(), mailbox.acknowledge(List.of(d)));

        DeadLetter letter = fixture.deadLetters(1, Duration.ofSeconds(10)).get(0);
        assertEquals(DeadLetter.of(d, reason).reason(), letter.reason(), "the reason is never dropped");
        assertEquals(seven, letter.attributes());
        assertArrayEquals(body, letter.body());
        assertEquals("full-1", letter.messageId());
    }

    @Test
    void theSameDeliveryDeadLetteredTwiceIsOneLetterButAMessageMovedBackAndDeadLetteredAgainIsTwo() {
        MailboxFixture fixture = open(5);
        Mailbox mailbox = fixture.mailbox();
        OutgoingMessage original = new OutgoingMessage("g/p", "p-1", Map.of("fa-type", "T", "e", ""),
                new byte[] {(byte) 0xFF, 0, 1});
        mailbox.send(List.of(original));
        Delivery d = receiveOne(mailbox, VISIBILITY);
        mailbox.deadLetter(DeadLetter.of(d, "first try"));
        mailbox.deadLetter(DeadLetter.of(d, "first try")); // a consumer that died before acknowledging, then retried
        assertEquals(List.of(), mailbox.acknowledge(List.of(d)));
        assertEquals(List.of("first try"), fixture.deadLetters(1, Duration.ofSeconds(10)).stream()
                .map(DeadLetter::reason).collect(Collectors.toList()));

        assertEquals(1, fixture.moveBackDeadLetters());
        Delivery back = receiveOne(mailbox, VISIBILITY);
        assertEquals("p-1", back.messageId());
        assertEquals(original.attributes(), back.attributes());
        assertArrayEquals(original.body(), back.body());
        assertTrue(SequenceNumbers.compare(d.sequenceNumber(), back.sequenceNumber()) < 0, "a new message");
        assertEquals(List.of(), fixture.deadLetters(0, Duration.ZERO), "moved: the dead-letter queue is empty");

        mailbox.deadLetter(DeadLetter.of(back, "second try"));
        assertEquals(List.of(), mailbox.acknowledge(List.of(back)));
        List<DeadLetter> dead = fixture.deadLetters(1, Duration.ofSeconds(10));
        assertEquals(List.of("second try"), dead.stream().map(DeadLetter::reason).collect(Collectors.toList()));
        assertNothingVisible(mailbox);
    }

    @Test
    void aMessageReceivedMoreThanMaxReceiveCountTimesMovesToTheDeadLetterQueueAndUnblocksItsGroup() {
        MailboxFixture fixture = open(2);
        Mailbox mailbox = fixture.mailbox();
        assertEquals(RedrivePolicy.afterReceives(2), mailbox.redrivePolicy());
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
        assertEquals(List.of("next"), texts(after));
        List<DeadLetter> dead = fixture.deadLetters(1, Duration.ofSeconds(10));
        assertEquals(List.of("a-1"), dead.stream().map(DeadLetter::messageId).collect(Collectors.toList()));
        assertEquals(MailboxFixture.MOVED_BY_REDRIVE, dead.get(0).reason(), "a redrive move carries no reason");
        assertEquals("poison", new String(dead.get(0).body(), StandardCharsets.UTF_8));
    }

    @Test
    void aDeadLetterAfterTheQueueRedroveTheSameMessageIsKeptWithItsReason() {
        MailboxFixture fixture = open(1);
        Mailbox mailbox = fixture.mailbox();
        mailbox.send(List.of(msg("g/r", "r-1", "late")));
        Delivery d = receiveOne(mailbox, SHORT_VISIBILITY);
        fixture.letTimePass(Duration.ofSeconds(2));
        mailbox.send(List.of(msg("g/r", "r-2", "after")));
        Delivery next = receiveOne(mailbox, VISIBILITY); // the receive that found r-1 due for redrive moved it
        assertEquals("after", text(next));
        mailbox.deadLetter(DeadLetter.of(d, "the consumer gave up late"));

        List<DeadLetter> dead = ofGroup(fixture.deadLetters(2, Duration.ofSeconds(10)), "g/r");
        assertEquals(List.of(MailboxFixture.MOVED_BY_REDRIVE, "the consumer gave up late"),
                dead.stream().map(DeadLetter::reason).collect(Collectors.toList()));
        assertEquals(List.of("r-1", "r-1"), dead.stream().map(DeadLetter::messageId).collect(Collectors.toList()));
    }

    @Test
    void theRedrivePolicyIsTheQueues() {
        MailboxFixture without = newMailboxWithoutRedrive();
        opened.add(without);
        assertEquals(RedrivePolicy.none(), without.mailbox().redrivePolicy());
        assertEquals(0, without.maxReceiveCount());
        assertEquals(RedrivePolicy.afterReceives(7), open(7).mailbox().redrivePolicy());
    }

    @Test
    void withoutARedrivePolicyAMessageIsNeverMovedByTheQueue() {
        MailboxFixture fixture = newMailboxWithoutRedrive();
        opened.add(fixture);
        Mailbox mailbox = fixture.mailbox();
        mailbox.send(List.of(msg("g/a", "a-1", "stays")));
        for (int attempt = 1; attempt <= 3; attempt++) {
            Delivery d = receiveOne(mailbox, VISIBILITY);
            assertEquals(attempt, d.receiveCount());
            mailbox.retryAfter(List.of(d), Duration.ZERO);
        }
        assertEquals(List.of(), fixture.deadLetters(0, Duration.ZERO));
        assertEquals(4, receiveOne(mailbox, VISIBILITY).receiveCount());
    }
}
