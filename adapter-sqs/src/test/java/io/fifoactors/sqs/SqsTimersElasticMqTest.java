package io.fifoactors.sqs;

import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.port.ScheduledMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Timers on a real server (embedded ElasticMQ): carriers on a standard queue with DelaySeconds, the forwarder's loop,
 * the firing in the FIFO mailbox not before its due time. Prints the measured firing delay. Waits by long polling.
 */
class SqsTimersElasticMqTest {
    private static final AtomicLong COUNTER = new AtomicLong();
    @RegisterExtension
    static final ElasticMqFixture SQS = new ElasticMqFixture();

    private SqsMailboxFixture fixture;
    private String timerQueue;
    private SqsTimerForwarder forwarder;

    @AfterEach
    void stop() {
        if (forwarder != null) {
            assertTrue(forwarder.shutdown(Duration.ofSeconds(5)), "the forwarder stops");
        }
        if (fixture != null) {
            fixture.close();
            SQS.provisioner().build().deleteQueue(timerQueue);
        }
    }

    private SqsScheduler start(Duration maxHop) {
        fixture = new SqsMailboxFixture(SQS.client(), "timers", 0);
        timerQueue = SQS.provisioner().build()
                .provisionTimerQueue("t" + COUNTER.incrementAndGet());
        forwarder = SqsTimerForwarder.builder().client(SQS.client()).timerQueueUrl(timerQueue)
                .mailboxQueueUrl(fixture.queues().queueUrl()).maxHop(maxHop).waitTime(Duration.ofSeconds(1)).build();
        forwarder.start();
        return SqsScheduler.builder().client(SQS.client()).timerQueueUrl(timerQueue).maxHop(maxHop).build();
    }

    private static OutgoingMessage firing(String id) {
        return new OutgoingMessage("account/t", id, Map.of("fa-type", "fa:timer", "fa-auth", "k:x"),
                ("fire " + id).getBytes(StandardCharsets.UTF_8));
    }

    /** Receives until {@code n} messages arrived; each with the instant it was received. */
    private List<Arrival> awaitArrivals(int n, Duration timeout) {
        List<Arrival> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (out.size() < n && System.nanoTime() < deadline) {
            for (Delivery d : fixture.mailbox().receive(10, Duration.ofSeconds(30), Duration.ofSeconds(1))) {
                out.add(new Arrival(d, Instant.now()));
                fixture.mailbox().acknowledge(List.of(d));
            }
        }
        return out;
    }

    private record Arrival(Delivery delivery, Instant at) {
    }

    @Test
    void aTimerArrivesInTheMailboxNotBeforeItsDueTimeAndSoonAfter() {
        SqsScheduler scheduler = start(Duration.ofMinutes(15));
        List<ScheduledMessage> timers = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < 3; i++) {
            timers.add(new ScheduledMessage(firing("t-" + i), now.plusMillis(2000 + 700L * i)));
        }
        scheduler.schedule(timers);
        List<Arrival> arrivals = awaitArrivals(3, Duration.ofSeconds(20));
        assertEquals(3, arrivals.size(), "every timer fired");
        long worst = 0;
        for (Arrival a : arrivals) {
            ScheduledMessage t = timers.stream().filter(s -> s.message().messageId().equals(a.delivery().messageId()))
                    .findFirst().orElseThrow();
            long lateMillis = Duration.between(t.dueAt(), a.at()).toMillis();
            System.out.println("timer " + t.message().messageId() + " due " + t.dueAt() + " arrived " + lateMillis
                    + " ms after its due time");
            assertTrue(lateMillis >= 0, "never early: " + lateMillis + " ms");
            assertArrayEquals(t.message().body(), a.delivery().body());
            assertEquals(t.message().attributes(), a.delivery().attributes());
            worst = Math.max(worst, lateMillis);
        }
        System.out.println("worst firing delay over 3 timers: " + worst + " ms");
        assertTrue(worst < 4_000, "fired within 4 s of its due time: " + worst + " ms");
        assertEquals(3, forwarder.forwardedCount());
    }

    @Test
    void aTimerFartherThanAHopTravelsInSeveralHops() {
        SqsScheduler scheduler = start(Duration.ofSeconds(1));
        Instant due = Instant.now().plusMillis(3500);
        scheduler.schedule(List.of(new ScheduledMessage(firing("far"), due)));
        List<Arrival> arrivals = awaitArrivals(1, Duration.ofSeconds(20));
        assertEquals(1, arrivals.size());
        long late = Duration.between(due, arrivals.get(0).at()).toMillis();
        System.out.println("a 3.5 s timer on 1 s hops: " + forwarder.resentCount() + " hops after the first, arrived "
                + late + " ms after its due time");
        assertTrue(late >= 0, "never early");
        assertTrue(forwarder.resentCount() >= 3, "hopped: " + forwarder.resentCount());
        assertEquals("far", arrivals.get(0).delivery().messageId());
    }

    @Test
    void aCarrierForwardedTwiceIsOneMessage() {
        start(Duration.ofMinutes(15));
        SqsScheduler scheduler = SqsScheduler.builder().client(SQS.client()).timerQueueUrl(timerQueue).build();
        ScheduledMessage once = new ScheduledMessage(firing("twice"), Instant.now());
        scheduler.schedule(List.of(once, once)); // two carriers of the same firing
        List<Arrival> arrivals = awaitArrivals(2, Duration.ofSeconds(4));
        assertEquals(1, arrivals.size(), "the mailbox's deduplication dropped the second");
        assertEquals(2, forwarder.forwardedCount());
    }
}
