package io.fifoactors.e2e;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.Envelope;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.dynamodb.DynamoDbStateStore;
import io.fifoactors.e2e.TestActors.Tags;
import io.fifoactors.e2e.TestActors.Task;
import io.fifoactors.examples.demo.OutcomeLog;
import io.fifoactors.examples.demo.aws.AwsServers;
import io.fifoactors.examples.demo.aws.PollerNode;
import io.fifoactors.examples.demo.aws.QueueProbe;
import io.fifoactors.sqs.SqsMailbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * G4 failure isolation on real servers: a message whose handler always throws is retried, then dead-lettered with
 * its cause after maxAttempts, and its actor goes on with its later messages while the other actors carry on;
 * malformed messages sent by a raw SQS client (bad JSON, unknown type, no type, invalid group id, unregistered
 * actor type) are dead-lettered at once, on their first receive, with a reason.
 */
class PoisonAndMalformedE2ETest {
    private static final int MAX_ATTEMPTS = 3;
    private static AwsServers aws;

    @BeforeAll
    static void startServers() {
        aws = AwsServers.start();
    }

    @AfterAll
    static void stopServers() {
        aws.close();
    }

    private static MessageAttributeValue text(String s) {
        return MessageAttributeValue.builder().dataType("String").stringValue(s).build();
    }

    private static void sendRaw(AwsServers.Env env, String group, String dedupId, String type, String body) {
        Map<String, MessageAttributeValue> attributes = type == null ? Map.of() : Map.of(Envelope.TYPE, text(type));
        aws.sqs().sendMessage(b -> b.queueUrl(env.queues().queueUrl()).messageGroupId(group)
                .messageDeduplicationId(dedupId).messageAttributes(attributes).messageBody(body));
    }

    @Test
    void poisonRetriesThenDeadLettersWhileOthersCarryOnAndMalformedMessagesGoAtOnce() {
        AwsServers.Env env = aws.fresh("poison", 10, Duration.ofSeconds(5));
        SqsMailbox mailbox = SqsMailbox.builder().client(aws.sqs()).queues(env.queues()).build();
        ActorSystem producer = ActorSystem.builder().register(TestActors.WORKER).mailbox(mailbox)
                .stateStore(DynamoDbStateStore.builder().client(aws.dynamo()).tableName(env.table()).build()).build();

        ActorId poisoned = TestActors.WORKER.id("p1");
        List<OutgoingMessage> out = new ArrayList<>();
        for (String tag : List.of("t1", "poison", "t2", "t3")) {
            out.add(producer.encodeExternal(poisoned, new Task(tag), "p1-" + tag));
        }
        Map<ActorId, List<String>> expected = new LinkedHashMap<>();
        expected.put(poisoned, List.of("t1", "t2", "t3"));
        for (int w = 1; w <= 4; w++) {
            ActorId id = TestActors.WORKER.id("w" + w);
            List<String> tags = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                tags.add("w" + w + "-" + i);
                out.add(producer.encodeExternal(id, new Task("w" + w + "-" + i), "w" + w + "-" + i));
            }
            expected.put(id, tags);
        }
        mailbox.send(out);

        sendRaw(env, "worker/m1", "bad-json", "Task", "{not json");
        sendRaw(env, "worker/m2", "unknown-type", "NoSuchMessage", "{}");
        sendRaw(env, "worker/m3", "missing-type", null, "{\"tag\":\"x\"}");
        sendRaw(env, "no-slash-here", "bad-group", "Task", "{\"tag\":\"x\"}");
        sendRaw(env, "ghost/x", "unregistered-type", "Task", "{\"tag\":\"x\"}");
        for (String m : List.of("m1", "m2", "m3")) {
            ActorId id = TestActors.WORKER.id(m);
            mailbox.send(List.of(producer.encodeExternal(id, new Task(m + "-after"), m + "-after")));
            expected.put(id, List.of(m + "-after"));
        }

        OutcomeLog log = new OutcomeLog();
        QueueProbe probe = new QueueProbe(aws.sqs());
        List<QueueProbe.Dead> dead;
        try (PollerNode node = PollerNode.builder(aws.sqs(), aws.dynamo(), env.queues(), env.table()).name("poison")
                .register(TestActors.WORKER).listener(log).consumers(2).groupThreads(4)
                .maxAttempts(MAX_ATTEMPTS).redriveMaxReceiveCount(env.maxReceiveCount())
                .visibility(Duration.ofSeconds(5)).retryDelay(Duration.ZERO).build().start()) {
            probe.awaitDrained(env.queues().queueUrl(), Duration.ofSeconds(60));
            dead = probe.takeDeadLetters(env.queues().deadLetterQueueUrl(), 6, Duration.ofSeconds(10));
            System.out.println("== poison and malformed ==\n  outcomes: " + log.counts() + "\n  poller: "
                    + node.poller().stats());
        }
        Map<String, QueueProbe.Dead> byId = new LinkedHashMap<>();
        dead.forEach(d -> byId.put(d.messageId(), d));
        byId.values().forEach(d -> System.out.println("  dead letter " + d.messageId() + " (" + d.groupId() + "): "
                + d.reason()));

        assertEquals(6, dead.size(), "dead letters: " + dead);
        QueueProbe.Dead poison = byId.get("p1-poison");
        assertNotNull(poison, "the poison message is on the dead-letter queue");
        assertAll(
                () -> assertTrue(poison.reason().contains("handler failed " + MAX_ATTEMPTS + " times"), poison.reason()),
                () -> assertTrue(poison.reason().contains("this task always fails"), poison.reason()),
                () -> assertEquals("Task", poison.type(), "the original attributes travel with it"),
                () -> assertEquals("{\"tag\":\"poison\"}", poison.body(), "and the original body"),
                () -> assertEquals(MAX_ATTEMPTS - 1, count(log.of("p1-poison"), Outcome.Kind.RETRIED),
                        "retried until the last attempt: " + log.of("p1-poison")),
                () -> assertReason(byId, "bad-json", "worker/m1", "decode"),
                () -> assertReason(byId, "unknown-type", "worker/m2", "unknown message type 'NoSuchMessage'"),
                () -> assertReason(byId, "missing-type", "worker/m3", "no fa-type attribute"),
                () -> assertReason(byId, "bad-group", "no-slash-here", "invalid actor group id"),
                () -> assertReason(byId, "unregistered-type", "ghost/x", "no actor type 'ghost' is registered"));
        for (String id : List.of("bad-json", "unknown-type", "missing-type", "bad-group", "unregistered-type")) {
            List<Outcome> o = log.of(id);
            assertEquals(List.of(Outcome.Kind.DEAD_LETTERED), o.stream().map(Outcome::kind).toList(),
                    id + " is dead-lettered on its first receive, never retried: " + o);
        }
        for (Map.Entry<ActorId, List<String>> e : expected.entrySet()) {
            Tags t = producer.inspect(e.getKey(), Tags.class).state();
            assertEquals(e.getValue(), t.tags(), e.getKey() + " applied its good messages, in order, once each");
        }
        assertTrue(log.appliedTwice().isEmpty());
    }

    private static void assertReason(Map<String, QueueProbe.Dead> byId, String id, String group, String reasonPart) {
        QueueProbe.Dead d = byId.get(id);
        assertNotNull(d, id + " is on the dead-letter queue");
        assertEquals(group, d.groupId());
        assertTrue(d.reason().toLowerCase().contains(reasonPart.toLowerCase()), id + ": " + d.reason());
    }

    private static long count(List<Outcome> outcomes, Outcome.Kind kind) {
        return outcomes.stream().filter(o -> o.kind() == kind).count();
    }
}
