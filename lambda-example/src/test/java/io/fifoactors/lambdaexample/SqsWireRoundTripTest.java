package io.fifoactors.lambdaexample;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.lambda.SqsEventDecoder;
import io.fifoactors.localaws.ElasticMqServer;
import io.fifoactors.sqs.SqsMailbox;
import io.fifoactors.sqs.SqsQueueProvisioner;
import io.fifoactors.sqs.SqsQueues;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Lambda adapter's decoder and the SQS adapter agree on the wire format: messages sent by {@link SqsMailbox} to
 * a live queue, received raw as the event source mapping receives them, turned into event JSON and parsed by the
 * Lambda runtime's serializer, decode to exactly what {@link SqsMailbox#receive} returns for the same messages (but
 * for the receipt handle and the receive count, which belong to each receive).
 */
class SqsWireRoundTripTest {
    private static ElasticMqServer server;
    private static SqsClient sqs;
    private static SqsQueues queues;
    private static SqsMailbox mailbox;

    @BeforeAll
    static void start() {
        server = ElasticMqServer.start();
        sqs = server.newClient();
        queues = SqsQueueProvisioner.builder().client(sqs).maxReceiveCount(5).build().provision("wire");
        mailbox = SqsMailbox.builder().client(sqs).queues(queues).build();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static OutgoingMessage message(String group, String id, Map<String, String> attributes, byte[] body) {
        return new OutgoingMessage(group, id, attributes, body);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void whatTheMailboxSendsTheEventDecoderReadsIdentically() {
        List<OutgoingMessage> sent = List.of(
                message("account/a", "plain-json", Map.of("fa-type", "Deposit"), utf8("{\"amount\":12}")),
                message("account/a", "binary-body", Map.of("fa-type", "Deposit"), new byte[] {(byte) 0xff, 0, 1, 2}),
                message("account/b", "empty-body", Map.of("fa-type", "fa:wake"), new byte[0]),
                message("account/b", "refused-chars", Map.of("fa-type", "X"), utf8("nul\u0000 and \uffff")),
                message("account/c", "odd-attributes", attrs("fa-type", "Credit", "empty", "", "control", "a\u0001b",
                        "unicode", "caf\u00e9 \u2603 \uD83D\uDE00", "fa-sender", "account/z", "fa-sender-seq", "7"),
                        utf8("{\"transferId\":\"t\",\"from\":\"z\",\"amount\":3}")),
                message("account/d", "a-long-producer-id-" + "x".repeat(100), Map.of("fa-type", "Open"), utf8("{}")),
                message("account/d", "unicode-body", Map.of("fa-type", "Open"), utf8("\u00e9\u2603\uD83D\uDE00")));
        mailbox.send(sent);

        List<Message> raw = receiveAllRaw(sent.size());
        Map<String, Delivery> fromEvent = new LinkedHashMap<>();
        SQSEvent event = EsmEvents.parse(EsmEvents.eventJson(raw, queues.queueArn()));
        assertEquals(sent.size(), event.getRecords().size());
        for (SQSEvent.SQSMessage record : event.getRecords()) {
            Delivery d = SqsEventDecoder.decode(record);
            fromEvent.put(d.messageId(), d);
        }
        for (Message m : raw) {
            sqs.changeMessageVisibility(b -> b.queueUrl(queues.queueUrl()).receiptHandle(m.receiptHandle())
                    .visibilityTimeout(0));
        }
        Map<String, Delivery> fromMailbox = new LinkedHashMap<>();
        for (int polls = 0; fromMailbox.size() < sent.size() && polls < 20; polls++) {
            for (Delivery d : mailbox.receive(10, Duration.ofSeconds(30), Duration.ofSeconds(1))) {
                fromMailbox.put(d.messageId(), d);
            }
        }

        assertEquals(fromMailbox.keySet(), fromEvent.keySet());
        for (OutgoingMessage m : sent) {
            Delivery a = fromEvent.get(m.messageId());
            Delivery b = fromMailbox.get(m.messageId());
            String what = m.messageId();
            assertEquals(b.groupId(), a.groupId(), what);
            assertEquals(b.sequenceNumber(), a.sequenceNumber(), what);
            assertEquals(b.sentAt(), a.sentAt(), what);
            assertEquals(b.attributes(), a.attributes(), what);
            assertArrayEquals(b.body(), a.body(), what);
            assertEquals(b.receiveCount() - 1, a.receiveCount(), what + ": one receive apart");
            // and both are what was sent
            assertEquals(m.groupId(), a.groupId(), what);
            assertEquals(m.attributes(), a.attributes(), what);
            assertArrayEquals(m.body(), a.body(), what);
            assertTrue(a.sentAt().isAfter(Instant.EPOCH), what);
        }
        mailbox.acknowledge(new ArrayList<>(fromMailbox.values()));
    }

    @Test
    void aDeadLetterCopyDecodesWithoutTheMailboxsReason() {
        mailbox.deadLetter(new DeadLetter("account/dl", "dead-1", "dl-1", Map.of("fa-type", "Deposit"), utf8("{}"),
                "handler failed 5 times"));
        List<Message> raw = new ArrayList<>();
        for (int polls = 0; raw.isEmpty() && polls < 10; polls++) {
            raw.addAll(EsmEvents.receive(sqs, queues.deadLetterQueueUrl(), 10, 30, 1));
        }
        Delivery d = SqsEventDecoder.decode(EsmEvents.parse(EsmEvents.eventJson(raw, queues.dlqArn()))
                .getRecords().get(0));
        assertEquals("dead-1", d.messageId());
        assertEquals(Map.of("fa-type", "Deposit"), d.attributes());
    }

    private static List<Message> receiveAllRaw(int n) {
        Map<String, Message> got = new LinkedHashMap<>();
        for (int polls = 0; got.size() < n && polls < 20; polls++) {
            for (Message m : EsmEvents.receive(sqs, queues.queueUrl(), 10, 30, 1)) {
                got.put(m.messageId(), m);
            }
        }
        assertEquals(n, got.size(), "messages received");
        return new ArrayList<>(got.values());
    }

    private static Map<String, String> attrs(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
