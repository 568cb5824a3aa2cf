package io.fifoactors.sqs;

import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.FifoActorsException;
import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.port.MailboxLimits;
import io.fifoactors.sqswire.EncodedMessage;
import io.fifoactors.sqswire.TimerEnvelope;
import io.fifoactors.sqswire.WireMessage;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Moves timer firings from the timer queue of a {@link SqsScheduler} into the FIFO mailbox queue when they are due:
 * for each carrier received, forward it (due: now at or after its due time) with the message's deduplication id,
 * or send it to the timer queue again with a delay of {@code min(time left, 15 minutes)} rounded up to a whole
 * second (never early). The decision is {@code TimerEnvelope.decide}, a pure function.
 *
 * <ul>
 *   <li>{@link #forward(List)} handles one received batch and deletes nothing: for a Lambda function on the timer
 *       queue, which reports {@link Result#failed()} as batch item failures and lets the event source mapping
 *       delete the rest.</li>
 *   <li>{@link #start()} runs {@code threads} polling loops (long polling, a batch of ten, the handled carriers
 *       deleted, exponential backoff after a failure); {@link #shutdown(Duration)} stops them.</li>
 * </ul>
 *
 * <pre>{@code
 * SqsTimerForwarder forwarder = SqsTimerForwarder.builder().client(sqs)
 *         .timerQueueUrl(timers).mailboxQueueUrl(queues.queueUrl()).build();
 * forwarder.start();
 * ...
 * forwarder.shutdown(Duration.ofSeconds(30));
 * }</pre>
 *
 * <p>A carrier forwarded twice (a failed delete) is one message: the FIFO queue drops the second copy within its
 * five-minute deduplication window, and the runtime drops stale firings. A carrier that is not a timer (another
 * producer's message) is dropped and counted.
 *
 * <p>Thread-safe: the loops share only atomic counters; the client is the caller's and is never closed.
 */
public final class SqsTimerForwarder {
    private static final List<MessageSystemAttributeName> SYSTEM_ATTRIBUTES = List.of(
            MessageSystemAttributeName.SENT_TIMESTAMP, MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);

    private final SqsClient client;
    private final String timerQueueUrl;
    private final String mailboxQueueUrl;
    private final Clock clock;
    private final Duration maxHop;
    private final int threads;
    private final Duration waitTime;
    private final Duration visibility;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final Sleeper sleeper;
    private final BatchRunner batches;
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong resent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Object lifecycle = new Object();
    private final List<Thread> running = new ArrayList<>();
    private volatile boolean stopping;

    private SqsTimerForwarder(Builder b) {
        this.client = b.client;
        this.timerQueueUrl = b.timerQueueUrl;
        this.mailboxQueueUrl = b.mailboxQueueUrl;
        this.clock = b.clock;
        this.maxHop = b.maxHop;
        this.threads = b.threads;
        this.waitTime = b.waitTime;
        this.visibility = b.visibility;
        this.minBackoff = b.minBackoff;
        this.maxBackoff = b.maxBackoff;
        this.sleeper = b.sleeper;
        this.batches = new BatchRunner(b.client, 3, Duration.ofMillis(50), b.sleeper);
    }

    /** A new builder; {@code client}, {@code timerQueueUrl} and {@code mailboxQueueUrl} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * What one batch came to.
     *
     * <pre>{@code
     * SqsTimerForwarder.Result r = forwarder.forward(carriers);
     * reportBatchItemFailures(r.failed());
     * }</pre>
     *
     * <p>Immutable by convention (the lists are copies; the messages are shared). Thread-safe under that convention.
     *
     * @param handled   carriers done with (forwarded, sent on for another hop, or dropped as not a timer)
     * @param failed    carriers to try again (their sends failed)
     * @param forwarded how many went into the mailbox queue
     * @param resent    how many were sent on for another hop
     * @param dropped   how many were not timer carriers
     */
    public record Result(List<WireMessage> handled, List<WireMessage> failed, int forwarded, int resent,
                         int dropped) {
    }

    /**
     * Handles one received batch of carriers: forwards the due ones, sends the others on, deletes nothing.
     * A send that fails marks its carriers failed (some of them may have been sent: they are sent again later, and
     * a carrier forwarded twice is one message).
     */
    public Result forward(List<WireMessage> carriers) {
        Instant now = clock.instant();
        List<WireMessage> handled = new ArrayList<>();
        List<WireMessage> failed = new ArrayList<>();
        List<WireMessage> dueCarriers = new ArrayList<>();
        List<EncodedMessage> due = new ArrayList<>();
        List<WireMessage> laterCarriers = new ArrayList<>();
        List<EncodedMessage> later = new ArrayList<>();
        List<Integer> delays = new ArrayList<>();
        int droppedHere = 0;
        for (WireMessage c : carriers) {
            TimerEnvelope.Timer t;
            try {
                t = TimerEnvelope.read(c);
            } catch (PermanentFailureException notATimer) {
                handled.add(c);
                droppedHere++;
                continue;
            }
            TimerEnvelope.Decision d = TimerEnvelope.decide(t.dueAt(), now, maxHop);
            if (d.forwardNow()) {
                dueCarriers.add(c);
                due.add(TimerEnvelope.forward(t));
            } else {
                laterCarriers.add(c);
                later.add(TimerEnvelope.again(t));
                delays.add(d.delaySeconds());
            }
        }
        int forwardedHere = sendAll(mailboxQueueUrl, due, true, null, dueCarriers, handled, failed);
        int resentHere = sendAll(timerQueueUrl, later, false, delays, laterCarriers, handled, failed);
        forwarded.addAndGet(forwardedHere);
        resent.addAndGet(resentHere);
        dropped.addAndGet(droppedHere);
        return new Result(List.copyOf(handled), List.copyOf(failed), forwardedHere, resentHere, droppedHere);
    }

    private int sendAll(String url, List<EncodedMessage> messages, boolean ordered, List<Integer> delays,
                        List<WireMessage> carriers, List<WireMessage> handled, List<WireMessage> failed) {
        if (messages.isEmpty()) {
            return 0;
        }
        try {
            batches.send(url, messages, ordered, delays == null ? null : delays::get, i -> "a timer carrier");
            handled.addAll(carriers);
            return messages.size();
        } catch (FifoActorsException e) {
            failures.incrementAndGet();
            failed.addAll(carriers);
            return 0;
        }
    }

    /**
     * Receives one batch from the timer queue (waiting up to {@code wait}), forwards it and deletes the handled
     * carriers. Returns how many carriers were received.
     *
     * @throws FifoActorsException if the receive or the delete fails
     */
    public int pollOnce(Duration wait) {
        int waitSeconds = (int) Math.min(MailboxLimits.wholeSeconds("wait", wait, 0, Long.MAX_VALUE),
                SqsMailbox.MAX_WAIT_SECONDS);
        ReceiveMessageRequest request = ReceiveMessageRequest.builder()
                .queueUrl(timerQueueUrl)
                .maxNumberOfMessages(10)
                .waitTimeSeconds(waitSeconds)
                .visibilityTimeout((int) visibility.getSeconds())
                .messageAttributeNames("All")
                .messageSystemAttributeNames(SYSTEM_ATTRIBUTES)
                .build();
        List<Message> messages;
        try {
            messages = client.receiveMessage(request).messages();
        } catch (SdkException e) {
            throw SqsErrors.map("ReceiveMessage", timerQueueUrl, e);
        }
        if (messages.isEmpty()) {
            return 0;
        }
        List<WireMessage> carriers = new ArrayList<>(messages.size());
        for (Message m : messages) {
            carriers.add(SdkWire.toWire(m));
        }
        Result r = forward(carriers);
        if (!r.handled().isEmpty()) {
            List<String> handles = new ArrayList<>();
            for (WireMessage m : r.handled()) {
                handles.add(m.receiptHandle());
            }
            batches.delete(timerQueueUrl, handles, i -> "a timer carrier");
        }
        return messages.size();
    }

    /**
     * Starts the polling loops on their own threads.
     *
     * @throws IllegalStateException if already started
     */
    public void start() {
        synchronized (lifecycle) {
            if (!running.isEmpty() || stopping) {
                throw new IllegalStateException("SqsTimerForwarder was already started");
            }
            for (int i = 0; i < threads; i++) {
                Thread t = new Thread(this::loop, "sqs-timer-forwarder-" + i);
                t.setDaemon(true);
                running.add(t);
                t.start();
            }
        }
    }

    private void loop() {
        int failuresInARow = 0;
        while (!stopping) {
            try {
                pollOnce(waitTime);
                failuresInARow = 0;
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                failuresInARow++;
                long millis = Math.min(maxBackoff.toMillis(),
                        minBackoff.toMillis() << Math.min(failuresInARow - 1, 20));
                try {
                    sleeper.sleep(Duration.ofMillis(millis));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Stops the loops: no new receive starts; waits up to {@code timeout} for the running ones (a long poll lasts
     * up to its wait time), then interrupts them. Returns true if every loop ended.
     */
    public boolean shutdown(Duration timeout) {
        List<Thread> threadsToStop;
        synchronized (lifecycle) {
            stopping = true;
            threadsToStop = new ArrayList<>(running);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean all = true;
        for (Thread t : threadsToStop) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                t.join(Math.max(1, left / 1_000_000));
                if (t.isAlive()) {
                    t.interrupt();
                    t.join(1000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            all &= !t.isAlive();
        }
        return all;
    }

    /** Carriers forwarded into the mailbox queue so far. */
    public long forwardedCount() {
        return forwarded.get();
    }

    /** Carriers sent on for another hop so far. */
    public long resentCount() {
        return resent.get();
    }

    /** Messages on the timer queue that were not timer carriers, dropped. */
    public long droppedCount() {
        return dropped.get();
    }

    /** Failed sends, receives and deletes so far. */
    public long failureCount() {
        return failures.get();
    }

    @Override
    public String toString() {
        return "SqsTimerForwarder[" + timerQueueUrl + " -> " + mailboxQueueUrl + "]";
    }

    /**
     * Builds an {@link SqsTimerForwarder}.
     *
     * <pre>{@code
     * SqsTimerForwarder f = SqsTimerForwarder.builder().client(sqs).timerQueueUrl(t).mailboxQueueUrl(q).build();
     * }</pre>
     *
     * <p>Not thread-safe; build on one thread.
     */
    public static final class Builder {
        private SqsClient client;
        private String timerQueueUrl;
        private String mailboxQueueUrl;
        private Clock clock = Clock.systemUTC();
        private Duration maxHop = TimerEnvelope.MAX_HOP;
        private int threads = 1;
        private Duration waitTime = Duration.ofSeconds(20);
        private Duration visibility = Duration.ofSeconds(30);
        private Duration minBackoff = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Sleeper sleeper = Sleeper.REAL;

        private Builder() {
        }

        /** The SQS client (required); never closed. */
        public Builder client(SqsClient client) {
            this.client = client;
            return this;
        }

        /** The standard timer queue (required). */
        public Builder timerQueueUrl(String timerQueueUrl) {
            this.timerQueueUrl = timerQueueUrl;
            return this;
        }

        /** The FIFO mailbox queue the timers go to (required). */
        public Builder mailboxQueueUrl(String mailboxQueueUrl) {
            this.mailboxQueueUrl = mailboxQueueUrl;
            return this;
        }

        /** The time due times are compared with (default: the system clock). */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** The longest hop: 1 second to 15 minutes (default). Shorter hops are for tests. */
        public Builder maxHop(Duration maxHop) {
            this.maxHop = maxHop;
            return this;
        }

        /** Polling loops started by {@link #start()}: 1 to 16 (default 1). */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** Long-poll wait per receive: 0 to 20 seconds (default 20). */
        public Builder waitTime(Duration waitTime) {
            this.waitTime = waitTime;
            return this;
        }

        /** How long a received carrier stays invisible while it is handled (default 30 s). */
        public Builder visibility(Duration visibility) {
            this.visibility = visibility;
            return this;
        }

        /** Backoff after a failed poll: from {@code min} doubling up to {@code max} (default 200 ms to 30 s). */
        public Builder backoff(Duration min, Duration max) {
            this.minBackoff = min;
            this.maxBackoff = max;
            return this;
        }

        Builder sleeper(Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        /**
         * The forwarder.
         *
         * @throws ConfigurationException if a setting is missing or invalid
         */
        public SqsTimerForwarder build() {
            if (client == null || timerQueueUrl == null || mailboxQueueUrl == null || clock == null
                    || sleeper == null) {
                throw new ConfigurationException("SqsTimerForwarder.builder() needs client(SqsClient),"
                        + " timerQueueUrl(String) and mailboxQueueUrl(String)");
            }
            if (!SqsQueueProvisioner.isFifo(mailboxQueueUrl) || SqsQueueProvisioner.isFifo(timerQueueUrl)) {
                throw new ConfigurationException("SqsTimerForwarder moves timers from a standard queue to a FIFO"
                        + " queue; got " + timerQueueUrl + " -> " + mailboxQueueUrl);
            }
            SqsScheduler.checkHop(maxHop);
            if (threads < 1 || threads > 16) {
                throw new ConfigurationException("SqsTimerForwarder threads must be 1 to 16, was " + threads);
            }
            Objects.requireNonNull(waitTime, "waitTime");
            if (waitTime.isNegative() || waitTime.getSeconds() > 20 || visibility == null
                    || visibility.getSeconds() < 1 || visibility.getSeconds() > MailboxLimits.MAX_VISIBILITY_SECONDS
                    || minBackoff == null || maxBackoff == null || minBackoff.isNegative()
                    || maxBackoff.compareTo(minBackoff) < 0) {
                throw new ConfigurationException("SqsTimerForwarder waitTime must be 0 to 20 s, visibility 1 s to"
                        + " 12 h, and backoff min <= max");
            }
            return new SqsTimerForwarder(this);
        }
    }
}
