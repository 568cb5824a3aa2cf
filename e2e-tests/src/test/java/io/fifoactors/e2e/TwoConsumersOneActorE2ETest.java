package io.fifoactors.e2e;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.dynamodb.DynamoDbStateStore;
import io.fifoactors.e2e.TestActors.Gate;
import io.fifoactors.e2e.TestActors.Hit;
import io.fifoactors.e2e.TestActors.Tags;
import io.fifoactors.examples.demo.OutcomeLog;
import io.fifoactors.examples.demo.aws.AwsServers;
import io.fifoactors.examples.demo.aws.PollerNode;
import io.fifoactors.examples.demo.aws.QueueProbe;
import io.fifoactors.sqs.SqsMailbox;
import io.fifoactors.sqs.SqsPoller;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * G2 with two consumers on one actor. Without heartbeats, a handler slower than the 1 s visibility timeout lets a
 * second poller take the same message and apply it; when the first one finishes, its commit loses the version race,
 * it recognises the message as applied, and its stale acknowledgement is tolerated. With heartbeats, the message
 * stays invisible however long the handler takes, and the second poller never sees it.
 */
class TwoConsumersOneActorE2ETest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static AwsServers aws;
    private final List<PollerNode> nodes = new ArrayList<>();
    private final List<Gate> gates = new ArrayList<>();

    @BeforeAll
    static void startServers() {
        aws = AwsServers.start();
    }

    @AfterAll
    static void stopServers() {
        aws.close();
    }

    @AfterEach
    void stopNodes() {
        gates.forEach(g -> g.open.countDown());
        nodes.forEach(PollerNode::stop);
        TestActors.GATES.clear();
    }

    private PollerNode node(AwsServers.Env env, String name, OutcomeLog log, Duration visibility, Duration heartbeat) {
        PollerNode n = PollerNode.builder(aws.sqs(), aws.dynamo(), env.queues(), env.table()).name(name)
                .register(TestActors.GATED).listener(log).consumers(1).groupThreads(1)
                .visibility(visibility).heartbeat(heartbeat).waitTime(Duration.ofSeconds(1)).build();
        nodes.add(n);
        return n;
    }

    private static ActorSystem producer(AwsServers.Env env) {
        return ActorSystem.builder().register(TestActors.GATED)
                .mailbox(SqsMailbox.builder().client(aws.sqs()).queues(env.queues()).build())
                .stateStore(DynamoDbStateStore.builder().client(aws.dynamo()).tableName(env.table()).build()).build();
    }

    @Test
    void aSecondConsumerAfterAVisibilityExpiryAppliesOnceAndTheFirstOnesStaleAckIsTolerated() throws Exception {
        AwsServers.Env env = aws.fresh("race", 10, Duration.ofSeconds(1));
        ActorSystem producer = producer(env);
        ActorId actor = TestActors.GATED.id("g1");
        Gate gate = TestActors.gate("slow");
        gates.add(gate);
        producer.send(actor, new Hit("slow"), "hit-slow");

        OutcomeLog first = new OutcomeLog();
        OutcomeLog second = new OutcomeLog();
        PollerNode a = node(env, "first", first, Duration.ofSeconds(1), Duration.ZERO).start();
        assertTrue(gate.entered.await(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
        PollerNode b = node(env, "second", second, Duration.ofSeconds(1), Duration.ZERO).start();
        Await.until("the second consumer applied the message", TIMEOUT,
                () -> second.count(Outcome.Kind.APPLIED) == 1, () -> second.all().toString());
        Await.until("the second consumer acknowledged it", TIMEOUT, () -> b.poller().stats().acknowledged() == 1);

        gate.open.countDown();
        Await.until("the first consumer settled its stale delivery", TIMEOUT,
                () -> a.poller().stats().acknowledged() + a.poller().stats().staleAcknowledgements() == 1,
                () -> a.poller().stats().toString());
        new QueueProbe(aws.sqs()).awaitDrained(env.queues().queueUrl(), TIMEOUT);

        ActorSnapshot<Tags> s = producer.inspect(actor, Tags.class);
        SqsPoller.Stats aStats = a.poller().stats();
        System.out.println("== two consumers, one actor, visibility expired ==\n  first:  " + first.all()
                + "\n          " + aStats + "\n  second: " + second.all() + "\n          " + b.poller().stats()
                + "\n  record: version " + s.version() + ", " + s.state());
        assertEquals(new Tags(1, List.of("slow")), s.state(), "the effect happened once");
        assertEquals(1, s.version(), "one commit");
        assertEquals(1, s.applied());
        assertEquals(2, gate.calls.get(), "the handler ran on both consumers");
        assertEquals(1, first.count(Outcome.Kind.VERSION_CONFLICT), "the first consumer lost the version race");
        assertEquals(1, first.count(Outcome.Kind.DUPLICATE), "and then recognised the message as applied");
        assertEquals(0, first.count(Outcome.Kind.APPLIED));
        assertEquals(1, aStats.staleAcknowledgements(), "its acknowledgement found the receipt stale");
        assertEquals(0, aStats.settleErrors() + aStats.processErrors(), "and that is not an error");
        assertTrue(new QueueProbe(aws.sqs()).takeDeadLetters(env.queues().deadLetterQueueUrl(), 0,
                Duration.ofSeconds(2)).isEmpty());
    }

    @Test
    void heartbeatsKeepALongHandlersMessageFromASecondConsumer() throws Exception {
        Duration visibility = Duration.ofSeconds(2);
        AwsServers.Env env = aws.fresh("heartbeat", 10, visibility);
        ActorSystem producer = producer(env);
        ActorId actor = TestActors.GATED.id("g2");
        Gate gate = TestActors.gate("long");
        gates.add(gate);
        producer.send(actor, new Hit("long"), "hit-long");

        OutcomeLog first = new OutcomeLog();
        OutcomeLog second = new OutcomeLog();
        PollerNode a = node(env, "beating", first, visibility, Duration.ofMillis(500)).start();
        assertTrue(gate.entered.await(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
        PollerNode b = node(env, "waiting", second, visibility, Duration.ofMillis(500)).start();
        // 6 beats of 0.5 s: the handler has run well past the 2 s visibility timeout
        Await.until("six heartbeats", TIMEOUT, () -> a.poller().stats().heartbeats() >= 6);
        assertEquals(0, b.poller().stats().messages(), "the second consumer never received the message");

        gate.open.countDown();
        Await.until("the first consumer acknowledged", TIMEOUT, () -> a.poller().stats().acknowledged() == 1,
                () -> a.poller().stats().toString());
        new QueueProbe(aws.sqs()).awaitDrained(env.queues().queueUrl(), TIMEOUT);

        ActorSnapshot<Tags> s = producer.inspect(actor, Tags.class);
        System.out.println("== heartbeats ==\n  first:  " + a.poller().stats() + "\n  second: " + b.poller().stats());
        assertEquals(new Tags(1, List.of("long")), s.state());
        assertEquals(1, gate.calls.get(), "the handler ran once");
        assertEquals(0, b.poller().stats().messages());
        assertEquals(0, first.count(Outcome.Kind.VERSION_CONFLICT) + second.count(Outcome.Kind.VERSION_CONFLICT));
        assertEquals(0, a.poller().stats().heartbeatErrors() + a.poller().stats().staleAcknowledgements());
    }
}
