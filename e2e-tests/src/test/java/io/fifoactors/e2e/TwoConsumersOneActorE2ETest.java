package io.fifoactors.e2e;

import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.core.runtime.Poller;
import io.fifoactors.core.runtime.RuntimeEvent;
import io.fifoactors.e2e.TestActors.Gate;
import io.fifoactors.e2e.TestActors.Hit;
import io.fifoactors.e2e.TestActors.Tags;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * G2 with two consumers on one actor, each a Poller with its own system. Without heartbeats, a handler slower than
 * the 1 s visibility timeout lets the second poller take the same message and apply it; when the first one
 * finishes, its commit loses the version race, it recognises the message as applied, and its stale acknowledgement
 * is tolerated. With heartbeats, the message stays invisible however long the handler takes, and the second poller
 * never sees it.
 */
class TwoConsumersOneActorE2ETest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static LocalAws aws;
    private final List<Poller> pollers = new ArrayList<>();
    private final List<Gate> gates = new ArrayList<>();

    @BeforeAll
    static void startServers() {
        aws = LocalAws.start();
    }

    @AfterAll
    static void stopServers() {
        aws.close();
    }

    @AfterEach
    void stopPollers() {
        gates.forEach(g -> g.open.countDown());
        pollers.forEach(p -> p.shutdown(Duration.ofSeconds(10)));
        TestActors.GATES.clear();
    }

    private Poller poller(LocalAws.Env env, String name, OutcomeRecorder outcomes, Duration visibility,
                          Duration heartbeat) {
        ActorSystem system = aws.system(env, TestActors.GATED).listener(outcomes).build();
        Poller p = Poller.builder().system(system).name(name).consumers(1).visibilityTimeout(visibility)
                .heartbeatInterval(heartbeat).waitTime(Duration.ofSeconds(1)).build();
        pollers.add(p);
        return p;
    }

    @Test
    void aSecondConsumerAfterAVisibilityExpiryAppliesOnceAndTheFirstOnesStaleAckIsTolerated() throws Exception {
        LocalAws.Env env = aws.fresh("race", OptionalInt.of(15), Duration.ofSeconds(1));
        ActorSystem producer = aws.system(env, TestActors.GATED).build();
        Gate gate = TestActors.gate("slow");
        gates.add(gate);
        producer.tell(TestActors.GATED.ref("g1"), new Hit("slow"), "hit-slow");

        OutcomeRecorder first = new OutcomeRecorder();
        OutcomeRecorder second = new OutcomeRecorder();
        Poller a = poller(env, "first", first, Duration.ofSeconds(1), Duration.ZERO);
        a.start();
        assertTrue(gate.entered.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        Poller b = poller(env, "second", second, Duration.ofSeconds(1), Duration.ZERO);
        b.start();
        Await.until("the second consumer applied the message", TIMEOUT,
                () -> second.count(Outcome.Kind.APPLIED) == 1, () -> second.all().toString());
        Await.until("the second consumer acknowledged it", TIMEOUT, () -> b.stats().succeeded() == 1);

        gate.open.countDown();
        Await.until("the first consumer settled its stale delivery", TIMEOUT,
                () -> a.stats().succeeded() == 1, () -> a.stats().toString());
        Await.until("the queue is empty", TIMEOUT, () -> aws.messagesIn(env.queues().queueUrl()) == 0);

        ActorSnapshot<Tags> s = producer.inspect(TestActors.GATED, "g1");
        Poller.Stats aStats = a.stats();
        System.out.println("== two consumers, one actor, visibility expired ==\n  first:  " + first.all()
                + "\n          " + first.events() + "\n          " + aStats + "\n  second: " + second.all()
                + "\n          " + b.stats() + "\n  record: version " + s.version() + ", " + s.state());
        assertEquals(new Tags(List.of("slow")), s.state(), "the effect happened once");
        assertEquals(1, s.applied());
        assertEquals(2, gate.calls.get(), "the handler ran on both consumers");
        assertEquals(1, first.events(RuntimeEvent.Kind.VERSION_CONFLICT), "the first consumer lost the version race");
        assertEquals(1, first.count(Outcome.Kind.DUPLICATE), "and then recognised the message as applied");
        assertEquals(0, first.count(Outcome.Kind.APPLIED));
        assertEquals(1, aStats.staleAcknowledgements(), "its acknowledgement found the receipt stale");
        assertEquals(0, aStats.portFailures().values().stream().mapToLong(Long::longValue).sum(),
                "and that is not an error");
        assertTrue(new DeadLetterProbe(aws.sqs(), env.queues()).takeAll().isEmpty());
    }

    @Test
    void heartbeatsKeepALongHandlersMessageFromASecondConsumer() throws Exception {
        Duration visibility = Duration.ofSeconds(2);
        LocalAws.Env env = aws.fresh("heartbeat", OptionalInt.of(15), visibility);
        ActorSystem producer = aws.system(env, TestActors.GATED).build();
        Gate gate = TestActors.gate("long");
        gates.add(gate);
        producer.tell(TestActors.GATED.ref("g2"), new Hit("long"), "hit-long");

        OutcomeRecorder first = new OutcomeRecorder();
        OutcomeRecorder second = new OutcomeRecorder();
        Poller a = poller(env, "beating", first, visibility, Duration.ofMillis(500));
        a.start();
        assertTrue(gate.entered.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        Poller b = poller(env, "waiting", second, visibility, Duration.ofMillis(500));
        b.start();
        // 6 beats of 0.5 s: the handler has run well past the 2 s visibility timeout
        Await.until("six heartbeats", TIMEOUT, () -> a.stats().heartbeats() >= 6);
        assertEquals(0, b.stats().messages(), "the second consumer never received the message");

        gate.open.countDown();
        Await.until("the first consumer acknowledged", TIMEOUT, () -> a.stats().succeeded() == 1,
                () -> a.stats().toString());
        Await.until("the queue is empty", TIMEOUT, () -> aws.messagesIn(env.queues().queueUrl()) == 0);

        ActorSnapshot<Tags> s = producer.inspect(TestActors.GATED, "g2");
        System.out.println("== heartbeats ==\n  first:  " + a.stats() + "\n  second: " + b.stats());
        assertEquals(new Tags(List.of("long")), s.state());
        assertEquals(1, gate.calls.get(), "the handler ran once");
        assertEquals(0, b.stats().messages());
        assertEquals(0, first.events(RuntimeEvent.Kind.VERSION_CONFLICT)
                + second.events(RuntimeEvent.Kind.VERSION_CONFLICT));
        assertEquals(0, a.stats().staleAcknowledgements() + a.stats().portFailures("heartbeat"));
    }
}
