package io.fifoactors.core.runtime;

import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.runtime.BatchOutcome.Retry;
import io.fifoactors.core.runtime.BatchOutcome.RetryCause;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * One consumer's loop over a mailbox, step by step: receive a batch, let the {@link ActorSystem} process it, settle
 * it. The same loop runs in a {@link Poller} (threads, real time) and in the in-memory simulator (virtual time), so
 * both settle alike:
 * <ul>
 *   <li>settled deliveries are acknowledged;</li>
 *   <li>a handler failure (or time-out, or lost races) is retried after {@code retryDelay};</li>
 *   <li>a group not started or abandoned at a deadline is retried at once;</li>
 *   <li>a <b>port failure</b> (the store, the mailbox or the scheduler is down) is not the messages' fault: the loop
 *       keeps those deliveries, stops receiving, and tries them again after a backoff (exponential, jittered,
 *       capped), keeping them invisible meanwhile so that no receive is spent on them, until the ports work again
 *       or {@code maxHold} has passed (then they are released with a delay and the loop receives again).</li>
 * </ul>
 *
 * <pre>{@code
 * ConsumerLoop loop = ConsumerLoop.builder().system(system).pause(d -> sleepUnlessStopping(d)).build();
 * while (running) loop.step();
 * }</pre>
 *
 * <p>Not thread-safe: one loop per consumer thread.
 */
public final class ConsumerLoop {
    /** Waits; false if the consumer is stopping and should not go on. */
    @FunctionalInterface
    public interface Pause {
        boolean pause(Duration d);
    }

    /** Told what the loop does, for metrics, logs and heartbeats. Implementations must be fast; exceptions ignored. */
    public interface Events {
        /** A receive returned (possibly nothing). */
        default void received(List<Delivery> batch) {
        }

        /** A batch was received (or held deliveries are about to be tried again) and is about to be processed. */
        default void processing(List<Delivery> batch) {
        }

        /** The batch was processed (and is about to be settled). */
        default void processed(List<Delivery> batch, BatchOutcome outcome, Duration took) {
        }

        /**
         * The batch was settled: its acknowledgement call returned (any stale receipts reported before this) or failed
         * (reported as a port failure before this), and its retries were requested. {@code took} is the processing
         * time, as in {@link #processed}.
         */
        default void settled(List<Delivery> batch, BatchOutcome outcome, Duration took) {
        }

        /** A mailbox call of the loop's own failed ({@code receive}, {@code acknowledge}, {@code retry}, ...). */
        default void portFailure(String operation, RuntimeException error) {
        }

        /** Port failures keep {@code held} deliveries back for another try after {@code backoff}. */
        default void holding(List<Delivery> held, int rounds, Duration backoff) {
        }

        /** A batch settled without a port failure after {@code rounds} rounds of holding: the ports work again. */
        default void recovered(int rounds, Duration downFor) {
        }

        /** Acknowledgements refused because the receipt was stale or expired (the messages come back). */
        default void staleAcknowledgements(List<Delivery> stale) {
        }

        Events NONE = new Events() {
        };
    }

    /** What one {@link #step()} did. */
    public enum Step {
        /** The receive returned nothing. */
        EMPTY,
        /** A batch was processed and settled. */
        PROCESSED,
        /** Held deliveries were tried again (and may still be held). */
        RETRIED_HELD,
        /** A receive failed; the loop backed off. */
        RECEIVE_FAILED,
        /** The pause was cut short: the consumer is stopping. */
        STOPPING
    }

    private final ActorSystem system;
    private final Mailbox mailbox;
    private final int maxMessages;
    private final Duration visibilityTimeout;
    private final Duration waitTime;
    private final Duration retryDelay;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final Duration maxHold;
    private final Clock clock;
    private final Pause pause;
    private final DoubleSupplier random;
    private final Events events;

    private List<Delivery> held = List.of();
    private int holdRounds;
    private Instant holdingSince;
    private int receiveFailures;

    private ConsumerLoop(Builder b) {
        this.system = b.system;
        this.mailbox = b.system.mailbox();
        this.maxMessages = b.maxMessages;
        this.visibilityTimeout = b.visibilityTimeout;
        this.waitTime = b.waitTime;
        this.retryDelay = b.retryDelay;
        this.minBackoff = b.minBackoff;
        this.maxBackoff = b.maxBackoff.compareTo(b.visibilityTimeout.dividedBy(2)) < 0 ? b.maxBackoff
                : b.visibilityTimeout.dividedBy(2);
        this.maxHold = b.maxHold;
        this.clock = b.clock;
        this.pause = b.pause;
        this.random = b.random;
        this.events = b.events;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The deliveries held back by port failures now (empty when the loop receives normally). */
    public List<Delivery> held() {
        return held;
    }

    /** Receives (or retries what it holds), processes and settles once. */
    public Step step() {
        if (!held.isEmpty()) {
            return retryHeld();
        }
        List<Delivery> batch;
        try {
            batch = mailbox.receive(maxMessages, visibilityTimeout, waitTime);
        } catch (RuntimeException e) {
            report(e, "receive");
            receiveFailures++;
            return pause.pause(backoff(receiveFailures)) ? Step.RECEIVE_FAILED : Step.STOPPING;
        }
        receiveFailures = 0;
        List<Delivery> got = batch;
        events(() -> events.received(got));
        if (batch.isEmpty()) {
            return Step.EMPTY;
        }
        processAndSettle(batch);
        return Step.PROCESSED;
    }

    /** Gives back whatever is held (at shutdown): visible again at once for another consumer. */
    public void releaseHeld() {
        if (held.isEmpty()) {
            return;
        }
        try {
            mailbox.retryAfter(held, Duration.ZERO);
        } catch (RuntimeException e) {
            report(e, "retry"); // they come back after their visibility timeout instead
        }
        held = List.of();
    }

    private Step retryHeld() {
        Duration wait = backoff(holdRounds);
        events(() -> events.holding(held, holdRounds, wait));
        if (!pause.pause(wait)) {
            return Step.STOPPING;
        }
        if (Duration.between(holdingSince, clock.instant()).compareTo(maxHold) >= 0) {
            // held long enough: let the queue have them back, with a delay, and receive again
            List<Delivery> giveBack = held;
            held = List.of();
            try {
                mailbox.retryAfter(giveBack, maxBackoff);
            } catch (RuntimeException e) {
                report(e, "retry");
            }
            return Step.RETRIED_HELD;
        }
        try {
            mailbox.extendVisibility(held, visibilityTimeout);
        } catch (RuntimeException e) {
            report(e, "extend-visibility"); // if they came back meanwhile, the runtime recognises what it did
        }
        processAndSettle(held);
        return Step.RETRIED_HELD;
    }

    private void processAndSettle(List<Delivery> batch) {
        events(() -> events.processing(batch));
        Instant started = clock.instant();
        BatchOutcome outcome;
        try {
            outcome = system.process(batch);
        } catch (RuntimeException e) {
            // a failure of the runtime as a whole: the runtime recognises on redelivery what it committed
            report(e, "process");
            List<Retry> all = new ArrayList<>();
            for (Delivery d : batch) {
                all.add(new Retry(d, RetryCause.INFRASTRUCTURE));
            }
            outcome = new BatchOutcome(List.of(), all);
        }
        BatchOutcome done = outcome;
        Duration took = Duration.between(started, clock.instant());
        events(() -> events.processed(batch, done, took));
        settle(batch, outcome, took);
    }

    private void settle(List<Delivery> batch, BatchOutcome outcome, Duration took) {
        if (!outcome.succeeded().isEmpty()) {
            try {
                List<Delivery> stale = mailbox.acknowledge(outcome.succeeded());
                if (!stale.isEmpty()) {
                    events(() -> events.staleAcknowledgements(stale));
                }
            } catch (RuntimeException e) {
                // dropped: the messages come back after their visibility timeout and are recognised as applied
                report(e, "acknowledge");
            }
        }
        List<Delivery> now = new ArrayList<>();
        List<Delivery> later = new ArrayList<>();
        List<Delivery> hold = new ArrayList<>();
        for (Retry r : outcome.retries()) {
            switch (r.cause()) {
                case INFRASTRUCTURE -> hold.add(r.delivery());
                case NOT_STARTED, ABANDONED -> now.add(r.delivery());
                default -> later.add(r.delivery());
            }
        }
        retry(now, Duration.ZERO);
        retry(later, retryDelay);
        if (hold.isEmpty()) {
            if (!held.isEmpty() || holdRounds > 0) {
                int rounds = holdRounds;
                Duration down = Duration.between(holdingSince, clock.instant());
                events(() -> events.recovered(rounds, down));
            }
            held = List.of();
            holdRounds = 0;
            holdingSince = null;
        } else {
            if (held.isEmpty()) {
                holdingSince = clock.instant();
            }
            held = List.copyOf(hold);
            holdRounds++;
        }
        events(() -> events.settled(batch, outcome, took));
    }

    private void retry(List<Delivery> deliveries, Duration delay) {
        if (deliveries.isEmpty()) {
            return;
        }
        try {
            mailbox.retryAfter(deliveries, delay);
        } catch (RuntimeException e) {
            report(e, "retry"); // they become visible after their visibility timeout instead
        }
    }

    /** The wait after the n-th failure in a row: exponential from min, capped, half fixed and half random. */
    Duration backoff(int failures) {
        return backoff(failures, minBackoff, maxBackoff, random.getAsDouble());
    }

    /**
     * The wait after the n-th failure in a row: exponential from {@code min}, capped at {@code max}, with "equal
     * jitter" (half fixed, half random), so it is never below half of {@code min} and never above {@code max}.
     *
     * @param random a number in [0, 1)
     */
    public static Duration backoff(int failures, Duration min, Duration max, double random) {
        long minNanos = min.toNanos();
        long maxNanos = max.toNanos();
        int shift = Math.min(Math.max(failures, 1) - 1, 30);
        long cap = minNanos > (maxNanos >> shift) ? maxNanos : Math.min(maxNanos, minNanos << shift);
        long half = cap / 2;
        return Duration.ofNanos(cap - half + (long) (half * random));
    }

    private void report(RuntimeException e, String operation) {
        events(() -> events.portFailure(operation, e));
    }

    private static void events(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException ignored) {
            // a listener must not change what the loop does
        }
    }

    /** Builds a {@link ConsumerLoop}; not thread-safe. */
    public static final class Builder {
        private ActorSystem system;
        private int maxMessages = Mailbox.MAX_BATCH;
        private Duration visibilityTimeout = Duration.ofSeconds(30);
        private Duration waitTime = Duration.ofSeconds(20);
        private Duration retryDelay = Duration.ofSeconds(1);
        private Duration minBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private Duration maxHold = Duration.ofMinutes(15);
        private Clock clock = Clock.systemUTC();
        private Pause pause;
        private DoubleSupplier random = Math::random;
        private Events events = Events.NONE;

        private Builder() {
        }

        /** The system that processes the batches; the loop receives from its mailbox (required). */
        public Builder system(ActorSystem system) {
            this.system = Objects.requireNonNull(system, "system");
            return this;
        }

        /** Messages per receive, 1 to 10 (default 10). */
        public Builder maxMessages(int n) {
            if (n < 1 || n > Mailbox.MAX_BATCH) {
                throw new ConfigurationException("maxMessages must be 1 to 10, was " + n);
            }
            this.maxMessages = n;
            return this;
        }

        /** How long a received message stays invisible: 1 s to 12 h (default 30 s). */
        public Builder visibilityTimeout(Duration d) {
            check("visibilityTimeout", d, Duration.ofSeconds(1), Mailbox.MAX_VISIBILITY);
            this.visibilityTimeout = d;
            return this;
        }

        /** The long-poll wait of a receive, 0 to 20 s (default 20 s). */
        public Builder waitTime(Duration d) {
            check("waitTime", d, Duration.ZERO, Duration.ofSeconds(20));
            this.waitTime = d;
            return this;
        }

        /** How long a message whose handler failed stays invisible before its retry, 0 to 12 h (default 1 s). */
        public Builder retryDelay(Duration d) {
            check("retryDelay", d, Duration.ZERO, Mailbox.MAX_VISIBILITY);
            this.retryDelay = d;
            return this;
        }

        /** The backoff after port failures: first about {@code min}, doubling up to {@code max}, jittered. */
        public Builder backoff(Duration min, Duration max) {
            check("minBackoff", min, Duration.ofMillis(1), Duration.ofHours(1));
            check("maxBackoff", max, min, Duration.ofHours(1));
            this.minBackoff = min;
            this.maxBackoff = max;
            return this;
        }

        /** How long deliveries are held back through port failures before the queue gets them back (default 15 min). */
        public Builder maxHold(Duration d) {
            check("maxHold", d, Duration.ZERO, Mailbox.MAX_VISIBILITY);
            this.maxHold = d;
            return this;
        }

        /** The time source for hold durations (default system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How the loop waits (required): real sleeping in a poller, virtual time in the simulator. */
        public Builder pause(Pause pause) {
            this.pause = Objects.requireNonNull(pause, "pause");
            return this;
        }

        /** Numbers in [0, 1) for the backoff's jitter (default {@link Math#random()}). */
        public Builder random(DoubleSupplier random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        public Builder events(Events events) {
            this.events = Objects.requireNonNull(events, "events");
            return this;
        }

        public ConsumerLoop build() {
            if (system == null) {
                throw new ConfigurationException("ConsumerLoop needs system(system)");
            }
            if (pause == null) {
                throw new ConfigurationException("ConsumerLoop needs pause(duration -> ...)");
            }
            return new ConsumerLoop(this);
        }

        private static void check(String what, Duration d, Duration min, Duration max) {
            if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new ConfigurationException(what + " must be from " + min + " to " + max + ", was " + d);
            }
        }
    }
}
