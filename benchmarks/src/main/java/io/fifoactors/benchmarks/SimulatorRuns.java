package io.fifoactors.benchmarks;

import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.core.runtime.RuntimeEvent;
import io.fifoactors.examples.ledger.Account;
import io.fifoactors.examples.ledger.Ledger;
import io.fifoactors.examples.ledger.LedgerTransaction;
import io.fifoactors.inmemory.FaultPlan;
import io.fifoactors.inmemory.Simulation;
import io.fifoactors.inmemory.VirtualClock;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * B3 and B4: the ledger workload in the deterministic {@link Simulation} (discrete-event, virtual time). Every port
 * call takes a latency drawn uniformly from the fault plan's range, so simulated throughput is what N consumers
 * could do against services with those latencies, free of this machine's speed. B4 measures the opposite: how many
 * simulated messages this machine gets through per wall-clock second.
 */
final class SimulatorRuns {
    private SimulatorRuns() {
    }

    /**
     * One run's figures.
     *
     * @param handled        messages settled in the measured phase (applied, rejected, deferred or dead-lettered):
     *                       the transactions and the credits they caused
     * @param deliveries     deliveries processed (redeliveries included)
     * @param simSeconds     simulated time of the measured phase
     * @param steadyPerSec   settled messages per simulated second between the 10th and 90th percentile of
     *                       completions (ramp-up and drain excluded)
     * @param wallSeconds    wall-clock time of the measured phase
     * @param conserved      money check (balances = deposits), null when faults may dead-letter money
     * @param portCalls      port calls (the simulation's steps), idle consumers' receives included
     */
    record Figures(String design, int consumers, int actors, long transactions, long handled, long deliveries,
                   double simSeconds, double steadyPerSec, double wallSeconds, long crashes,
                   long transientFaults, long stalls, long conflicts, boolean settled, Boolean conserved,
                   long portCalls) {
        double portCallsPerMessage() {
            return portCalls / (double) handled;
        }

        double wallTransactionsPerSec() {
            return transactions / wallSeconds;
        }

        double overallPerSec() {
            return handled / simSeconds;
        }

        double wallDeliveriesPerSec() {
            return deliveries / wallSeconds;
        }
    }

    /** Modelled service latency for B3: SQS calls 16 to 24 ms, DynamoDB calls 8 to 12 ms (uniform). */
    static FaultPlan modelledLatency() {
        return FaultPlan.builder().latency(Duration.ofMillis(16), Duration.ofMillis(24))
                .storeLatency(Duration.ofMillis(8), Duration.ofMillis(12)).build();
    }

    /** The ledger, one actor per account (one message group per actor). */
    static Figures ledger(LedgerWorkload w, int consumers, FaultPlan faults, long seed) {
        Recorder rec = new Recorder();
        try (Simulation sim = Simulation.builder()
                .configure(b -> b.register(Ledger.ACCOUNT))
                .consumers(consumers).seed(seed).faults(faults).listener(rec::on)
                .build()) {
            ActorSystem system = sim.system();
            sim.mailbox().send(encode(system, w.opens()));
            Simulation.RunResult setup = sim.run();
            if (!setup.settled()) {
                throw new IllegalStateException("setup did not settle; " + setup.replayHint());
            }
            List<OutgoingMessage> txs = encode(system, w.transactions());
            return measure(sim, setup, rec, () -> sim.mailbox().send(txs), "one group per actor", consumers,
                    w.accounts(), w.transactions().size(), faults.equals(FaultPlan.none())
                            || faults.equals(modelledLatency()) ? w : null, system);
        }
    }

    /** The same workload through one message group (one actor holding every account): see {@link Bank}. */
    static Figures singleGroup(LedgerWorkload w, int consumers, FaultPlan faults, long seed) {
        Recorder rec = new Recorder();
        try (Simulation sim = Simulation.builder()
                .configure(b -> b.register(Bank.TYPE))
                .consumers(consumers).seed(seed).faults(faults).listener(rec::on)
                .build()) {
            ActorSystem system = sim.system();
            sim.mailbox().send(encodeBank(system, w.opens()));
            Simulation.RunResult setup = sim.run();
            if (!setup.settled()) {
                throw new IllegalStateException("setup did not settle; " + setup.replayHint());
            }
            List<OutgoingMessage> txs = encodeBank(system, w.transactions());
            Figures f = measure(sim, setup, rec, () -> sim.mailbox().send(txs), "single group", consumers, 1,
                    w.transactions().size(), null, system);
            ActorSnapshot<Bank.State> bank = system.inspect(Bank.TYPE, "all");
            long balances = 0;
            long deposited = 0;
            for (Account a : bank.state().accounts().values()) {
                balances += a.balance() + a.suspense();
                deposited += a.deposited();
            }
            boolean conserved = balances == w.depositTotal() && deposited == w.depositTotal();
            return new Figures(f.design(), f.consumers(), f.actors(), f.transactions(), f.handled(), f.deliveries(),
                    f.simSeconds(), f.steadyPerSec(), f.wallSeconds(), f.crashes(), f.transientFaults(), f.stalls(),
                    f.conflicts(), f.settled(), conserved, f.portCalls());
        }
    }

    private static Figures measure(Simulation sim, Simulation.RunResult setup, Recorder rec, Runnable produce,
                                   String design, int consumers, int actors, long transactions,
                                   LedgerWorkload check, ActorSystem system) {
        Instant t0 = sim.clock().instant();
        rec.clock = sim.clock();
        rec.start();
        long wall0 = System.nanoTime();
        produce.run();
        Simulation.RunResult r = sim.run();
        double wall = (System.nanoTime() - wall0) / 1e9;
        rec.stop();
        if (!r.settled()) {
            throw new IllegalStateException(design + " did not settle; " + r.replayHint());
        }
        double simSeconds = Duration.between(t0, r.endTime()).toNanos() / 1e9;
        Boolean conserved = null;
        if (check != null) {
            long balances = 0;
            long deposited = 0;
            for (int i = 0; i < check.accounts(); i++) {
                ActorSnapshot<Account> s = system.inspect(Ledger.ACCOUNT, LedgerWorkload.key(i));
                balances += s.state().balance() + s.state().suspense();
                deposited += s.state().deposited();
            }
            conserved = balances == check.depositTotal() && deposited == check.depositTotal();
        }
        return new Figures(design, consumers, actors, transactions, rec.count, r.deliveries() - setup.deliveries(),
                simSeconds, rec.steadyPerSecond(), wall, r.crashes() - setup.crashes(),
                r.transientFaults() - setup.transientFaults(), r.stalls() - setup.stalls(),
                r.event(RuntimeEvent.Kind.VERSION_CONFLICT) - setup.event(RuntimeEvent.Kind.VERSION_CONFLICT),
                r.settled(), conserved, r.steps() - setup.steps());
    }

    private static List<OutgoingMessage> encode(ActorSystem system, List<LedgerTransaction> txs) {
        List<OutgoingMessage> out = new ArrayList<>(txs.size());
        for (LedgerTransaction tx : txs) {
            out.add(system.encode(Ledger.account(tx.account()).tell(tx.toMessage()), tx.id()));
        }
        return out;
    }

    private static List<OutgoingMessage> encodeBank(ActorSystem system, List<LedgerTransaction> txs) {
        List<OutgoingMessage> out = new ArrayList<>(txs.size());
        for (LedgerTransaction tx : txs) {
            out.add(system.encode(Bank.ALL.tell(Bank.op(tx)), tx.id()));
        }
        return out;
    }

    /** Virtual completion times of settled messages (listener calls come one at a time, on the simulation's threads). */
    private static final class Recorder {
        private VirtualClock clock;
        private boolean on;
        private long[] times = new long[1024];
        private int count;

        void start() {
            on = true;
            count = 0;
        }

        void stop() {
            on = false;
        }

        void on(Outcome o) {
            if (!on) {
                return;
            }
            switch (o.kind()) {
                case APPLIED, REJECTED, DEFERRED, DEAD_LETTERED, PARKED -> {
                    if (count == times.length) {
                        times = Arrays.copyOf(times, count * 2);
                    }
                    times[count++] = clock.millis();
                }
                default -> { }
            }
        }

        double steadyPerSecond() {
            if (count < 20) {
                return Double.NaN;
            }
            long[] t = Arrays.copyOf(times, count);
            Arrays.sort(t);
            int lo = count / 10;
            int hi = count - 1 - count / 10;
            long span = t[hi] - t[lo];
            return span <= 0 ? Double.NaN : (hi - lo) * 1000.0 / span;
        }
    }
}
