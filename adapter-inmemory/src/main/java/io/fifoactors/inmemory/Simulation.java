package io.fifoactors.inmemory;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.TransientFailureException;
import io.fifoactors.core.port.Consistency;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.port.RedrivePolicy;
import io.fifoactors.core.port.ScheduledMessage;
import io.fifoactors.core.port.Scheduler;
import io.fifoactors.core.port.StateStore;
import io.fifoactors.core.port.StoredRecord;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.ConsumerLoop;
import io.fifoactors.core.runtime.MessageKeys;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.core.runtime.OutcomeListener;
import io.fifoactors.core.runtime.RuntimeEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A deterministic simulation of an actor system deployed on SQS FIFO + DynamoDB + Lambda: N concurrent consumers
 * ("Lambda invocations") share one {@link InMemoryMailbox} (with its timer scheduler) and one
 * {@link InMemoryStateStore} on a {@link VirtualClock}. Each consumer is a real thread running the real runtime and
 * the real consumer loop ({@link ConsumerLoop}), but only one runs at a time: at every port call it hands control
 * back. Time is discrete-event: every call takes a random latency, the consumer whose next call comes first runs next
 * (ties broken by the seed), a backoff or a stall only delays the consumer concerned, and when every consumer is idle
 * the clock jumps to the next message becoming visible or the next timer falling due. A random source seeded by
 * {@code seed} draws latencies, ties and faults (from the {@link FaultPlan}). The same seed gives the same
 * interleaving, the same faults and the same result; {@link RunResult#traceHash()} fingerprints the whole run.
 *
 * <pre>{@code
 * try (Simulation sim = Simulation.builder()
 *         .configure(b -> b.register(Ledger.ACCOUNT))
 *         .consumers(8).seed(42).faults(FaultPlan.uniform(0.02))
 *         .build()) {
 *     sim.system().tell(Ledger.ACCOUNT.ref("a1"), new Deposit(100), "dep-1");
 *     RunResult r = sim.run();          // until every message is settled and every timer has fired
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
    private final FaultPlan faults;
    private final Consumer<ActorSystem.Builder> configure;
    private final OutcomeListener userListener;
    private final long maxSteps;
    private final MessageKeys keys;
    private final int traceLength;

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
    private final Map<RuntimeEvent.Kind, Long> events = new EnumMap<>(RuntimeEvent.Kind.class);

    private enum Port { STORE, MAILBOX, SCHEDULER }

    private final Map<Port, Long> outageUntil = new EnumMap<>(Port.class);
    private final Set<String> movedBack = new HashSet<>();
    private final List<DeadLetter> operatorMoved = new ArrayList<>();
    private final boolean operatorMovesQueueMoves;
    private long nextOperatorRedrive;

    private long mailboxVersion;
    private long traceHash = 1;
    private long steps;
    private long crashes;
    private long transients;
    private long stalls;
    private long outages;
    private long operatorMoves;
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
        this.faults = b.faults;
        this.configure = b.configure;
        this.userListener = b.listener;
        this.maxSteps = b.maxSteps;
        this.operatorMovesQueueMoves = b.operatorMovesQueueMoves;
        this.traceLength = b.traceLength;
        this.clock = VirtualClock.at(b.start);
        this.startTime = b.start;
        this.keys = MessageKeys.forSimulation(seed);
        InMemoryMailbox.Builder mb = InMemoryMailbox.builder().clock(clock);
        this.mailbox = (b.queueRedrive == 0 ? mb.noRedrive() : mb.maxReceiveCount(b.queueRedrive)).build();
        this.store = InMemoryStateStore.builder().clock(clock).staleReads(faults.staleReadRate(), seed ^ 0x5DEECE66DL)
                .build();
        this.random = new SplittableRandom(seed);
        this.nextOperatorRedrive = faults.operatorRedrive().map(d -> b.start.plus(d).toEpochMilli())
                .orElse(Long.MAX_VALUE);
        this.system = newSystem(store, mailbox, mailbox.scheduler(), new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L));
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

    /** The keys the simulation's runtimes share (derived from the seed). */
    public MessageKeys keys() {
        return keys;
    }

    /** The dead letters the simulated operator moved back to the queue so far (each message at most once). */
    public List<DeadLetter> operatorMoved() {
        return List.copyOf(operatorMoved);
    }

    /** The virtual time the simulation started at. */
    public Instant startTime() {
        return startTime;
    }

    private ActorSystem newSystem(StateStore s, Mailbox m, Scheduler sch, SplittableRandom nonces) {
        ActorSystem.Builder b = ActorSystem.builder();
        configure.accept(b);
        b.stateStore(s).mailbox(m).scheduler(sch).clock(clock).maxAttempts(maxAttempts).messageKeys(keys)
                .inlineGroups().nonces(nonces::nextLong).listener(new OutcomeListener() {
                    @Override
                    public void onOutcome(Outcome o) {
                        outcomes.merge(o.kind(), 1L, Long::sum);
                        userListener.onOutcome(o);
                    }

                    @Override
                    public void onEvent(RuntimeEvent e) {
                        events.merge(e.kind(), 1L, Long::sum);
                        userListener.onEvent(e);
                    }
                });
        return b.build();
    }

    /**
     * Runs the consumers until every message is settled (the mailbox is empty, no consumer holds anything back and
     * no timer is pending) and returns what happened. Can be called again after producing more messages.
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
            if (best != Long.MAX_VALUE && best >= nextOperatorRedrive) {
                clock.advanceTo(Instant.ofEpochMilli(nextOperatorRedrive));
                operatorRedrive();
                continue;
            }
            if (chosen == null) {
                if (mailbox.size() == 0 && mailbox.scheduledCount() == 0) {
                    settled = true;
                    return null;
                }
                if (nextOperatorRedrive != Long.MAX_VALUE && mailbox.size() == 0) {
                    // only timers pending: let the operator act first if due earlier, as time passes
                    Instant next = mailbox.nextVisibleAt();
                    if (next != null && next.toEpochMilli() >= nextOperatorRedrive) {
                        clock.advanceTo(Instant.ofEpochMilli(nextOperatorRedrive));
                        operatorRedrive();
                        continue;
                    }
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

    /** The operator moves every dead letter back that was not moved before, then waits for the next round. */
    private void operatorRedrive() {
        List<DeadLetter> moved = mailbox.moveBack(d -> (operatorMovesQueueMoves
                || !InMemoryMailbox.REDRIVE_REASON.equals(d.reason())) && movedBack.add(d.groupId() + " " + d.messageId()));
        operatorMoves += moved.size();
        operatorMoved.addAll(moved);
        if (!moved.isEmpty()) {
            mailboxVersion++;
        }
        nextOperatorRedrive = clock.millis() + faults.operatorRedrive().orElseThrow().toMillis();
        trace(null, "operator-redrive", moved.size() + " letters", "NONE");
    }

    private RunResult result(boolean settled) {
        return new RunResult(seed, settled, steps, batches, deliveries, crashes, transients, stalls, outages,
                operatorMoves, maxHolding, Map.copyOf(outcomes), Map.copyOf(events), traceHash, clock.instant(),
                List.copyOf(recentTrace));
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

    private enum Fault { NONE, CRASH_BEFORE, CRASH_AFTER, TRANSIENT_BEFORE, TRANSIENT_AFTER, OUTAGE }

    /** Called by a consumer thread at every port call: gives up the turn, then draws latency and a fault. */
    private Fault step(SimConsumer c, String op, String target, Port port) {
        if (!c.stopping) {
            SimConsumer next = pickNext();
            if (next != c) {
                baton.passTo(c.seat, next == null ? null : next.seat);
            }
        }
        if (c.stopping) {
            throw new SimulatedCrash("at shutdown");
        }
        boolean storeCall = port == Port.STORE;
        long min = (storeCall ? faults.minStoreLatency() : faults.minLatency()).toMillis();
        long max = (storeCall ? faults.maxStoreLatency() : faults.maxLatency()).toMillis();
        long now = clock.millis();
        // the call happens now; the consumer's next call comes after this one's latency
        c.readyAt = now + (max > min ? min + random.nextLong(max - min + 1) : min);
        if (faults.outageRate() > 0 && random.nextDouble() < faults.outageRate()) {
            Port down = Port.values()[random.nextInt(Port.values().length)];
            if (outageUntil.getOrDefault(down, 0L) <= now) {
                long span = faults.outageMax().toMillis() - faults.outageMin().toMillis();
                long length = faults.outageMin().toMillis() + (span > 0 ? random.nextLong(span + 1) : 0);
                outageUntil.put(down, now + length);
                outages++;
                trace(c, "outage", down + " for " + length + " ms", "NONE");
            }
        }
        if (outageUntil.getOrDefault(port, 0L) > now) {
            trace(c, op, target, "OUTAGE");
            return Fault.OUTAGE;
        }
        Fault fault = Fault.NONE;
        if (!faults.isNone()) {
            double r = random.nextDouble();
            boolean after = random.nextBoolean();
            double transientRate = faults.transientRate() + (op.equals("dead-letter") ? faults.deadLetterFailureRate()
                    : 0);
            if (r < faults.crashRate()) {
                fault = after ? Fault.CRASH_AFTER : Fault.CRASH_BEFORE;
                crashes++;
            } else if (r < faults.crashRate() + transientRate) {
                fault = after ? Fault.TRANSIENT_AFTER : Fault.TRANSIENT_BEFORE;
                transients++;
            } else if (r < faults.crashRate() + transientRate + faults.stallRate()) {
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
        String line = clock.millis() + (c == null ? " driver " : " c" + c.index + " ") + op + " " + target + " "
                + fault;
        traceHash = traceHash * 1_000_003L + line.hashCode();
        if (recentTrace.size() >= traceLength) {
            recentTrace.removeFirst();
        }
        recentTrace.addLast(line);
    }

    private <T> T call(SimConsumer c, String op, String target, Port port, boolean mutates, Supplier<T> action) {
        Fault f = step(c, op, target, port);
        if (f == Fault.OUTAGE) {
            throw new TransientFailureException("simulated outage of the " + port.name().toLowerCase() + " at " + op);
        }
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

    /** One simulated consumer: the production consumer loop over fault-injecting ports. */
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

        private ConsumerLoop newLoop() {
            ActorSystem runtime = newSystem(new FaultyStore(this), new FaultyMailbox(this), new FaultyScheduler(this),
                    new SplittableRandom(random.nextLong()));
            return ConsumerLoop.builder().system(runtime).maxMessages(batchSize).visibilityTimeout(visibilityTimeout)
                    .waitTime(Duration.ZERO).retryDelay(retryDelay).clock(clock).random(random::nextDouble)
                    .pause(d -> {
                        readyAt = Math.max(readyAt, clock.millis() + d.toMillis());
                        return !stopping;
                    })
                    .events(new ConsumerLoop.Events() {
                        @Override
                        public void processing(List<Delivery> batch) {
                            batches++;
                            deliveries += batch.size();
                        }
                    })
                    .build();
        }

        @Override
        public void run() {
            baton.awaitTurn(seat);
            ConsumerLoop loop = newLoop();
            try {
                while (!stopping) {
                    boolean holds = !loop.held().isEmpty();
                    try {
                        if (holds) {
                            holding++;
                            maxHolding = Math.max(maxHolding, holding);
                        }
                        ConsumerLoop.Step s = loop.step();
                        if (s == ConsumerLoop.Step.EMPTY) {
                            idle = true;
                            idleVersion = mailboxVersion;
                            Instant next = mailbox.nextVisibleAt();
                            idleUntilMillis = next == null ? Long.MAX_VALUE : next.toEpochMilli();
                        } else {
                            idle = false;
                        }
                    } catch (SimulatedCrash crash) {
                        loop = newLoop(); // a fresh consumer with nothing in memory
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

        @Override
        public void send(List<OutgoingMessage> messages) {
            call(c, "send", messages.size() + " msgs", Port.MAILBOX, true, () -> {
                mailbox.send(messages);
                return null;
            });
        }

        @Override
        public List<Delivery> receive(int maxMessages, Duration visibility, Duration waitTime) {
            return call(c, "receive", "", Port.MAILBOX, false,
                    () -> mailbox.receive(maxMessages, visibility, Duration.ZERO));
        }

        @Override
        public List<Delivery> acknowledge(List<Delivery> ds) {
            return call(c, "ack", ds.size() + " msgs", Port.MAILBOX, true, () -> mailbox.acknowledge(ds));
        }

        @Override
        public void retryAfter(List<Delivery> ds, Duration delay) {
            call(c, "retry", ds.size() + " msgs", Port.MAILBOX, true, () -> {
                mailbox.retryAfter(ds, delay);
                return null;
            });
        }

        @Override
        public void extendVisibility(List<Delivery> ds, Duration visibility) {
            call(c, "extend", ds.size() + " msgs", Port.MAILBOX, true, () -> {
                mailbox.extendVisibility(ds, visibility);
                return null;
            });
        }

        @Override
        public void deadLetter(DeadLetter letter) {
            call(c, "dead-letter", letter.groupId(), Port.MAILBOX, true, () -> {
                mailbox.deadLetter(letter);
                return null;
            });
        }

        @Override
        public RedrivePolicy redrivePolicy() {
            return mailbox.redrivePolicy(); // read once when a system is built; not a call to fail
        }
    }

    private final class FaultyScheduler implements Scheduler {
        private final SimConsumer c;

        FaultyScheduler(SimConsumer c) {
            this.c = c;
        }

        @Override
        public void schedule(List<ScheduledMessage> messages) {
            call(c, "schedule", messages.size() + " timers", Port.SCHEDULER, true, () -> {
                mailbox.scheduler().schedule(messages);
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
            return call(c, "load", id.groupId(), Port.STORE, false, () -> store.load(id));
        }

        @Override
        public Map<ActorId, StoredRecord> loadAll(Collection<ActorId> ids, Consistency consistency) {
            return call(c, "load-all", ids.size() + " ids " + consistency, Port.STORE, false,
                    () -> store.loadAll(ids, consistency));
        }

        @Override
        public void commit(ActorId id, long expectedVersion, StoredRecord next) {
            call(c, "commit", id.groupId() + "@" + expectedVersion, Port.STORE, false, () -> {
                store.commit(id, expectedVersion, next);
                return null;
            });
        }

        @Override
        public void putArchive(ActorId id, String chunkId, byte[] data, Instant expiresAt) {
            call(c, "put-archive", id.groupId(), Port.STORE, false, () -> {
                store.putArchive(id, chunkId, data, expiresAt);
                return null;
            });
        }

        @Override
        public Optional<byte[]> loadArchive(ActorId id, String chunkId) {
            return call(c, "load-archive", id.groupId(), Port.STORE, false, () -> store.loadArchive(id, chunkId));
        }
    }

    /**
     * What a {@link #run()} did. {@code settled}: every message left the mailbox and no timer is pending (false if
     * the step limit stopped it). {@code maxHoldingConsumers}: the most consumers holding deliveries back through a
     * port failure at the same time.
     */
    public record RunResult(long seed, boolean settled, long steps, long batches, long deliveries, long crashes,
                            long transientFaults, long stalls, long outages, long operatorMoves,
                            int maxHoldingConsumers, Map<Outcome.Kind, Long> outcomes,
                            Map<RuntimeEvent.Kind, Long> events, long traceHash, Instant endTime,
                            List<String> recentTrace) {
        public long outcome(Outcome.Kind kind) {
            return outcomes.getOrDefault(kind, 0L);
        }

        public long event(RuntimeEvent.Kind kind) {
            return events.getOrDefault(kind, 0L);
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
        private int queueRedrive;
        private FaultPlan faults = FaultPlan.none();
        private Consumer<ActorSystem.Builder> configure;
        private OutcomeListener listener = OutcomeListener.NONE;
        private long maxSteps = 50_000_000L;
        private Instant start = Instant.parse("2026-01-01T00:00:00Z");
        private int traceLength = 40;
        private boolean operatorMovesQueueMoves = true;

        private Builder() {
        }

        /**
         * Whether the fault plan's operator ({@code FaultPlan.operatorRedrive}) also moves back the messages the
         * queue's redrive policy moved, which carry no reason (default true: "move back everything"). With false it
         * moves back only the runtime's dead letters, as docs/semantics.md (section 6) advises with a queue redrive
         * policy: a message the queue moved may have been applied, and is reconciled by hand.
         */
        public Builder operatorMovesQueueMoves(boolean moves) {
            this.operatorMovesQueueMoves = moves;
            return this;
        }

        /** How many of the last port calls {@link RunResult#recentTrace()} keeps (default 40), for debugging. */
        public Builder traceLength(int n) {
            this.traceLength = ConfigurationException.requireBetween("traceLength", n, 0, 1_000_000);
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Concurrent consumers (simulated Lambda invocations), 1 to 1,000. */
        public Builder consumers(int n) {
            this.consumers = ConfigurationException.requireBetween("consumers", n, 1, 1000);
            return this;
        }

        /** Messages per receive, 1 to 10. */
        public Builder batchSize(int n) {
            this.batchSize = ConfigurationException.requireBetween("batchSize", n, 1, Mailbox.MAX_BATCH);
            return this;
        }

        public Builder visibilityTimeout(Duration d) {
            this.visibilityTimeout = Objects.requireNonNull(d);
            return this;
        }

        /** How long a message whose handler failed stays invisible before its retry. */
        public Builder retryDelay(Duration d) {
            this.retryDelay = Objects.requireNonNull(d);
            return this;
        }

        /** Handler attempts before the runtime gives a message up (see {@code ActorSystem.Builder.maxAttempts}). */
        public Builder maxAttempts(int n) {
            this.maxAttempts = ConfigurationException.requireBetween("maxAttempts", n, 1, 100);
            return this;
        }

        /**
         * Gives the queue a redrive policy: it moves a message to the dead-letter queue after {@code maxReceiveCount}
         * receives. Default: none, the runtime dead-letters (the recommended setting).
         */
        public Builder queueRedrive(int maxReceiveCount) {
            this.queueRedrive = ConfigurationException.requireBetween("queueRedrive", maxReceiveCount, 1, 1000);
            return this;
        }

        public Builder faults(FaultPlan faults) {
            this.faults = Objects.requireNonNull(faults);
            return this;
        }

        /**
         * Registers the actor types and any runtime settings; store, mailbox, scheduler, clock, keys and listener
         * are set here.
         */
        public Builder configure(Consumer<ActorSystem.Builder> configure) {
            this.configure = Objects.requireNonNull(configure);
            return this;
        }

        /** Receives every outcome and event of every consumer (on the simulation's threads, one at a time). */
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
