package io.fifoactors.sqs;

import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.MessageTooLargeException;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.port.ScheduledMessage;
import io.fifoactors.sqswire.EncodedMessage;
import io.fifoactors.sqswire.SqsWire;
import io.fifoactors.sqswire.WireAttribute;
import io.fifoactors.sqswire.WireMessage;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The timer carrier on a scripted client and a hand-moved clock: the hops a long timer takes, that it is forwarded
 * exactly when due with the same bytes as a direct send, never early, and the polling loop's backoff and shutdown.
 */
class SqsTimerForwarderTest {
    private static final String TIMERS = "http://local/000000000000/q-timers";
    private static final String QUEUE = "http://local/000000000000/q.fifo";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final FakeSqsClient sqs = new FakeSqsClient();
    private final TestClock clock = new TestClock(T0);

    private SqsScheduler scheduler() {
        return SqsScheduler.builder().client(sqs).timerQueueUrl(TIMERS).clock(clock).build();
    }

    private SqsTimerForwarder forwarder() {
        return SqsTimerForwarder.builder().client(sqs).timerQueueUrl(TIMERS).mailboxQueueUrl(QUEUE).clock(clock)
                .build();
    }

    private static OutgoingMessage firing(String id) {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("fa-type", "fa:timer");
        attrs.put("fa-from", "account/a 7 1767225600000");
        attrs.put("fa-auth", "k1:abcdef");
        return new OutgoingMessage("account/a", id, attrs, "3 reminder".getBytes(StandardCharsets.UTF_8));
    }

    /** The last entry sent to {@code url}, as the queue would deliver it. */
    private WireMessage lastCarrier() {
        SendMessageBatchRequest r = sqs.sendBatches.get(sqs.sendBatches.size() - 1);
        assertEquals(TIMERS, r.queueUrl());
        SendMessageBatchRequestEntry e = r.entries().get(r.entries().size() - 1);
        Map<String, WireAttribute> attributes = new LinkedHashMap<>();
        e.messageAttributes().forEach((k, v) -> attributes.put(k, SdkWire.toWire(v)));
        return new WireMessage("sqs-" + sqs.sendBatches.size(), "rh-" + sqs.sendBatches.size(), e.messageBody(),
                Map.of(), attributes);
    }

    private int lastDelay() {
        SendMessageBatchRequest r = sqs.sendBatches.get(sqs.sendBatches.size() - 1);
        return r.entries().get(r.entries().size() - 1).delaySeconds();
    }

    @Test
    void aTimerDueInAnHourHopsFourTimesAndIsForwardedWhenDueWithTheBytesOfADirectSend() {
        OutgoingMessage m = firing("t-1");
        Instant due = T0.plusSeconds(3610);
        scheduler().schedule(List.of(new ScheduledMessage(m, due)));
        assertEquals(900, lastDelay());
        SqsTimerForwarder forwarder = forwarder();
        List<Integer> delays = new ArrayList<>(List.of(900));
        while (true) {
            clock.advance(Duration.ofSeconds(delays.get(delays.size() - 1)));
            SqsTimerForwarder.Result r = forwarder.forward(List.of(lastCarrier()));
            assertEquals(1, r.handled().size());
            if (r.forwarded() == 1) {
                break;
            }
            assertEquals(1, r.resent());
            delays.add(lastDelay());
        }
        assertEquals(List.of(900, 900, 900, 900, 10), delays);
        assertEquals(due, clock.instant(), "forwarded exactly when due");
        assertEquals(4, forwarder.resentCount());
        assertEquals(1, forwarder.forwardedCount());

        SendMessageBatchRequest forwarded = sqs.sendBatches.get(sqs.sendBatches.size() - 1);
        assertEquals(QUEUE, forwarded.queueUrl());
        SendMessageBatchRequestEntry e = forwarded.entries().get(0);
        EncodedMessage direct = SqsWire.encode(m);
        assertEquals(direct.deduplicationId(), e.messageDeduplicationId());
        assertEquals(direct.groupId(), e.messageGroupId());
        assertEquals(direct.body(), e.messageBody());
        assertEquals(SdkWire.toSdk(direct.attributes()), e.messageAttributes(), "byte-identical attributes");
        assertEquals(null, e.delaySeconds(), "no delay on a FIFO queue");
    }

    @Test
    void aCarrierThatArrivesEarlyIsSentOnNeverForwarded() {
        scheduler().schedule(List.of(new ScheduledMessage(firing("t-2"), T0.plusMillis(2500))));
        assertEquals(3, lastDelay(), "2.5 s rounded up");
        clock.advance(Duration.ofMillis(2400)); // a server whose clock runs ahead of ours
        SqsTimerForwarder.Result r = forwarder().forward(List.of(lastCarrier()));
        assertEquals(0, r.forwarded());
        assertEquals(1, lastDelay());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, forwarder().forward(List.of(lastCarrier())).forwarded());
    }

    @Test
    void aTimerAlreadyDueGoesWithoutDelayAndEverythingIsCheckedBeforeSending() {
        scheduler().schedule(List.of(new ScheduledMessage(firing("t-3"), T0.minusSeconds(5))));
        assertEquals(0, lastDelay());
        byte[] tooBig = new byte[300_000];
        int before = sqs.sendBatches.size();
        assertThrows(MessageTooLargeException.class, () -> scheduler().schedule(List.of(
                new ScheduledMessage(firing("t-4"), T0),
                new ScheduledMessage(new OutgoingMessage("g", "big", Map.of(), tooBig), T0))));
        assertEquals(before, sqs.sendBatches.size());
    }

    @Test
    void manyTimersGoInBatchesOfTenWithTheirOwnDelays() {
        List<ScheduledMessage> timers = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            timers.add(new ScheduledMessage(new OutgoingMessage("account/a", "t-" + i, Map.of("fa-type", "T"),
                    new byte[] {1}), T0.plusSeconds(i * 100L)));
        }
        scheduler().schedule(timers);
        assertEquals(List.of(10, 2), sqs.sendBatches.stream().map(b -> b.entries().size()).toList());
        assertEquals(List.of(0, 100, 200, 300, 400, 500, 600, 700, 800, 900), sqs.sendBatches.get(0).entries()
                .stream().map(SendMessageBatchRequestEntry::delaySeconds).toList());
        assertEquals(List.of(900, 900), sqs.sendBatches.get(1).entries().stream()
                .map(SendMessageBatchRequestEntry::delaySeconds).toList());
    }

    @Test
    void aMessageThatIsNotATimerIsDroppedAndAFailedSendIsReportedForRetry() {
        WireMessage stranger = new WireMessage("x", "rh-x", "hello", Map.of(), Map.of());
        SqsTimerForwarder.Result r = forwarder().forward(List.of(stranger));
        assertEquals(List.of(stranger), r.handled());
        assertEquals(1, r.dropped());

        scheduler().schedule(List.of(new ScheduledMessage(firing("t-5"), T0)));
        WireMessage carrier = lastCarrier();
        sqs.sendBatchThrows = SqsException.builder().statusCode(503)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ServiceUnavailable").build()).build();
        SqsTimerForwarder f = forwarder();
        SqsTimerForwarder.Result failed = f.forward(List.of(carrier));
        assertEquals(List.of(carrier), failed.failed());
        assertEquals(List.of(), failed.handled());
        assertEquals(1, f.failureCount());
    }

    @Test
    void theLoopBacksOffAfterFailuresAndStopsOnShutdown() throws InterruptedException {
        sqs.receiveScript = r -> {
            throw SqsException.builder().statusCode(500)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("InternalError").build()).build();
        };
        List<Duration> waits = new CopyOnWriteArrayList<>();
        CountDownLatch fourFailures = new CountDownLatch(4);
        SqsTimerForwarder f = SqsTimerForwarder.builder().client(sqs).timerQueueUrl(TIMERS).mailboxQueueUrl(QUEUE)
                .backoff(Duration.ofMillis(100), Duration.ofMillis(500)).sleeper(d -> {
                    waits.add(d);
                    fourFailures.countDown();
                }).build();
        f.start();
        assertThrows(IllegalStateException.class, f::start);
        assertTrue(fourFailures.await(10, TimeUnit.SECONDS));
        assertTrue(f.shutdown(Duration.ofSeconds(5)));
        assertEquals(List.of(100L, 200L, 400L, 500L), waits.subList(0, 4).stream().map(Duration::toMillis).toList());
        assertTrue(f.failureCount() >= 4);
    }

    @Test
    void theBuildersRefuseQueuesOfTheWrongKindAndHopsOutOfRange() {
        assertThrows(ConfigurationException.class, () -> SqsScheduler.builder().client(sqs).timerQueueUrl(QUEUE).build());
        assertThrows(ConfigurationException.class, () -> SqsTimerForwarder.builder().client(sqs).timerQueueUrl(QUEUE)
                .mailboxQueueUrl(TIMERS).build());
        assertThrows(ConfigurationException.class, () -> SqsScheduler.builder().client(sqs).timerQueueUrl(TIMERS)
                .maxHop(Duration.ofMinutes(16)).build());
        assertThrows(ConfigurationException.class, () -> SqsScheduler.builder().client(sqs).timerQueueUrl(TIMERS)
                .maxHop(Duration.ofMillis(1500)).build());
        assertFalse(SqsScheduler.builder().client(sqs).timerQueueUrl(TIMERS).maxHop(Duration.ofSeconds(1)).build()
                .toString().isEmpty());
    }
}
