package io.fifoactors.sqs;

import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.TransientFailureException;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.localaws.ElasticMqServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SqsMailbox behaviour beyond the shared contract, on a real (embedded ElasticMQ) server. Waits by long polling. */
class SqsMailboxElasticMqTest {
    private static final Duration VISIBILITY = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final long TIMEOUT_MS = 10_000;

    private static ElasticMqServer server;
    private static SqsClient client;
    private final List<SqsMailboxFixture> fixtures = new ArrayList<>();

    @BeforeAll
    static void startServer() {
        server = ElasticMqServer.start();
        client = server.newClient();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void deleteQueues() {
        fixtures.forEach(SqsMailboxFixture::close);
    }

    private SqsMailboxFixture fixture(int maxReceiveCount) {
        SqsMailboxFixture f = new SqsMailboxFixture(client, "it", maxReceiveCount);
        fixtures.add(f);
        return f;
    }

    private static List<Delivery> receiveUntil(Mailbox mailbox, Duration visibility, Predicate<List<Delivery>> done) {
        List<Delivery> got = new ArrayList<>();
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (!done.test(got)) {
            assertTrue(System.currentTimeMillis() < deadline, "not reached in time; got " + got);
            got.addAll(mailbox.receive(Mailbox.MAX_BATCH, visibility, POLL));
        }
        return got;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void awkwardBodiesAndAttributeValuesSurviveTheRoundTrip() {
        Mailbox mailbox = fixture(5).mailbox();
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
        List<Delivery> got = receiveUntil(mailbox, VISIBILITY, l -> l.size() >= bodies.size());
        assertEquals(bodies.size(), got.size());
        for (Delivery d : got) {
            assertArrayEquals(bodies.get(d.messageId()), d.body(), d.messageId());
            assertEquals(attributes, d.attributes(), d.messageId());
        }
        assertEquals(List.of(), mailbox.acknowledge(got));
    }

    @Test
    void aMessageExactlyAtTheSizeLimitIsDelivered() {
        Mailbox mailbox = fixture(5).mailbox();
        long overhead = WireFormat.ID.length() + "String".length() + "big".length();
        byte[] body = new byte[(int) (Mailbox.MAX_MESSAGE_BYTES - overhead)];
        Arrays.fill(body, (byte) 'y');
        mailbox.send(List.of(new OutgoingMessage("g/a", "big", Map.of(), body)));
        Delivery d = receiveUntil(mailbox, VISIBILITY, l -> !l.isEmpty()).get(0);
        assertArrayEquals(body, d.body());
    }

    @Test
    void aStaleReceiptIsReturnedByAcknowledgeAndIgnoredByRelease() {
        Mailbox mailbox = fixture(5).mailbox();
        mailbox.send(List.of(new OutgoingMessage("g/a", "m-1", Map.of(), utf8("x"))));
        Delivery first = receiveUntil(mailbox, Duration.ofSeconds(1), l -> !l.isEmpty()).get(0);
        Delivery second = receiveUntil(mailbox, VISIBILITY, l -> !l.isEmpty()).get(0);
        assertEquals(2, second.receiveCount());

        mailbox.release(List.of(first), Duration.ZERO);
        assertEquals(List.of(first), mailbox.acknowledge(List.of(first, second)));
        assertEquals(List.of(), mailbox.receive(Mailbox.MAX_BATCH, VISIBILITY, POLL));
    }

    @Test
    void releaseWithADelayKeepsTheMessageHiddenUntilThen() {
        Mailbox mailbox = fixture(5).mailbox();
        mailbox.send(List.of(new OutgoingMessage("g/a", "m-1", Map.of(), utf8("x"))));
        Delivery d = receiveUntil(mailbox, VISIBILITY, l -> !l.isEmpty()).get(0);
        long released = System.nanoTime();
        mailbox.release(List.of(d), Duration.ofSeconds(1));
        Delivery again = receiveUntil(mailbox, VISIBILITY, l -> !l.isEmpty()).get(0);
        assertTrue(System.nanoTime() - released >= 700_000_000L, "came back too early");
        assertEquals(2, again.receiveCount());
    }

    @Test
    void deadLettersKeepBinaryBodiesAndLongReasons() {
        SqsMailboxFixture fixture = fixture(5);
        byte[] body = {(byte) 0xFF, 0, 1, 2};
        String reason = "r".repeat(DeadLetter.MAX_REASON_LENGTH + 50);
        fixture.mailbox().deadLetter(new DeadLetter("g/x", "m-9", Map.of("fa-type", "T"), body, reason));
        List<DeadLetter> dead = fixture.deadLetters(1, Duration.ofSeconds(5));
        assertEquals(1, dead.size());
        assertArrayEquals(body, dead.get(0).body());
        assertEquals("r".repeat(DeadLetter.MAX_REASON_LENGTH), dead.get(0).reason());
        assertEquals(Map.of("fa-type", "T"), dead.get(0).attributes());
        assertEquals("m-9", dead.get(0).messageId());
    }

    @Test
    void internalAttributesAreThereOnTheWireButNotInDeliveries() {
        SqsMailboxFixture fixture = fixture(5);
        fixture.mailbox().send(List.of(new OutgoingMessage("g/a", "m-1", Map.of("fa-type", "T"), new byte[] {-1})));
        List<Message> raw = new ArrayList<>();
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (raw.isEmpty() && System.currentTimeMillis() < deadline) {
            raw.addAll(client.receiveMessage(b -> b.queueUrl(fixture.queues().queueUrl()).waitTimeSeconds(1)
                    .visibilityTimeout(0).messageAttributeNames("All")).messages());
        }
        assertEquals(1, raw.size());
        assertEquals("/w==", raw.get(0).body());
        assertEquals(Set.of("fa-type", WireFormat.ID, WireFormat.ENCODING),
                raw.get(0).messageAttributes().keySet());
        Delivery d = receiveUntil(fixture.mailbox(), VISIBILITY, l -> !l.isEmpty()).get(0);
        assertEquals(Map.of("fa-type", "T"), d.attributes());
    }

    @Test
    void aMissingQueueIsAPermanentFailure() {
        SqsMailboxFixture fixture = fixture(5);
        fixture.close();
        PermanentFailureException e = assertThrows(PermanentFailureException.class, () -> fixture.mailbox()
                .send(List.of(new OutgoingMessage("g/a", "m-1", Map.of(), utf8("secret body")))));
        assertTrue(e.getMessage().contains("QueueDoesNotExist"), e.getMessage());
        assertTrue(!e.getMessage().contains("secret"), "no body in messages");
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
        }
    }
}
