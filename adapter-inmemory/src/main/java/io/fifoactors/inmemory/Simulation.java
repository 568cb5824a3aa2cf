package io.fifoactors.inmemory;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.TransientFailureException;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.port.StateStore;
import io.fifoactors.core.port.StoredRecord;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.core.runtime.OutcomeListener;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A deterministic simulation of an actor system deployed on SQS FIFO + DynamoDB + Lambda: N concurrent consumers
 * ("Lambda invocations") share one {@link InMemoryMailbox} and one {@link InMemoryStateStore} on a
 * {@link VirtualClock}. Each consumer is a real thread running the real runtime, but only one runs at a time: at
 * every port call it hands control back. Time is discrete-event: every call takes a random latency, the consumer whose
 * next call comes first runs next (ties broken by the seed), and a stalled consumer only delays itself, as a slow
 * Lambda invocation would. A random source seeded by {@code seed} draws latencies, ties and faults (from the
 * {@link FaultPlan}). The same seed gives the same interleaving, the same faults and the same
 * result; {@link RunResult#traceHash()} fingerprints the whole run.
 *
 * <pre>{@code
 * try (Simulation sim = Simulation.builder()
 *         .configure(b -> b.register(Ledger.ACCOUNT))
 *         .consumers(8).seed(42).faults(FaultPlan.uniform(0.02))
 *         .build()) {
 *     sim.system().send(ActorId.of("account", "a1"), new Deposit(100), "dep-1");
 *     RunResult r = sim.run();          // until every message is settled
 * }
 * }</pre>
 *
 * <p>Not thread-safe: drive it from one thread.
 */
public final class Simulation implements AutoCloseable {
    private final long seed;
    private final int batchSize;
    private final Duration visibilityTimeout;
    private final Duration retryDelay;
    private final int maxAttempts;
    private final int redriveMaxReceiveCount;
    private final boolean runtimeRedrive;
    private final FaultPlan faults;
    private final Consumer<ActorSystem.Builder> configure;
    private final OutcomeListener userListener;
    private final long maxSteps;

    private final VirtualClock clock;
    private final Instant startTime;
    private final InMemoryMailbox mailbox;
    private final InMemoryStateStore store;
    private final SplittableRandom random;
    private final Baton baton = new Baton();
    private final List<SimConsumer> consumers = new ArrayList<>();
    private final ActorSystem system;
    private final ArrayDeque<String> recentTrace = new ArrayDeque<>();
    private final Map<Outcome.Kind, Long> outcomes = new EnumMap<>(Outcome.Kind.class);

    private long mailboxVersion;
    private long traceHash = 1;
    private long steps;
    private long crashes;
    private long transients;
    private long stalls;
    private long batches;
    private long deliveries;
    private int holding;
    private int maxHolding;
    private boolean started;
    private boolean closed;
    private boolean settled;
    private long runStartSteps;

    private Simulation(Builder b) {
        this.seed = b.seed;
        this.batchSize = b.batchSize;
        this.visibilityTimeout = b.visibilityTimeout;
        this.retryDelay = b.retryDelay;
        this.maxAttempts = b.maxAttempts;
        this.redriveMaxReceiveCount = b.redriveMaxReceiveCount > 0 ? b.redriveMaxReceiveCount : 3 * b.maxAttempts;
        this.faults = b.faults;
        this.configure = b.configure;
        this.userListener = b.listener;
        this.maxSteps = b.maxSteps;
        this.clock = VirtualClock.at(b.start);
        this.startTime = b.start;
        this.runtimeRedrive = b.runtimeRedrive;
        InMemoryMailbox.Builder mb = InMemoryMailbox.builder().clock(clock);
        this.mailbox = (runtimeRedrive ? mb.noRedrive() : mb.maxReceiveCount(redriveMaxReceiveCount)).build();
        this.store = InMemoryStateStore.create();
        this.random = new SplittableRandom(seed);
        this.system = newSystem(store, mailbox);
        for (int i = 0; i < b.consumers; i++) {
            consumers.add(new SimConsumer(i));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A fault-free runtime over the simulation's mailbox and store: for producers, ingress and inspection. */
    public ActorSystem system() {
        return system;
    }

    public InMemoryMailbox mailbox() {
        return mailbox;
    }

    public InMemoryStateStore store() {
        return store;
    }

    public VirtualClock clock() {
        return clock;
    }

    public long seed() {
        return seed;
    }

    /** The virtual time the simulation started at. */
    public Instant startTime() {
        return startTime;
    }

    private ActorSystem newSystem(StateStore s, Mailbox m) {
        ActorSystem.Builder b = ActorSystem.builder();
        configure.accept(b);
        b.stateStore(s).mailbox(m).clock(clock).maxAttempts(maxAttempts).listener(this::countOutcome);
        if (runtimeRedrive) {
            b.runtimeRedrive(redriveMaxReceiveCount);
        } else {
            b.redriveMaxReceiveCount(redriveMaxReceiveCount);
        }
        return b.build();
    }

    private void countOutcome(Outcome o) {
        outcomes.merge(o.kind(), 1L, Long::sum);
        userListener.onOutcome(o);
    }

    /**
     * Runs the consumers until every message is settled (the mailbox is empty) and returns what happened. Can be
     * called again after producing more messages.
     */
    public RunResult run() {
        if (closed) {
            throw new IllegalStateException("simulation is closed");
        }
        if (!started) {
            started = true;
            for (SimConsumer c : consumers) {
                Thread t = new Thread(c, "sim-consumer-" + c.index);
                t.setDaemon(true);
                t.start();
            }
        }
        runStartSteps = steps;
        SimConsumer first = pickNext();
        if (first != null) {
            baton.runUntilDriverTurn(first.seat);
        }
        return result(settled);
    }

    /**
     * Discrete-event order: the consumer whose next port call comes first runs next, ties broken by the seed; moves
     * the clock to that moment. Null when the run is over ({@link #settled} says how).
     */
    private SimConsumer pickNext() {
        while (true) {
            if (steps - runStartSteps > maxSteps) {
                settled = false;
                return null;
            }
            long now = clock.millis();
            long best = Long.MAX_VALUE;
            SimConsumer chosen = null;
            int ties = 0;
            for (SimConsumer c : consumers) {
                long t = c.nextStepAt(now);
                if (t < best) {
                    best = t;
                    chosen = c;
                    ties = 1;
                } else if (t == best && t != Long.MAX_VALUE && random.nextInt(++ties) == 0) {
                    chosen = c;
                }
            }
            if (chosen == null) {
                if (mailbox.size() == 0) {
                    settled = true;
                    return null;
                }
                for (SimConsumer c : consumers) {
                    c.idle = false; // nothing will wake them, yet messages remain: poll again now
                }
                continue;
            }
            clock.advanceTo(Instant.ofEpochMilli(best));
            steps++;
            return chosen;
        }
    }

    private RunResult result(boolean settled) {
        return new RunResult(seed, settled, steps, batches, deliveries, crashes, transients, stalls, maxHolding,
                Map.copyOf(outcomes), traceHash, clock.instant(), List.copyOf(recentTrace));
    }

    /** Stops the consumer threads. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (started) {
            for (SimConsumer c : consumers) {
                c.stopping = true;
                if (!c.finished) {
                    baton.runUntilDriverTurn(c.seat);
                }
            }
        }
    }

    private enum Fault { NONE, CRASH_BEFORE, CRASH_AFTER, TRANSIENT_BEFORE, TRANSIENT_AFTER }

    /** Called by a consumer thread at every port call: gives up the turn, then draws latency and a fault. */
    private Fault step(SimConsumer c, String op, String target, boolean storeCall) {
        if (!c.stopping) {
            SimConsumer next = pickNext();
            if (next != c) {
                baton.passTo(c.seat, next == null ? null : next.seat);
            }
        }
        if (c.stopping) {
            throw new SimulatedCrash("at shutdown");
        }
        long min = (storeCall ? faults.minStoreLatency() : faults.minLatency()).toMillis();
        long max = (storeCall ? faults.maxStoreLatency() : faults.maxLatency()).toMillis();
        // the call happens now; the consumer's next call comes after this one's latency
        c.readyAt = clock.millis() + (max > min ? min + random.nextLong(max - min + 1) : min);
        Fault fault = Fault.NONE;
        if (!faults.isNone()) {
            double r = random.nextDouble();
            boolean after = random.nextBoolean();
            if (r < faults.crashRate()) {
                fault = after ? Fault.CRASH_AFTER : Fault.CRASH_BEFORE;
                crashes++;
            } else if (r < faults.crashRate() + faults.transientRate()) {
                fault = after ? Fault.TRANSIENT_AFTER : Fault.TRANSIENT_BEFORE;
                transients++;
            } else if (r < faults.crashRate() + faults.transientRate() + faults.stallRate()) {
                c.readyAt += faults.stall().toMillis();
                stalls++;
                trace(c, op, target, "STALL");
                return fault;
            }
        }
        trace(c, op, target, fault.name());
        return fault;
    }

    private void trace(SimConsumer c, String op, String target, String fault) {
        String line = clock.millis() + " c" + c.index + " " + op + " " + target + " " + fault;
        traceHash = traceHash * 1_000_003L + line.hashCode();
        if (recentTrace.size() >= 40) {
            recentTrace.removeFirst();
        }
        recentTrace.addLast(line);
    }

    private <T> T call(SimConsumer c, String op, String target, boolean mutates, Supplier<T> action) {
        Fault f = step(c, op, target, op.startsWith("load") || op.equals("commit"));
        if (f == Fault.CRASH_BEFORE) {
            throw new SimulatedCrash("before " + op);
        }
        if (f == Fault.TRANSIENT_BEFORE) {
            throw new TransientFailureException("simulated transient failure before " + op);
        }
        T result = action.get();
        if (mutates) {
            mailboxVersion++;
        }
        if (f == Fault.CRASH_AFTER) {
            throw new SimulatedCrash("after " + op);
        }
        if (f == Fault.TRANSIENT_AFTER) {
            throw new TransientFailureException("simulated timeout after " + op + " took effect");
        }
        return result;
    }

    /** One simulated consumer: a receive loop running the runtime over fault-injecting ports. */
    private final class SimConsumer implements Runnable {
        final int index;
        final Baton.Seat seat = new Baton.Seat();
        volatile boolean stopping;
        volatile boolean finished;
        boolean idle;
        long idleVersion;
        long idleUntilMillis;
        long readyAt;

        SimConsumer(int index) {
            this.index = index;
        }

        /** When this consumer makes its next port call; MAX_VALUE if it waits for something to change. */
        long nextStepAt(long now) {
            if (idle && idleVersion == mailboxVersion) {
                return idleUntilMillis == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(idleUntilMillis, readyAt);
            }
            return Math.max(readyAt, now);
        }

        @Override
        public void run() {
            baton.awaitTurn(seat);
            ActorSystem runtime = newSystem(new FaultyStore(this), new FaultyMailbox(this));
            try {
                while (!stopping) {
                    boolean holds = false;
                    try {
                        List<Delivery> batch = new FaultyMailbox(this).receiveForConsumer();
                        if (batch.isEmpty()) {
                            idle = true;
                            idleVersion = mailboxVersion;
                            Instant next = mailbox.nextVisibleAt();
                            idleUntilMillis = next == null ? Long.MAX_VALUE : next.toEpochMilli();
                            continue;
                        }
                        idle = false;
                        holds = true;
                        holding++;
                        maxHolding = Math.max(maxHolding, holding);
                        batches++;
                        deliveries += batch.size();
                        runtime.processAndSettle(batch, retryDelay);
                    } catch (SimulatedCrash crash) {
                        runtime = newSystem(new FaultyStore(this), new FaultyMailbox(this));
                    } catch (TransientFailureException e) {
                        // a failed receive; try again on the next turn
                    } finally {
                        if (holds) {
                            holding--;
                        }
                    }
                }
            } finally {
                finished = true;
                baton.giveBack();
            }
        }
    }

    private final class FaultyMailbox implements Mailbox {
        private final SimConsumer c;

        FaultyMailbox(SimConsumer c) {
            this.c = c;
        }

        List<Delivery> receiveForConsumer() {
            return receive(batchSize, visibilityTimeout, Duration.ZERO);
        }

        @Override
        public void send(List<OutgoingMessage> messages) {
            call(c, "send", messages.size() + " msgs", true, () -> {
                mailbox.send(messages);
                return null;
            });
        }

        @Override
        public List<Delivery> receive(int maxMessages, Duration visibility, Duration waitTime) {
            return call(c, "receive", "", false, () -> mailbox.receive(maxMessages, visibility, Duration.ZERO));
        }

        @Override
        public List<Delivery> acknowledge(List<Delivery> ds) {
            return call(c, "ack", ds.size() + " msgs", true, () -> mailbox.acknowledge(ds));
        }

        @Override
        public void release(List<Delivery> ds, Duration delay) {
            call(c, "release", ds.size() + " msgs", true, () -> {
                mailbox.release(ds, delay);
                return null;
            });
        }

        @Override
        public void deadLetter(DeadLetter letter) {
            call(c, "dead-letter", letter.groupId(), true, () -> {
                mailbox.deadLetter(letter);
                return null;
            });
        }
    }

    private final class FaultyStore implements StateStore {
        private final SimConsumer c;

        FaultyStore(SimConsumer c) {
            this.c = c;
        }

        @Override
        public Optional<StoredRecord> load(ActorId id) {
            return call(c, "load", id.groupId(), false, () -> store.load(id));
        }

        @Override
        public Map<ActorId, StoredRecord> loadAll(Collection<ActorId> ids) {
            return call(c, "load-all", ids.size() + " ids", false, () -> store.loadAll(ids));
        }

        @Override
        public void commit(ActorId id, long expectedVersion, StoredRecord next) {
            call(c, "commit", id.groupId() + "@" + expectedVersion, false, () -> {
                store.commit(id, expectedVersion, next);
                return null;
            });
        }
    }

    /**
     * What a {@link #run()} did. {@code settled}: every message left the mailbox (false if the step limit stopped
     * it). {@code maxConcurrentConsumers}: the most consumers that held a batch at the same time.
     */
    public record RunResult(long seed, boolean settled, long steps, long batches, long deliveries, long crashes,
                            long transientFaults, long stalls, int maxConcurrentConsumers,
                            Map<Outcome.Kind, Long> outcomes, long traceHash, Instant endTime,
                            List<String> recentTrace) {
        public long outcome(Outcome.Kind kind) {
            return outcomes.getOrDefault(kind, 0L);
        }

        /** How to get this exact run again. */
        public String replayHint() {
            return "replay with the same workload and Simulation.builder().seed(" + seed + "L)";
        }
    }

    /** Builds a {@link Simulation}; not thread-safe. */
    public static final class Builder {
        private long seed = 1;
        private int consumers = 4;
        private int batchSize = Mailbox.MAX_BATCH;
        private Duration visibilityTimeout = Duration.ofSeconds(30);
        private Duration retryDelay = Duration.ofSeconds(1);
        private int maxAttempts = 5;
        private int redriveMaxReceiveCount;
        private boolean runtimeRedrive;
        private FaultPlan faults = FaultPlan.none();
        private Consumer<ActorSystem.Builder> configure;
        private OutcomeListener listener = OutcomeListener.NONE;
        private long maxSteps = 50_000_000L;
        private Instant start = Instant.parse("2026-01-01T00:00:00Z");

        private Builder() {
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Concurrent consumers (simulated Lambda invocations), 1 to 1,000. */
        public Builder consumers(int n) {
            ConfigurationException.requireBetween("consumers", n, 1, 1000);
            this.consumers = n;
            return this;
        }

        /** Messages per receive, 1 to 10. */
        public Builder batchSize(int n) {
            if (n < 1 || n > Mailbox.MAX_BATCH) {
                throw new ConfigurationException("batchSize must be 1 to 10, was " + n);
            }
            this.batchSize = n;
            return this;
        }

        public Builder visibilityTimeout(Duration d) {
            this.visibilityTimeout = Objects.requireNonNull(d);
            return this;
        }

        /** How long a failed message stays invisible before its retry. */
        public Builder retryDelay(Duration d) {
            this.retryDelay = Objects.requireNonNull(d);
            return this;
        }

        /** Handler attempts before the runtime gives a message up (see {@code ActorSystem.Builder.maxAttempts}). */
        public Builder maxAttempts(int n) {
            ConfigurationException.requireBetween("maxAttempts", n, 1, 300);
            this.maxAttempts = n;
            return this;
        }

        /** The queue's redrive maxReceiveCount; default three times {@link #maxAttempts}. */
        public Builder redriveMaxReceiveCount(int n) {
            ConfigurationException.requireBetween("redriveMaxReceiveCount", n, 1, 1000);
            this.redriveMaxReceiveCount = n;
            return this;
        }

        /**
         * {@code true}: the queue has no redrive policy and the runtime redrives at {@link #redriveMaxReceiveCount}
         * instead ({@code ActorSystem.Builder.runtimeRedrive}); default {@code false}.
         */
        public Builder runtimeRedrive(boolean on) {
            this.runtimeRedrive = on;
            return this;
        }

        public Builder faults(FaultPlan faults) {
            this.faults = Objects.requireNonNull(faults);
            return this;
        }

        /** Registers the actor types and any runtime settings; store, mailbox, clock and listener are set here. */
        public Builder configure(Consumer<ActorSystem.Builder> configure) {
            this.configure = Objects.requireNonNull(configure);
            return this;
        }

        /** Receives every outcome of every consumer (on the simulation's threads, one at a time). */
        public Builder listener(OutcomeListener listener) {
            this.listener = Objects.requireNonNull(listener);
            return this;
        }

        /** Port calls after which {@link #run()} gives up (a livelock guard). */
        public Builder maxSteps(long n) {
            this.maxSteps = n;
            return this;
        }

        public Builder start(Instant start) {
            this.start = Objects.requireNonNull(start);
            return this;
        }

        public Simulation build() {
            if (configure == null) {
                throw new ConfigurationException("Simulation needs configure(b -> b.register(...)) for its actor types");
            }
            return new Simulation(this);
        }
    }
}
