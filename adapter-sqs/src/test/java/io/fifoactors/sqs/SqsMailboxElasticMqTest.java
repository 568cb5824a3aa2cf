package io.fifoactors.sqs;

import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.TransientFailureException;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.sqswire.SqsWire;
import io.fifoactors.sqswire.StoredLetter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SqsMailbox behaviour beyond the shared contract, on a real (embedded ElasticMQ) server: awkward encodings, the
 * wire form, and dead letters of messages other producers sent (too large for the reason, ten attributes, a forged
 * id attribute). Waits by long polling.
 */
class SqsMailboxElasticMqTest {
    private static final Duration VISIBILITY = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final long TIMEOUT_MS = 10_000;

    @RegisterExtension
    static final ElasticMqFixture SQS = new ElasticMqFixture();
    private final List<SqsMailboxFixture> fixtures = new ArrayList<>();

    @AfterEach
    void deleteQueues() {
        fixtures.forEach(SqsMailboxFixture::close);
    }

    private SqsMailboxFixture fixture() {
        SqsMailboxFixture f = new SqsMailboxFixture(SQS.client(), "it", 0);
        fixtures.add(f);
        return f;
    }

    private static List<Delivery> receiveUntil(Mailbox mailbox, Predicate<List<Delivery>> done) {
        List<Delivery> got = new ArrayList<>();
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (!done.test(got)) {
            assertTrue(System.currentTimeMillis() < deadline, "not reached in time; got " + got);
            got.addAll(mailbox.receive(Mailbox.MAX_BATCH, VISIBILITY, POLL));
        }
        return got;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static MessageAttributeValue string(String v) {
        return MessageAttributeValue.builder().dataType("String").stringValue(v).build();
    }

    /** Sends as another producer would: straight through the SDK, the server's limits only. */
    private static void sendRaw(SqsMailboxFixture f, String group, String dedup, String body,
                                Map<String, MessageAttributeValue> attributes) {
        SQS.client().sendMessage(b -> b.queueUrl(f.queues().queueUrl()).messageGroupId(group)
                .messageDeduplicationId(dedup).messageBody(body).messageAttributes(attributes));
    }

    private static StoredLetter onlyLetter(SqsMailboxFixture f) {
        List<StoredLetter> all = new ArrayList<>();
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (all.isEmpty() && System.currentTimeMillis() < deadline) {
            all.addAll(f.reader().receive(10, VISIBILITY, POLL));
        }
        assertEquals(1, all.size(), all.toString());
        return all.get(0);
    }

    // ------------------------------------------------------------------------------------------------ encodings

    @Test
    void awkwardBodiesAndAttributeValuesSurviveTheRoundTrip() {
        Mailbox mailbox = fixture().mailbox();
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("crlf", utf8("line 1\r\nline 2\rline 3\n\ttabbed"));
        bodies.put("nul", utf8("a\u0000b"));
        bodies.put("nonchar", utf8("\uffff"));
        bodies.put("invalid", new byte[] {(byte) 0xC0, (byte) 0xAF, (byte) 0xED, (byte) 0xA0, (byte) 0x80});
        bodies.put("empty", new byte[0]);
        bodies.put("astral", utf8("\ud83d\ude00\udbff\udffd"));
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("empty", "");
        attributes.put("control", "x\u0001y");
        attributes.put("crlf", "a\r\nb");
        attributes.put("unicode", "caf\u00e9 \ud83d\ude00");
        attributes.put("a5", "5");
        attributes.put("a6", "6");
        attributes.put("a7", "7");
        List<OutgoingMessage> out = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, byte[]> e : bodies.entrySet()) {
            out.add(new OutgoingMessage("g/" + (i++), e.getKey(), attributes, e.getValue()));
        }
        mailbox.send(out);
        List<Delivery> got = receiveUntil(mailbox, l -> l.size() >= bodies.size());
        assertEquals(bodies.size(), got.size());
        for (Delivery d : got) {
            assertArrayEquals(bodies.get(d.messageId()), d.body(), d.messageId());
            assertEquals(attributes, d.attributes(), d.messageId());
        }
        assertEquals(List.of(), mailbox.acknowledge(got));
    }

    @Test
    void theWireFormHasTheGroupQualifiedDeduplicationIdAndTheInternalAttributes() {
        SqsMailboxFixture fixture = fixture();
        fixture.mailbox().send(List.of(new OutgoingMessage("g/a", "m-1", Map.of("fa-type", "T"), new byte[] {-1})));
        List<Message> raw = new ArrayList<>();
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (raw.isEmpty() && System.currentTimeMillis() < deadline) {
            raw.addAll(SQS.client().receiveMessage(b -> b.queueUrl(fixture.queues().queueUrl()).waitTimeSeconds(1)
                    .visibilityTimeout(0).messageAttributeNames("All")
                    .messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID)).messages());
        }
        assertEquals(1, raw.size());
        assertEquals("/w==", raw.get(0).body());
        assertEquals(Set.of("fa-type", SqsWire.ID, SqsWire.ENCODING), raw.get(0).messageAttributes().keySet());
        assertEquals("3:g/am-1", raw.get(0).attributesAsStrings().get("MessageDeduplicationId"));
        Delivery d = receiveUntil(fixture.mailbox(), l -> !l.isEmpty()).get(0);
        assertEquals(Map.of("fa-type", "T"), d.attributes());
        assertEquals("m-1", d.messageId());
    }

    // ------------------------------------------------------------------------------------------------ dead letters

    @Test
    void aBodyTooLargeForTheReasonIsDeadLetteredVerbatimWithItsReasonInANote() {
        SqsMailboxFixture f = fixture();
        String body = "b".repeat(262_090); // another producer's message: SQS takes it, the reason would not fit
        sendRaw(f, "g/big", "big-1", body, Map.of("fa-type", string("T")));
        Delivery d = receiveUntil(f.mailbox(), l -> !l.isEmpty()).get(0);
        f.mailbox().deadLetter(DeadLetter.of(d, "too big to handle"));
        assertEquals(List.of(), f.mailbox().acknowledge(List.of(d)));

        StoredLetter letter = onlyLetter(f);
        assertEquals("too big to handle", letter.reason());
        assertEquals("big-1", letter.messageId());
        assertEquals(body, letter.copy().body(), "the copy is the original body, byte for byte");
        assertEquals(Map.of("fa-type", "T"), letter.attributes());
        assertTrue(letter.note() != null, "the reason travelled in a note");
    }

    @Test
    void aOneMebibyteBodyIsDeadLetteredWithItsReason() {
        SqsMailboxFixture f = fixture();
        String body = "m".repeat(1_048_576 - 20); // ElasticMQ's limit is 1 MiB, whatever MaximumMessageSize says
        sendRaw(f, "g/huge", "huge-1", body, Map.of("fa-type", string("T")));
        Delivery d = receiveUntil(f.mailbox(), l -> !l.isEmpty()).get(0);
        f.mailbox().deadLetter(DeadLetter.of(d, "huge"));
        StoredLetter letter = onlyLetter(f);
        assertEquals("huge", letter.reason());
        assertEquals(body.length(), letter.body().length);
        assertEquals("huge-1", letter.messageId());
    }

    @Test
    void tenAttributesFromAnotherProducerAreDeadLetteredWithIdAndReasonInANote() {
        SqsMailboxFixture f = fixture();
        Map<String, MessageAttributeValue> ten = new LinkedHashMap<>();
        Map<String, String> expected = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            ten.put("x-" + i, string("v" + i));
            expected.put("x-" + i, "v" + i);
        }
        sendRaw(f, "g/ten", "ten-1", "{}", ten);
        Delivery d = receiveUntil(f.mailbox(), l -> !l.isEmpty()).get(0);
        assertEquals(expected, d.attributes());
        f.mailbox().deadLetter(DeadLetter.of(d, "ten attributes"));
        StoredLetter letter = onlyLetter(f);
        assertEquals(expected, letter.attributes());
        assertEquals("ten attributes", letter.reason());
        assertEquals("ten-1", letter.messageId());
    }

    @Test
    void aForgedIdAttributeIsIgnoredAndNothingDependsOnIt() {
        SqsMailboxFixture f = fixture();
        sendRaw(f, "g/forged", "real-1", "{}", Map.of("fa-type", string("T"), SqsWire.ID, string("has spaces")));
        sendRaw(f, "g/forged", "real-2", "{}", Map.of("fa-type", string("T"), SqsWire.ID, string("has spaces")));
        List<Delivery> got = receiveUntil(f.mailbox(), l -> l.size() >= 2);
        assertEquals(List.of("real-1", "real-2"), got.stream().map(Delivery::messageId).toList(),
                "an invalid id attribute falls back to the deduplication id");
        for (Delivery d : got) {
            f.mailbox().deadLetter(DeadLetter.of(d, "forged " + d.messageId()));
            f.mailbox().deadLetter(DeadLetter.of(d, "forged " + d.messageId())); // the same delivery: one letter
        }
        List<DeadLetter> dead = f.deadLetters(2, Duration.ofSeconds(10));
        assertEquals(List.of("forged real-1", "forged real-2"), dead.stream().map(DeadLetter::reason).toList());
    }

    @Test
    void deadLettersKeepBinaryBodiesAndLongReasons() {
        SqsMailboxFixture f = fixture();
        byte[] body = {(byte) 0xFF, 0, 1, 2};
        String reason = "r".repeat(DeadLetter.MAX_REASON_LENGTH + 50);
        f.mailbox().deadLetter(new DeadLetter("g/x", "m-9", "dl-9", Map.of("fa-type", "T"), body, reason));
        List<DeadLetter> dead = f.deadLetters(1, Duration.ofSeconds(5));
        assertEquals(1, dead.size());
        assertArrayEquals(body, dead.get(0).body());
        assertEquals("r".repeat(DeadLetter.MAX_REASON_LENGTH), dead.get(0).reason());
        assertEquals(Map.of("fa-type", "T"), dead.get(0).attributes());
        assertEquals("m-9", dead.get(0).messageId());
        assertEquals("dl-9", dead.get(0).deadLetterId());
    }

    @Test
    void movingBackKeepsGroupOrderAndTheAuthenticatedAttributesByteForByte() {
        SqsMailboxFixture f = fixture();
        Map<String, String> envelope = Map.of("fa-type", "T", "fa-from", "a/b 3 1700000000000", "fa-auth", "k1:x_y-z");
        List<OutgoingMessage> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            out.add(new OutgoingMessage("g/m", "m-" + i, envelope, new byte[] {(byte) i, (byte) 0xFE}));
        }
        f.mailbox().send(out);
        List<Delivery> got = receiveUntil(f.mailbox(), l -> l.size() >= 4);
        for (Delivery d : got) {
            f.mailbox().deadLetter(DeadLetter.of(d, "r" + d.messageId()));
        }
        assertEquals(List.of(), f.mailbox().acknowledge(got));
        assertEquals(4, f.moveBackDeadLetters());
        List<Delivery> back = receiveUntil(f.mailbox(), l -> l.size() >= 4);
        assertEquals(List.of("m-0", "m-1", "m-2", "m-3"), back.stream().map(Delivery::messageId).toList());
        for (int i = 0; i < 4; i++) {
            assertEquals(envelope, back.get(i).attributes());
            assertArrayEquals(new byte[] {(byte) i, (byte) 0xFE}, back.get(i).body());
        }
    }

    // ------------------------------------------------------------------------------------------------ failures

    @Test
    void aMissingQueueIsAPermanentFailure() {
        SqsMailboxFixture fixture = fixture();
        fixture.close();
        PermanentFailureException e = assertThrows(PermanentFailureException.class, () -> fixture.mailbox()
                .send(List.of(new OutgoingMessage("g/a", "m-1", Map.of(), utf8("secret body")))));
        assertTrue(e.getMessage().contains("QueueDoesNotExist"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), "no body in messages");
        assertThrows(PermanentFailureException.class, () -> fixture.mailbox().receive(1, VISIBILITY, Duration.ZERO));
    }

    @Test
    void anUnreachableServerIsATransientFailure() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (SqsClient nowhere = SqsClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            Mailbox mailbox = SqsMailbox.builder().client(nowhere)
                    .queueUrl("http://127.0.0.1:" + port + "/000000000000/q.fifo")
                    .deadLetterQueueUrl("http://127.0.0.1:" + port + "/000000000000/q-dlq.fifo").build();
            TransientFailureException e = assertThrows(TransientFailureException.class,
                    () -> mailbox.send(List.of(new OutgoingMessage("g/a", "m-1", Map.of(), utf8("x")))));
            assertTrue(e.isRetryable());
            assertThrows(TransientFailureException.class, mailbox::redrivePolicy);
        }
    }

    @Test
    void aMessageAtThePortableLimitIsDelivered() {
        Mailbox mailbox = fixture().mailbox();
        byte[] body = new byte[(int) (Mailbox.MAX_MESSAGE_BYTES - ("big".length() + "String".length() + 1))];
        Arrays.fill(body, (byte) 'y');
        OutgoingMessage m = new OutgoingMessage("g/a", "big", Map.of("big", "1"), body);
        assertEquals(Mailbox.MAX_MESSAGE_BYTES, Mailbox.sizeOf(m));
        mailbox.send(List.of(m));
        assertArrayEquals(body, receiveUntil(mailbox, l -> !l.isEmpty()).get(0).body());
    }
}
