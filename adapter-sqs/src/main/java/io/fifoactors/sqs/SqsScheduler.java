package io.fifoactors.sqs;

import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.port.ScheduledMessage;
import io.fifoactors.core.port.Scheduler;
import io.fifoactors.sqswire.EncodedMessage;
import io.fifoactors.sqswire.TimerEnvelope;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@link Scheduler} on SQS: SQS FIFO queues have no per-message delay, so each timer firing travels as a
 * carrier on a <b>standard</b> queue (see {@code io.fifoactors.sqswire.TimerEnvelope}) with a DelaySeconds of
 * {@code min(time left, 15 minutes)}, rounded up; a {@link SqsTimerForwarder} receives it, sends it on for another
 * hop if it is not due yet, and forwards it into the FIFO mailbox queue when it is, with the message's id as its
 * deduplication id. Delivery is at least once and never early (as the clocks of the forwarder and SQS agree).
 *
 * <pre>{@code
 * String timers = SqsQueueProvisioner.builder().client(sqs).build().provisionTimerQueue("accounts");
 * Scheduler scheduler = SqsScheduler.builder().client(sqs).timerQueueUrl(timers).build();
 * scheduler.schedule(List.of(new ScheduledMessage(firing, Instant.now().plusSeconds(3600))));
 * }</pre>
 *
 * <p>Every message is checked (mailbox rules, size with the timer attribute) before anything is sent. Cost: one
 * send per timer, then per 15-minute hop one receive, one send and one delete (each batched up to ten).
 *
 * <p>Thread-safe: it keeps no mutable state; the client is the caller's and is never closed.
 */
public final class SqsScheduler implements Scheduler {
    private final String timerQueueUrl;
    private final Clock clock;
    private final Duration maxHop;
    private final BatchRunner batches;

    private SqsScheduler(Builder b) {
        this.timerQueueUrl = b.timerQueueUrl;
        this.clock = b.clock;
        this.maxHop = b.maxHop;
        this.batches = new BatchRunner(b.client, b.maxSendRetries, Duration.ofMillis(50), b.sleeper);
    }

    /** A new builder; {@code client} and {@code timerQueueUrl} are required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void schedule(List<ScheduledMessage> messages) {
        Objects.requireNonNull(messages, "messages");
        List<EncodedMessage> carriers = new ArrayList<>(messages.size());
        for (ScheduledMessage m : messages) {
            carriers.add(TimerEnvelope.encode(Objects.requireNonNull(m, "message")));
        }
        Instant now = clock.instant();
        batches.send(timerQueueUrl, carriers, false,
                i -> TimerEnvelope.firstDelaySeconds(messages.get(i).dueAt(), now, maxHop),
                i -> "timer message " + messages.get(i).message().messageId());
    }

    @Override
    public String toString() {
        return "SqsScheduler[" + timerQueueUrl + ", hops of at most " + maxHop + "]";
    }

    /**
     * Builds an {@link SqsScheduler}.
     *
     * <pre>{@code
     * SqsScheduler s = SqsScheduler.builder().client(sqs).timerQueueUrl(url).build();
     * }</pre>
     *
     * <p>Not thread-safe; build on one thread.
     */
    public static final class Builder {
        private SqsClient client;
        private String timerQueueUrl;
        private Clock clock = Clock.systemUTC();
        private Duration maxHop = TimerEnvelope.MAX_HOP;
        private int maxSendRetries = 3;
        private Sleeper sleeper = Sleeper.REAL;

        private Builder() {
        }

        /** The SQS client (required); never closed. */
        public Builder client(SqsClient client) {
            this.client = client;
            return this;
        }

        /** The standard queue that carries timers (required; see SqsQueueProvisioner.provisionTimerQueue). */
        public Builder timerQueueUrl(String timerQueueUrl) {
            this.timerQueueUrl = timerQueueUrl;
            return this;
        }

        /** The time the first delay is counted from (default: the system clock). */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** The longest hop: 1 second to 15 minutes, SQS's longest delay (default). Shorter hops are for tests. */
        public Builder maxHop(Duration maxHop) {
            this.maxHop = maxHop;
            return this;
        }

        /** Retries of a batch entry that failed for a passing reason (default 3). */
        public Builder maxSendRetries(int maxSendRetries) {
            this.maxSendRetries = maxSendRetries;
            return this;
        }

        Builder sleeper(Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        /**
         * The scheduler.
         *
         * @throws ConfigurationException if a setting is missing or invalid
         */
        public SqsScheduler build() {
            if (client == null || timerQueueUrl == null || timerQueueUrl.isBlank() || clock == null
                    || sleeper == null) {
                throw new ConfigurationException("SqsScheduler.builder() needs client(SqsClient) and"
                        + " timerQueueUrl(String)");
            }
            if (SqsQueueProvisioner.isFifo(timerQueueUrl)) {
                throw new ConfigurationException("SqsScheduler needs a standard queue (FIFO queues have no"
                        + " per-message delay), but " + timerQueueUrl + " is a FIFO queue");
            }
            checkHop(maxHop);
            BatchRunner.checkRetries("SqsScheduler maxSendRetries", maxSendRetries);
            return new SqsScheduler(this);
        }
    }

    static void checkHop(Duration hop) {
        if (hop == null || hop.compareTo(Duration.ofSeconds(1)) < 0 || hop.compareTo(TimerEnvelope.MAX_HOP) > 0
                || hop.getNano() != 0) {
            throw new ConfigurationException("the longest hop must be whole seconds from 1 s to 15 minutes, was "
                    + hop);
        }
    }
}
