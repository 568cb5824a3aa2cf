package io.fifoactors.examples.demo;

import io.fifoactors.core.ActorType;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.OutcomeListener;
import io.fifoactors.inmemory.Simulation;

import java.time.Duration;
import java.util.List;

/**
 * The in-memory adapter's deterministic {@link Simulation}, with the configured faults: consumers, mailbox, store and
 * timers on a virtual clock, which skips ahead to the next timer when nothing else is due (so deferrals of minutes
 * and holds of a day cost nothing). The message keys are the simulation's, derived from the seed.
 */
public final class SimulatorBackend implements Backend {
    @Override
    public Run open(String scenario, List<ActorType<?, ?>> types, ScenarioConfig cfg, OutcomeListener listener) {
        return new SimRun(cfg, Simulation.builder()
                .configure(b -> {
                    types.forEach(b::register);
                    b.keptRejections(Backend.KEPT_REJECTIONS); // the demo counts rejections from the records
                })
                .consumers(cfg.consumers()).batchSize(cfg.batchSize()).seed(cfg.seed())
                .faults(cfg.faultPlan()).listener(listener)
                .build());
    }

    private static final class SimRun implements Run {
        private final ScenarioConfig cfg;
        private final Simulation sim;
        private Simulation.RunResult last;

        SimRun(ScenarioConfig cfg, Simulation sim) {
            this.cfg = cfg;
            this.sim = sim;
        }

        @Override
        public ActorSystem producer() {
            return sim.system();
        }

        @Override
        public void sendRaw(List<OutgoingMessage> messages) {
            sim.mailbox().send(messages);
        }

        @Override
        public void settle() {
            last = sim.run(); // every message processed and every timer fired: the virtual clock skips to them
            if (!last.settled()) {
                throw new IllegalStateException("simulation did not settle; " + last.replayHint());
            }
        }

        @Override
        public void finish() {
            last = sim.run();
        }

        @Override
        public long deliveries() {
            return last == null ? 0 : last.deliveries();
        }

        @Override
        public long batches() {
            return last == null ? 0 : last.batches();
        }

        @Override
        public <S> ActorSnapshot<S> inspect(ActorType<S, ?> type, String key) {
            return sim.system().inspect(type, key);
        }

        @Override
        public List<DeadLetter> deadLetters(int expected) {
            return sim.mailbox().deadLetterQueue();
        }

        @Override
        public Check settled() {
            boolean drained = last.settled() && sim.mailbox().size() == 0 && sim.mailbox().scheduledCount() == 0;
            return Check.of("settled: every message processed, every timer fired", drained, drained ? ""
                    : sim.mailbox().size() + " messages left, " + sim.mailbox().scheduledCount()
                    + " timers pending; " + last.replayHint());
        }

        @Override
        public void figures(ScenarioReport report) {
            long deliveries = Math.max(1, last.deliveries());
            report.figure("faults injected", last.crashes() + " crashes, " + last.transientFaults()
                            + " transient errors, " + last.stalls() + " stalls")
                    .figure("consumers", cfg.consumers() + " simulated consumers, batches of up to "
                            + cfg.batchSize())
                    .figure("store calls per delivery", String.format("%.2f loads, %.2f commits",
                            sim.store().loadCount() / (double) deliveries,
                            sim.store().commitCount() / (double) deliveries))
                    .figure("simulated time", Duration.between(sim.startTime(), last.endTime()));
        }

        @Override
        public void close() {
            sim.close();
        }
    }
}
