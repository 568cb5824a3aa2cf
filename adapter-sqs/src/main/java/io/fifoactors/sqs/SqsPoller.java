package io.fifoactors.sqs;

import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.BatchOutcome;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A long-running consumer that runs an {@link ActorSystem} outside Lambda (in a container or on a VM): a number of
 * receive loops, each of which receives a batch from the mailbox (long polling), hands it to
 * {@link ActorSystem#process}, then acknowledges the settled deliveries and releases the others after the retry
 * delay.
 *
 * <pre>{@code
 * SqsMailbox mailbox = SqsMailbox.builder().client(sqs).queues(queues).build();
 * ActorSystem system = ActorSystem.builder().register(Ledger.ACCOUNT)
 *         .stateStore(store).mailbox(mailbox).groupExecutor(Executors.newFixedThreadPool(8)).build();
 * SqsPoller poller = SqsPoller.builder()
 *         .system(system).mailbox(mailbox)          // the mailbox the system sends through
 *         .consumers(4).visibilityTimeout(Duration.ofSeconds(30)).waitTime(Duration.ofSeconds(20))
 *         .build();
 * poller.start();
 * Runtime.getRuntime().addShutdownHook(new Thread(() -> poller.shutdown(Duration.ofSeconds(25))));
 * }</pre>
 *
 * <p><b>Back-pressure.</b> Each receive loop processes its batch before it receives again, so at most
 * {@code consumers} batches ({@code consumers * maxMessages} messages) are held at any time; there is no queue
 * between receiving and processing. Within a batch, groups run concurrently if the system has a group executor.
 *
 * <p><b>Heartbeats.</b> While a batch is being processed, its deliveries' visibility is extended every
 * {@code heartbeatInterval} (default a third of the visibility timeout) to the full visibility timeout from then, with
 * {@link Mailbox#release(List, Duration)} (ChangeMessageVisibility). An extension always ends later than the one
 * before, so a heartbeat never makes a message visible early; heartbeats of a batch stop, under a lock, before the
 * batch is acknowledged or released, so a heartbeat never delays a retry either. After {@code maxProcessingTime} a
 * batch is no longer extended (a stuck handler then lets its messages go to another consumer, which the runtime
 * tolerates).
 *
 * <p><b>Failures.</b> A receive that fails (or a batch whose processing throws) backs off with bounded, jittered
 * exponential delays between {@code minBackoff} and {@code maxBackoff}, instead of spinning. A failed acknowledge or
 * release is reported and dropped: the messages come back after their visibility timeout and the runtime recognises
 * what it already applied. A stale acknowledgement (the message was received again elsewhere after its visibility
 * expired) is counted, not an error. Errors go to the {@link ErrorListener}, and counts to {@link #stats()}. An
 * {@code Error} thrown while processing ends that receive loop (the others go on) and leaves its batch to the
 * visibility timeout.
 *
 * <p><b>Shutdown.</b> {@link #shutdown(Duration)} stops receiving, lets every batch in flight finish (processing,
 * acknowledgement, release), releases at once any batch received after the stop, and waits for the loops to end.
 * A receive in progress ends with its long poll (at most {@code waitTime}). If the timeout passes first, the loops are
 * interrupted; whatever is then unfinished is released for retry or left to its visibility timeout, and never
 * acknowledged unprocessed.
 *
 * <p>Thread-safe: {@link #start()}, {@link #shutdown(Duration)}, {@link #close()} and {@link #stats()} may be called
 * from any thread. A poller runs once; build another to start again.
 */
public final class SqsPoller implements AutoCloseable {
    /** The longest visibility timeout SQS accepts (12 hours), which also bounds {@code maxProcessingTime}. */
    static final Duration MAX_VISIBILITY = Duration.ofSeconds(SqsMailbox.MAX_VISIBILITY_SECONDS);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    /** Receives the errors the poller handles itself (retried, released or left to the visibility timeout). */
    @FunctionalInterface
    public interface ErrorListener {
        /**
         * Called on the thread that met the error; must be fast and thread-safe; exceptions are ignored.
         *
         * @param operation one of {@code receive}, {@code process}, {@code acknowledge}, {@code release},
         *                  {@code heartbeat}
         * @param error     what was thrown
         */
        void onError(String operation, RuntimeException error);

        /** Ignores errors (they are still counted in {@link #stats()}). */
        ErrorListener NONE = (operation, error) -> { };
    }

    /**
     * Counters since start, for monitoring and tests.
     *
     * @param receives               receive calls that returned (with or without messages)
     * @param emptyReceives          receive calls that returned nothing
     * @param receiveErrors          receive calls that failed
     * @param batches                batches handed to the system
     * @param messages               deliveries handed to the system
     * @param acknowledged           deliveries deleted
     * @param staleAcknowledgements  deliveries whose delete found the receipt stale (received again elsewhere)
     * @param released               deliveries released for retry (including those received after the stop)
     * @param heartbeats             visibility extensions (one per batch and beat)
     * @param heartbeatErrors        visibility extensions that failed
     * @param processErrors          batches whose processing threw
     * @param settleErrors           acknowledge or release calls that failed
     * @param inFlightBatches        batches being processed now
     */
    public record Stats(long receives, long emptyReceives, long receiveErrors, long batches, long messages,
                        long acknowledged, long staleAcknowledgements, long released, long heartbeats,
                        long heartbeatErrors, long processErrors, long settleErrors, int inFlightBatches) {
    }

    private enum State { NEW, RUNNING, STOPPING, TERMINATED }

    private final ActorSystem system;
    private final Mailbox mailbox;
    private final int consumers;
    private final int maxMessages;
    private final Duration visibilityTimeout;
    private final Duration waitTime;
    private final Duration retryDelay;
    private final Duration heartbeatInterval;
    private final Duration maxProcessingTime;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final Clock clock;
    private final ThreadFactory threadFactory;
    private final ErrorListener errorListener;
    private final String name;
    private final boolean heartbeatTimer;

    private final Object stateLock = new Object();
    private State state = State.NEW;
    private final List<Thread> threads = new ArrayList<>();
    private int liveConsumers;
    private ScheduledExecutorService heartbeatScheduler;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Set<InFlight> inFlight = ConcurrentHashMap.newKeySet();

    private final AtomicLong receives = new AtomicLong();
    private final AtomicLong emptyReceives = new AtomicLong();
    private final AtomicLong receiveErrors = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong staleAcknowledgements = new AtomicLong();
    private final AtomicLong released = new AtomicLong();
    private final AtomicLong heartbeats = new AtomicLong();
    private final AtomicLong heartbeatErrors = new AtomicLong();
    private final AtomicLong processErrors = new AtomicLong();
    private final AtomicLong settleErrors = new AtomicLong();

    private SqsPoller(Builder b) {
        this.system = b.system;
        this.mailbox = b.mailbox;
        this.consumers = b.consumers;
        this.maxMessages = b.maxMessages;
        this.visibilityTimeout = b.visibilityTimeout;
        this.waitTime = b.waitTime;
        this.retryDelay = b.retryDelay;
        this.heartbeatInterval = b.heartbeatInterval != null ? b.heartbeatInterval
                : Duration.ofMillis(Math.max(1, b.visibilityTimeout.toMillis() / 3));
        this.maxProcessingTime = b.maxProcessingTime;
        this.minBackoff = b.minBackoff;
        this.maxBackoff = b.maxBackoff;
        this.clock = b.clock;
        this.errorListener = b.errorListener;
        this.name = b.name != null ? b.name : "sqs-poller-" + INSTANCES.incrementAndGet();
        this.heartbeatTimer = b.heartbeatTimer;
        this.threadFactory = b.threadFactory != null ? b.threadFactory : namedThreads(name + "-consumer-", false);
    }

    /** A new builder; {@code system} and {@code mailbox} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the receive loops (and the heartbeat timer, unless heartbeats are off).
     *
     * @throws IllegalStateException if the poller was started or shut down before
     */
    public void start() {
        synchronized (stateLock) {
            if (state != State.NEW) {
                throw new IllegalStateException("SqsPoller " + name + " can start only once; it is " + state);
            }
            List<Thread> made = new ArrayList<>(consumers);
            for (int i = 0; i < consumers; i++) {
                Thread t = threadFactory.newThread(this::consume);
                if (t == null) {
                    throw new IllegalStateException("the thread factory of SqsPoller " + name + " made no thread");
                }
                made.add(t);
            }
            threads.addAll(made);
            if (!heartbeatInterval.isZero() && heartbeatTimer) {
                heartbeatScheduler = Executors.newSingleThreadScheduledExecutor(namedThreads(name + "-heartbeat-",
                        true));
                long tick = Math.max(10, Math.min(1000, heartbeatInterval.toMillis() / 4));
                heartbeatScheduler.scheduleWithFixedDelay(this::heartbeatTickQuietly, tick, tick,
                        TimeUnit.MILLISECONDS);
            }
            liveConsumers = threads.size();
            state = State.RUNNING;
        }
        for (Thread t : threads) {
            t.start();
        }
    }

    /** True from {@link #start()} until a shutdown begins (or every loop ended). */
    public boolean isRunning() {
        synchronized (stateLock) {
            return state == State.RUNNING;
        }
    }

    /** True once every receive loop has ended (or the poller was shut down before it started). */
    public boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    /**
     * Stops receiving, lets the batches in flight finish and waits up to {@code timeout} for every loop to end. If
     * the timeout passes first, the loops are interrupted (unfinished messages are released or left to their
     * visibility timeout, never acknowledged unprocessed) and this returns false; {@link #awaitTermination} can wait
     * for the rest. Idempotent.
     *
     * @return true if everything in flight finished within the timeout
     */
    public boolean shutdown(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        synchronized (stateLock) {
            if (state == State.NEW) {
                state = State.TERMINATED;
                terminated.countDown();
            } else if (state == State.RUNNING) {
                state = State.STOPPING;
            }
        }
        stopSignal.countDown();
        if (awaitTermination(timeout)) {
            return true;
        }
        for (Thread t : threads) {
            if (t != Thread.currentThread()) {
                t.interrupt();
            }
        }
        return false;
    }

    /** Waits up to {@code timeout} for every receive loop to end; true if they did. */
    public boolean awaitTermination(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        try {
            return terminated.await(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return isTerminated();
        }
    }

    /** {@link #shutdown(Duration)} with time for one long poll and one visibility timeout. */
    @Override
    public void close() {
        shutdown(waitTime.plus(visibilityTimeout));
    }

    /** The counters so far. */
    public Stats stats() {
        return new Stats(receives.get(), emptyReceives.get(), receiveErrors.get(), batches.get(), messages.get(),
                acknowledged.get(), staleAcknowledgements.get(), released.get(), heartbeats.get(),
                heartbeatErrors.get(), processErrors.get(), settleErrors.get(), inFlight.size());
    }

    @Override
    public String toString() {
        return "SqsPoller[" + name + ", " + consumers + " consumers, visibility " + visibilityTimeout + ", "
                + (isRunning() ? "running" : isTerminated() ? "terminated" : "not running") + "]";
    }

    // ------------------------------------------------------------------------------------------------ receive loop

    private void consume() {
        int failures = 0;
        try {
            while (isRunning()) {
                List<Delivery> batch;
                try {
                    batch = mailbox.receive(maxMessages, visibilityTimeout, waitTime);
                } catch (RuntimeException e) {
                    receiveErrors.incrementAndGet();
                    report("receive", e);
                    if (!pause(++failures)) {
                        break;
                    }
                    continue;
                }
                receives.incrementAndGet();
                if (batch.isEmpty()) {
                    emptyReceives.incrementAndGet();
                    failures = 0;
                    continue;
                }
                if (!isRunning()) {
                    // received after the stop: give the messages back at once rather than start on them
                    releaseQuietly(batch, Duration.ZERO);
                    break;
                }
                if (handle(batch)) {
                    failures = 0;
                } else if (!pause(++failures)) {
                    break;
                }
            }
        } finally {
            consumerExited();
        }
    }

    /** Processes and settles one batch; false if processing threw (the batch was released). */
    private boolean handle(List<Delivery> batch) {
        batches.incrementAndGet();
        messages.addAndGet(batch.size());
        InFlight f = new InFlight(batch, clock.instant());
        inFlight.add(f);
        BatchOutcome outcome;
        try {
            outcome = system.process(batch);
        } catch (RuntimeException e) {
            f.settle();
            processErrors.incrementAndGet();
            report("process", e);
            // Safe: the runtime recognises on redelivery whatever of the batch it already committed.
            releaseQuietly(batch, retryDelay);
            return false;
        } finally {
            f.settle(); // no heartbeat runs after this line, so none can delay a release or touch a deleted message
            inFlight.remove(f);
        }
        if (!outcome.succeeded().isEmpty()) {
            try {
                List<Delivery> stale = mailbox.acknowledge(outcome.succeeded());
                acknowledged.addAndGet(outcome.succeeded().size() - stale.size());
                staleAcknowledgements.addAndGet(stale.size());
            } catch (RuntimeException e) {
                // Dropped: the messages come back after their visibility timeout and are recognised as applied.
                settleErrors.incrementAndGet();
                report("acknowledge", e);
            }
        }
        if (!outcome.failed().isEmpty()) {
            releaseQuietly(outcome.failed(), retryDelay);
        }
        return true;
    }

    private void releaseQuietly(List<Delivery> deliveries, Duration delay) {
        try {
            mailbox.release(deliveries, delay);
            released.addAndGet(deliveries.size());
        } catch (RuntimeException e) {
            // Dropped: the messages become visible after their visibility timeout instead.
            settleErrors.incrementAndGet();
            report("release", e);
        }
    }

    /** Waits the backoff for the n-th failure in a row; false if the poller is stopping. */
    private boolean pause(int failures) {
        Duration d = backoff(failures, minBackoff, maxBackoff, ThreadLocalRandom.current().nextDouble());
        try {
            return !stopSignal.await(d.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The wait after the n-th failure in a row: exponential from {@code min}, capped at {@code max}, with "equal
     * jitter" (half fixed, half random), so it is never below half of {@code min} and never above {@code max}.
     *
     * @param random a number in [0, 1)
     */
    static Duration backoff(int failures, Duration min, Duration max, double random) {
        long minNanos = min.toNanos();
        long maxNanos = max.toNanos();
        int shift = Math.min(Math.max(failures, 1) - 1, 30);
        long cap = minNanos > (maxNanos >> shift) ? maxNanos : Math.min(maxNanos, minNanos << shift);
        long half = cap / 2;
        return Duration.ofNanos(cap - half + (long) (half * random));
    }

    private void consumerExited() {
        ScheduledExecutorService scheduler = null;
        synchronized (stateLock) {
            if (--liveConsumers > 0) {
                return;
            }
            state = State.TERMINATED;
            scheduler = heartbeatScheduler;
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        terminated.countDown();
    }

    private void report(String operation, RuntimeException e) {
        try {
            errorListener.onError(operation, e);
        } catch (RuntimeException ignored) {
            // a listener must not change what the poller does
        }
    }

    // ------------------------------------------------------------------------------------------------ heartbeats

    /** A batch being processed. */
    private static final class InFlight {
        final List<Delivery> deliveries;
        final Instant receivedAt;
        final ReentrantLock lock = new ReentrantLock();
        Instant lastExtended; // guarded by lock
        boolean settled;      // guarded by lock

        InFlight(List<Delivery> deliveries, Instant receivedAt) {
            this.deliveries = List.copyOf(deliveries);
            this.receivedAt = receivedAt;
            this.lastExtended = receivedAt;
        }

        /** Ends the heartbeats: waits for one in progress, and no later one starts. */
        void settle() {
            lock.lock();
            try {
                settled = true;
            } finally {
                lock.unlock();
            }
        }
    }

    private void heartbeatTickQuietly() {
        try {
            heartbeatTick();
        } catch (RuntimeException e) {
            report("heartbeat", e); // never let an exception cancel the timer
        }
    }

    /** Extends the visibility of every batch in flight whose last extension is a heartbeat interval old. */
    void heartbeatTick() {
        if (heartbeatInterval.isZero()) {
            return;
        }
        Instant now = clock.instant();
        for (InFlight f : inFlight) {
            if (!f.lock.tryLock()) {
                continue; // being settled (or extended) right now
            }
            try {
                if (f.settled || now.isBefore(f.lastExtended.plus(heartbeatInterval))
                        || !now.isBefore(f.receivedAt.plus(maxProcessingTime))) {
                    continue;
                }
                try {
                    mailbox.release(f.deliveries, visibilityTimeout);
                    f.lastExtended = now;
                    heartbeats.incrementAndGet();
                } catch (RuntimeException e) {
                    heartbeatErrors.incrementAndGet();
                    report("heartbeat", e); // tried again on the next tick
                }
            } finally {
                f.lock.unlock();
            }
        }
    }

    private static ThreadFactory namedThreads(String prefix, boolean daemon) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(daemon);
            return t;
        };
    }

    // ------------------------------------------------------------------------------------------------ builder

    /**
     * Builds an {@link SqsPoller}.
     *
     * <pre>{@code
     * SqsPoller poller = SqsPoller.builder().system(system).mailbox(mailbox).consumers(2).build();
     * }</pre>
     *
     * <p>Not thread-safe; build on one thread.
     */
    public static final class Builder {
        private ActorSystem system;
        private Mailbox mailbox;
        private int consumers = 1;
        private int maxMessages = Mailbox.MAX_BATCH;
        private Duration visibilityTimeout = Duration.ofSeconds(30);
        private Duration waitTime = Duration.ofSeconds(20);
        private Duration retryDelay = Duration.ZERO;
        private Duration heartbeatInterval;
        private Duration maxProcessingTime = MAX_VISIBILITY;
        private Duration minBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private Clock clock = Clock.systemUTC();
        private ThreadFactory threadFactory;
        private ErrorListener errorListener = ErrorListener.NONE;
        private String name;
        private boolean heartbeatTimer = true;

        private Builder() {
        }

        /** The actor system that processes the batches (required). */
        public Builder system(ActorSystem system) {
            this.system = system;
            return this;
        }

        /** The mailbox to receive from and settle on (required): the one the system was built with. */
        public Builder mailbox(Mailbox mailbox) {
            this.mailbox = mailbox;
            return this;
        }

        /** Concurrent receive loops, 1 to 1000 (default 1); also the most batches in flight. */
        public Builder consumers(int consumers) {
            this.consumers = consumers;
            return this;
        }

        /** Messages per receive, 1 to 10 (default 10). */
        public Builder maxMessages(int maxMessages) {
            this.maxMessages = maxMessages;
            return this;
        }

        /** How long a received message stays invisible, extended by heartbeats: 1 s to 12 h (default 30 s). */
        public Builder visibilityTimeout(Duration visibilityTimeout) {
            this.visibilityTimeout = visibilityTimeout;
            return this;
        }

        /** The long-poll wait of a receive, 0 to 20 s (default 20 s); a shutdown may wait this long for a receive. */
        public Builder waitTime(Duration waitTime) {
            this.waitTime = waitTime;
            return this;
        }

        /** How long a message to retry stays invisible before it is redelivered, 0 to 12 h (default 0). */
        public Builder retryDelay(Duration retryDelay) {
            this.retryDelay = retryDelay;
            return this;
        }

        /**
         * How often the visibility of a batch in flight is extended; zero turns heartbeats off. Must be shorter than
         * the visibility timeout (default: a third of it); leave room for the timer's tick (a quarter of the
         * interval, at most 1 s) and for a request's latency, or a message may become visible before its extension.
         */
        public Builder heartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
            return this;
        }

        /** How long heartbeats keep extending one batch, at most 12 h (default 12 h, SQS's own limit). */
        public Builder maxProcessingTime(Duration maxProcessingTime) {
            this.maxProcessingTime = maxProcessingTime;
            return this;
        }

        /** The backoff after failed receives: first about {@code min}, doubling up to {@code max}, jittered. */
        public Builder backoff(Duration min, Duration max) {
            this.minBackoff = min;
            this.maxBackoff = max;
            return this;
        }

        /** The time source for heartbeat scheduling (default system UTC). */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Makes the receive-loop threads (default: non-daemon threads named after the poller). */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = threadFactory;
            return this;
        }

        /** Told about every error the poller handles itself (default: none; they are counted anyway). */
        public Builder errorListener(ErrorListener errorListener) {
            this.errorListener = errorListener;
            return this;
        }

        /** A name for threads and {@code toString} (default {@code sqs-poller-N}). */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Off: no timer runs heartbeats; a test calls {@link SqsPoller#heartbeatTick()} itself. */
        Builder heartbeatTimer(boolean on) {
            this.heartbeatTimer = on;
            return this;
        }

        /**
         * The poller, not yet started.
         *
         * @throws ConfigurationException if something required is missing or a setting is out of range
         */
        public SqsPoller build() {
            if (system == null) {
                throw new ConfigurationException("SqsPoller needs an actor system: call system(system)");
            }
            if (mailbox == null) {
                throw new ConfigurationException("SqsPoller needs the system's mailbox: call mailbox(mailbox)");
            }
            if (consumers < 1 || consumers > 1000) {
                throw new ConfigurationException("SqsPoller consumers must be 1 to 1000, was " + consumers);
            }
            if (maxMessages < 1 || maxMessages > Mailbox.MAX_BATCH) {
                throw new ConfigurationException("SqsPoller maxMessages must be 1 to " + Mailbox.MAX_BATCH + ", was "
                        + maxMessages);
            }
            check("visibilityTimeout", visibilityTimeout, Duration.ofSeconds(1), MAX_VISIBILITY);
            check("waitTime", waitTime, Duration.ZERO, Duration.ofSeconds(SqsMailbox.MAX_WAIT_SECONDS));
            check("retryDelay", retryDelay, Duration.ZERO, MAX_VISIBILITY);
            check("maxProcessingTime", maxProcessingTime, Duration.ofSeconds(1), MAX_VISIBILITY);
            if (heartbeatInterval != null && (heartbeatInterval.isNegative()
                    || heartbeatInterval.compareTo(visibilityTimeout) >= 0)) {
                throw new ConfigurationException("SqsPoller heartbeatInterval must be zero (off) or shorter than the"
                        + " visibility timeout " + visibilityTimeout + ", was " + heartbeatInterval);
            }
            check("minBackoff", minBackoff, Duration.ofMillis(1), Duration.ofHours(1));
            check("maxBackoff", maxBackoff, minBackoff, Duration.ofHours(1));
            if (clock == null) {
                throw new ConfigurationException("SqsPoller clock must not be null");
            }
            if (errorListener == null) {
                throw new ConfigurationException("SqsPoller errorListener must not be null");
            }
            return new SqsPoller(this);
        }

        private static void check(String what, Duration d, Duration min, Duration max) {
            if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new ConfigurationException("SqsPoller " + what + " must be from " + min + " to " + max
                        + ", was " + d);
            }
        }
    }
}
