package io.fifoactors.core.runtime;

import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.runtime.BatchOutcome.Retry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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
 * A long-running consumer of any {@link Mailbox} (an SQS queue in a container or on a VM, or the in-memory one):
 * a number of receive loops ({@link ConsumerLoop}), each of which receives a batch (long polling), hands it to the
 * {@link ActorSystem}, and settles it. The mailbox is the system's own.
 *
 * <pre>{@code
 * Poller poller = Poller.builder().system(system)
 *         .consumers(4).visibilityTimeout(Duration.ofSeconds(30)).waitTime(Duration.ofSeconds(20))
 *         .build();
 * poller.start();
 * Runtime.getRuntime().addShutdownHook(new Thread(() -> poller.shutdown(Duration.ofSeconds(25))));
 * }</pre>
 *
 * <p><b>Back-pressure.</b> Each loop processes its batch before it receives again, so at most {@code consumers}
 * batches are held at any time. Within a batch, groups (actors) run concurrently on the system's group executor.
 *
 * <p><b>Failures.</b> A port failure (the store, the mailbox or the scheduler down) is not the messages' fault: the
 * loop keeps the deliveries concerned invisible and tries them again after a jittered exponential backoff, without
 * receiving more, until the ports work again (see {@link ConsumerLoop}); a failed receive backs off too. Handler
 * failures are retried after {@code retryDelay} and count toward the system's {@code maxAttempts}; a handler that
 * overruns its actor type's time limit is abandoned (its group only) and counts as a failed attempt. The start and
 * the end of an outage are logged once each (SLF4J, logger {@code io.fifoactors.core.runtime.Poller}), never a
 * payload.
 *
 * <p><b>Heartbeats.</b> While a batch is being processed, its deliveries' visibility is extended every
 * {@code heartbeatInterval} (default a third of the visibility timeout) with {@link Mailbox#extendVisibility}, up to
 * {@code maxProcessingTime} (default 15 minutes, past any handler time limit); heartbeats of a batch stop, under a
 * lock, before the batch is settled.
 *
 * <p><b>Shutdown.</b> {@link #shutdown(Duration)} stops receiving, lets every batch in flight finish, gives back what
 * is held, and waits for the loops to end; past the timeout the loops are interrupted, and whatever is unfinished is
 * left to its visibility timeout, never acknowledged unprocessed.
 *
 * <p>Thread-safe: {@link #start()}, {@link #shutdown(Duration)}, {@link #close()} and {@link #stats()} may be called
 * from any thread. A poller runs once; build another to start again.
 */
public final class Poller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Poller.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    /**
     * Counters since start, for monitoring and tests.
     *
     * @param receives        receive calls that returned (with or without messages)
     * @param emptyReceives   receive calls that returned nothing
     * @param batches         batches (and held retries) handed to the system
     * @param messages        deliveries handed to the system
     * @param succeeded       deliveries processed successfully, counted once their acknowledgement returned
     *                        (acknowledged, or refused as stale and counted in {@code staleAcknowledgements} first) or
     *                        failed (counted in {@code portFailures} first)
     * @param retried         deliveries retried, by cause
     * @param portFailures    mailbox calls of the loops that failed, by operation
     * @param staleAcknowledgements acknowledgements refused because the receipt was stale or expired
     * @param heartbeats      visibility extensions (one per batch and beat)
     * @param holding         deliveries held back by port failures now
     * @param inFlightBatches batches being processed now
     */
    public record Stats(long receives, long emptyReceives, long batches, long messages, long succeeded,
                        Map<BatchOutcome.RetryCause, Long> retried, Map<String, Long> portFailures,
                        long staleAcknowledgements, long heartbeats, int holding, int inFlightBatches) {
        public long retried(BatchOutcome.RetryCause cause) {
            return retried.getOrDefault(cause, 0L);
        }

        public long portFailures(String operation) {
            return portFailures.getOrDefault(operation, 0L);
        }
    }

    private enum State { NEW, RUNNING, STOPPING, TERMINATED }

    private final ActorSystem system;
    private final Mailbox mailbox;
    private final int consumers;
    private final ConsumerLoop.Builder loops;
    private final Duration visibilityTimeout;
    private final Duration waitTime;
    private final Duration heartbeatInterval;
    private final Duration maxProcessingTime;
    private final Clock clock;
    private final ThreadFactory threadFactory;
    private final ConsumerMetrics metrics;
    private final String name;
    private final boolean heartbeatTimer;

    private final Object stateLock = new Object();
    private State state = State.NEW;
    private final List<Thread> threads = new ArrayList<>();
    private final List<ConsumerLoop> running = new ArrayList<>();
    private int liveConsumers;
    private ScheduledExecutorService heartbeatScheduler;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Set<InFlight> inFlight = ConcurrentHashMap.newKeySet();
    private final OutageLog outages;

    private final AtomicLong receives = new AtomicLong();
    private final AtomicLong emptyReceives = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong succeeded = new AtomicLong();
    private final Map<BatchOutcome.RetryCause, AtomicLong> retried = new EnumMap<>(BatchOutcome.RetryCause.class);
    private final ConcurrentHashMap<String, AtomicLong> portFailures = new ConcurrentHashMap<>();
    private final AtomicLong staleAcknowledgements = new AtomicLong();
    private final AtomicLong heartbeats = new AtomicLong();
    private final AtomicInteger holding = new AtomicInteger();

    private Poller(Builder b) {
        this.system = b.system;
        this.mailbox = b.system.mailbox();
        this.consumers = b.consumers;
        this.visibilityTimeout = b.visibilityTimeout;
        this.waitTime = b.waitTime;
        this.heartbeatInterval = b.heartbeatInterval != null ? b.heartbeatInterval
                : Duration.ofMillis(Math.max(1, b.visibilityTimeout.toMillis() / 3));
        this.maxProcessingTime = b.maxProcessingTime;
        this.clock = b.clock;
        this.metrics = b.metrics;
        this.name = b.name != null ? b.name : "poller-" + INSTANCES.incrementAndGet();
        this.outages = new OutageLog(clock, name);
        this.heartbeatTimer = b.heartbeatTimer;
        this.threadFactory = b.threadFactory != null ? b.threadFactory : namedThreads(name + "-consumer-", false);
        for (BatchOutcome.RetryCause c : BatchOutcome.RetryCause.values()) {
            retried.put(c, new AtomicLong());
        }
        this.loops = ConsumerLoop.builder().system(b.system).maxMessages(b.maxMessages)
                .visibilityTimeout(b.visibilityTimeout).waitTime(b.waitTime).retryDelay(b.retryDelay)
                .backoff(b.minBackoff, b.maxBackoff).maxHold(b.maxHold).clock(b.clock)
                .random(() -> ThreadLocalRandom.current().nextDouble())
                .pause(this::pause).events(new LoopEvents());
    }

    /** A new builder; {@code system} is required. */
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
                throw new IllegalStateException("Poller " + name + " can start only once; it is " + state);
            }
            for (int i = 0; i < consumers; i++) {
                ConsumerLoop loop = loops.build();
                Thread t = threadFactory.newThread(() -> consume(loop));
                if (t == null) {
                    throw new IllegalStateException("the thread factory of Poller " + name + " made no thread");
                }
                running.add(loop);
                threads.add(t);
            }
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
     * the timeout passes first, the loops are interrupted and this returns false; {@link #awaitTermination} can wait
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
        Map<BatchOutcome.RetryCause, Long> r = new EnumMap<>(BatchOutcome.RetryCause.class);
        retried.forEach((k, v) -> r.put(k, v.get()));
        Map<String, Long> p = new java.util.TreeMap<>();
        portFailures.forEach((k, v) -> p.put(k, v.get()));
        return new Stats(receives.get(), emptyReceives.get(), batches.get(), messages.get(), succeeded.get(),
                Map.copyOf(r), Map.copyOf(p), staleAcknowledgements.get(), heartbeats.get(), holding.get(),
                inFlight.size());
    }

    /** The system this poller runs. */
    public ActorSystem system() {
        return system;
    }

    @Override
    public String toString() {
        return "Poller[" + name + ", " + consumers + " consumers, visibility " + visibilityTimeout + ", "
                + (isRunning() ? "running" : isTerminated() ? "terminated" : "not running") + "]";
    }

    // ------------------------------------------------------------------------------------------------ loops

    private void consume(ConsumerLoop loop) {
        try {
            while (isRunning()) {
                ConsumerLoop.Step s = loop.step();
                if (s == ConsumerLoop.Step.STOPPING) {
                    break;
                }
            }
        } catch (Error e) {
            LOG.error("Poller {}: a receive loop ended on {}", name, e.getClass().getName());
            throw e;
        } finally {
            loop.releaseHeld();
            consumerExited();
        }
    }

    /** Waits unless stopping; false if the poller is stopping. */
    private boolean pause(Duration d) {
        try {
            return !stopSignal.await(d.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void consumerExited() {
        ScheduledExecutorService scheduler;
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

    private final class LoopEvents implements ConsumerLoop.Events {
        private final ThreadLocal<InFlight> current = new ThreadLocal<>();

        @Override
        public void received(List<Delivery> batch) {
            receives.incrementAndGet();
            if (batch.isEmpty()) {
                emptyReceives.incrementAndGet();
            }
            outages.up("mailbox receive");
            quietly(() -> metrics.received(batch.size()));
            if (!batch.isEmpty()) {
                Instant oldest = batch.get(0).sentAt();
                for (Delivery d : batch) {
                    oldest = d.sentAt().isBefore(oldest) ? d.sentAt() : oldest;
                }
                Duration age = Duration.between(oldest, clock.instant());
                quietly(() -> metrics.messageAge(age.isNegative() ? Duration.ZERO : age));
            }
        }

        @Override
        public void processing(List<Delivery> batch) {
            batches.incrementAndGet();
            messages.addAndGet(batch.size());
            InFlight f = new InFlight(batch, clock.instant());
            inFlight.add(f);
            current.set(f);
        }

        @Override
        public void processed(List<Delivery> batch, BatchOutcome outcome, Duration took) {
            InFlight f = current.get();
            if (f != null) {
                f.settle(); // no heartbeat runs after this, so none can delay a retry or touch a deleted message
                inFlight.remove(f);
                current.remove();
            }
            if (!outcome.infrastructureFailed()) {
                // a batch that did its store work before the outage was reported proves nothing about now
                outages.upIfStartedSince(OutageLog.PROCESSING, f == null ? clock.instant() : f.receivedAt);
            }
        }

        @Override
        public void settled(List<Delivery> batch, BatchOutcome outcome, Duration took) {
            // counted after the acknowledgement and the retries, so that whoever sees a count also sees what the
            // acknowledgement found (stale receipts, port failures)
            succeeded.addAndGet(outcome.succeeded().size());
            Map<BatchOutcome.RetryCause, Integer> byCause = new EnumMap<>(BatchOutcome.RetryCause.class);
            for (Retry r : outcome.retries()) {
                retried.get(r.cause()).incrementAndGet();
                byCause.merge(r.cause(), 1, Integer::sum);
            }
            quietly(() -> metrics.batch(batch.size(), took, outcome.succeeded().size(), outcome.retries().size()));
            byCause.forEach((c, n) -> quietly(() -> metrics.retried(c, n)));
        }

        @Override
        public void portFailure(String operation, RuntimeException error) {
            portFailures.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
            quietly(() -> metrics.portFailure(operation));
            outages.down("mailbox " + operation, error);
        }

        @Override
        public void holding(List<Delivery> held, int rounds, Duration backoff) {
            quietly(() -> metrics.holding(held.size()));
            if (rounds == 1) {
                holding.addAndGet(held.size());
                outages.down(OutageLog.PROCESSING, null);
            }
        }

        @Override
        public void recovered(int rounds, Duration downFor) {
            holding.set(0);
            outages.up(OutageLog.PROCESSING);
        }

        @Override
        public void staleAcknowledgements(List<Delivery> stale) {
            staleAcknowledgements.addAndGet(stale.size());
            quietly(() -> metrics.staleAcknowledgements(stale.size()));
        }
    }

    private static void quietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException ignored) {
            // metrics must not change what the poller does
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
            portFailures.computeIfAbsent("heartbeat", k -> new AtomicLong()).incrementAndGet(); // tried again later
        }
    }

    /** Extends the visibility of every batch in flight whose last extension is a heartbeat interval old. */
    void heartbeatTick() {
        if (heartbeatInterval.isZero()) {
            return;
        }
        Instant now = clock.instant();
        int beats = 0;
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
                    mailbox.extendVisibility(f.deliveries, visibilityTimeout);
                    f.lastExtended = now;
                    heartbeats.incrementAndGet();
                    beats++;
                } catch (RuntimeException e) {
                    portFailures.computeIfAbsent("heartbeat", k -> new AtomicLong()).incrementAndGet();
                }
            } finally {
                f.lock.unlock();
            }
        }
        int n = beats;
        if (n > 0) {
            quietly(() -> metrics.heartbeats(n));
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
     * Builds a {@link Poller}.
     *
     * <pre>{@code
     * Poller poller = Poller.builder().system(system).consumers(2).build();
     * }</pre>
     *
     * <p>Not thread-safe; build on one thread.
     */
    public static final class Builder {
        private ActorSystem system;
        private int consumers = 1;
        private int maxMessages = Mailbox.MAX_BATCH;
        private Duration visibilityTimeout = Duration.ofSeconds(30);
        private Duration waitTime = Duration.ofSeconds(20);
        private Duration retryDelay = Duration.ofSeconds(1);
        private Duration heartbeatInterval;
        private Duration maxProcessingTime = Duration.ofMinutes(15);
        private Duration minBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private Duration maxHold = Duration.ofMinutes(15);
        private Clock clock = Clock.systemUTC();
        private ThreadFactory threadFactory;
        private ConsumerMetrics metrics = ConsumerMetrics.NONE;
        private String name;
        private boolean heartbeatTimer = true;

        private Builder() {
        }

        /** The actor system that processes the batches; the poller receives from its mailbox (required). */
        public Builder system(ActorSystem system) {
            this.system = system;
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

        /** How long a message whose handler failed stays invisible before it is redelivered (default 1 s). */
        public Builder retryDelay(Duration retryDelay) {
            this.retryDelay = retryDelay;
            return this;
        }

        /**
         * How often the visibility of a batch in flight is extended; zero turns heartbeats off. Must be shorter than
         * the visibility timeout (default: a third of it).
         */
        public Builder heartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
            return this;
        }

        /** How long heartbeats keep extending one batch (default 15 min, beyond any handler time limit). */
        public Builder maxProcessingTime(Duration maxProcessingTime) {
            this.maxProcessingTime = maxProcessingTime;
            return this;
        }

        /** The backoff after port failures: first about {@code min}, doubling up to {@code max}, jittered. */
        public Builder backoff(Duration min, Duration max) {
            this.minBackoff = min;
            this.maxBackoff = max;
            return this;
        }

        /** How long deliveries are held back through port failures before the queue gets them back (default 15 min). */
        public Builder maxHold(Duration maxHold) {
            this.maxHold = maxHold;
            return this;
        }

        /** The time source for heartbeat scheduling and hold durations (default system UTC). */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Makes the receive-loop threads (default: non-daemon threads named after the poller). */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = threadFactory;
            return this;
        }

        /** Where the poller reports what it does (default: nowhere; {@link Poller#stats()} counts anyway). */
        public Builder metrics(ConsumerMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** A name for threads, logs and {@code toString} (default {@code poller-N}). */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Off: no timer runs heartbeats; a test calls {@link Poller#heartbeatTick()} itself. */
        Builder heartbeatTimer(boolean on) {
            this.heartbeatTimer = on;
            return this;
        }

        /**
         * The poller, not yet started.
         *
         * @throws ConfigurationException if something required is missing or a setting is out of range
         */
        public Poller build() {
            if (system == null) {
                throw new ConfigurationException("Poller needs an actor system: call system(system)");
            }
            system.requireScheduler();
            if (consumers < 1 || consumers > 1000) {
                throw new ConfigurationException("Poller consumers must be 1 to 1000, was " + consumers);
            }
            if (heartbeatInterval != null && (heartbeatInterval.isNegative()
                    || heartbeatInterval.compareTo(visibilityTimeout) >= 0)) {
                throw new ConfigurationException("Poller heartbeatInterval must be zero (off) or shorter than the"
                        + " visibility timeout " + visibilityTimeout + ", was " + heartbeatInterval);
            }
            if (maxProcessingTime == null || maxProcessingTime.compareTo(Duration.ofSeconds(1)) < 0
                    || maxProcessingTime.compareTo(Mailbox.MAX_VISIBILITY) > 0) {
                throw new ConfigurationException("Poller maxProcessingTime must be 1 s to 12 h, was "
                        + maxProcessingTime);
            }
            Objects.requireNonNull(clock, "clock");
            // the loop's builder checks the rest (message count, durations) with precise messages
            ConsumerLoop.builder().system(system).maxMessages(maxMessages).visibilityTimeout(visibilityTimeout)
                    .waitTime(waitTime).retryDelay(retryDelay).backoff(minBackoff, maxBackoff).maxHold(maxHold)
                    .pause(d -> true).build();
            return new Poller(this);
        }
    }
}
