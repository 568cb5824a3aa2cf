package io.fifoactors.examples.demo;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.inmemory.Simulation;

import java.time.Duration;
import java.util.List;

/** Memory mode: the in-memory adapter's deterministic {@link Simulation}, with the configured faults. */
final class SimulatorBackend implements Backend {
    @Override
    public Run open(String scenario, ActorType<?, ?> type, ScenarioConfig cfg) {
        return new SimRun(cfg, Simulation.builder()
                .configure(b -> b.register(type))
                .consumers(cfg.consumers()).batchSize(cfg.batchSize()).seed(cfg.seed())
                .faults(cfg.faultPlan())
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
            last = sim.run();
            if (!last.settled()) {
                throw new IllegalStateException("simulation did not settle; " + last.replayHint());
            }
        }

        @Override
        public long deliveries() {
            return last == null ? 0 : last.deliveries();
        }

        @Override
        public void expireDeferrals(Duration by) {
            sim.clock().advance(by);
        }

        @Override
        public void wake(ActorId id, String requestId) {
            sim.system().wake(id, requestId);
        }

        @Override
        public void finish() {
            last = sim.run();
        }

        @Override
        public <S> ActorSnapshot<S> inspect(ActorId id, Class<S> stateClass) {
            return sim.system().inspect(id, stateClass);
        }

        @Override
        public List<DeadLetter> deadLetters(int expected) {
            return sim.mailbox().deadLetters();
        }

        @Override
        public long batches() {
            return last.batches();
        }

        @Override
        public long outcome(Outcome.Kind kind) {
            return last.outcome(kind);
        }

        @Override
        public Check settled() {
            return Check.of("settled: the mailbox drained", last.settled(), last.replayHint());
        }

        @Override
        public void figures(ScenarioReport report) {
            report.figure("faults injected", last.crashes() + " crashes, " + last.transientFaults()
                            + " transient errors, " + last.stalls() + " stalls")
                    .figure("consumers", cfg.consumers() + " configured, " + last.maxConcurrentConsumers()
                            + " held batches at the same time")
                    .figure("store calls per delivery", String.format("%.2f loads, %.2f commits",
                            sim.store().loadCount() / (double) last.deliveries(),
                            sim.store().commitCount() / (double) last.deliveries()))
                    .figure("simulated time", Duration.between(sim.startTime(), last.endTime()));
        }

        @Override
        public void close() {
            sim.close();
        }
    }
}
