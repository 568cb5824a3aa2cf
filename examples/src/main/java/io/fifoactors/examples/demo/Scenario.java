package io.fifoactors.examples.demo;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.Envelope;
import io.fifoactors.core.runtime.Ingress;
import io.fifoactors.core.runtime.Outcome;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A demo scenario: produce records through the domain's ingress (with some malformed messages mixed in), let the
 * consumers process them batch by batch, then expire what is still deferred and check the invariants. Subclasses
 * supply the domain; a {@link Backend} supplies where it runs: the deterministic simulator under the configured
 * faults (memory mode) or an SqsPoller with SqsMailbox and DynamoDbStateStore on real servers (real mode). The
 * workload, the malformed messages, the accounting and the checks are the same for both.
 *
 * @param <R> the producer's record type
 * @param <S> the actor's state type
 */
public abstract class Scenario<R, S> {
    /** Deferred messages wait at most this long in the scenarios. */
    static final Duration MAX_WAIT = Duration.ofMinutes(5);

    abstract String name();

    abstract ActorType<S, ?> type();

    abstract List<R> generate(ScenarioConfig cfg, SplittableRandom random);

    abstract Ingress<R> ingress(ActorSystem system);

    abstract String idOf(R record);

    abstract ActorId targetOf(R record);

    /** Whether the demo may replace this record by a malformed message (setup records stay intact). */
    boolean poisonable(R record) {
        return true;
    }

    /** Every actor the workload may have touched. */
    abstract List<ActorId> actors(ScenarioConfig cfg);

    abstract void domainChecks(Map<ActorId, ActorSnapshot<S>> snapshots, List<R> produced, Set<String> deadIds,
                               List<DeadLetter> dead, ScenarioReport report);

    /** Runs the scenario on the deterministic simulator (memory mode). */
    final ScenarioReport run(ScenarioConfig cfg, PrintStream progress) {
        return run(cfg, new SimulatorBackend(), progress);
    }

    /** Runs the scenario on {@code backend}; progress lines go to {@code progress} (null: none). */
    public final ScenarioReport run(ScenarioConfig cfg, Backend backend, PrintStream progress) {
        SplittableRandom random = new SplittableRandom(cfg.seed());
        List<R> records = generate(cfg, random);
        try (Backend.Run run = backend.open(name(), type(), cfg)) {
            long started = System.nanoTime();
            Ingress<R> ingress = ingress(run.producer());
            List<R> valid = new ArrayList<>(records.size());
            int poisoned = 0;
            int batches = (records.size() + cfg.ingressBatch() - 1) / cfg.ingressBatch();
            int reportEvery = Math.max(1, batches / 10);
            for (int b = 0; b < batches; b++) {
                List<R> batch = records.subList(b * cfg.ingressBatch(),
                        Math.min(records.size(), (b + 1) * cfg.ingressBatch()));
                List<R> good = new ArrayList<>(batch.size());
                List<OutgoingMessage> bad = new ArrayList<>();
                for (R r : batch) {
                    if (random.nextDouble() < cfg.poisonRate() && poisonable(r)) {
                        bad.add(malformed(r, random));
                    } else {
                        good.add(r);
                    }
                }
                ingress.submit(good);
                if (!bad.isEmpty()) {
                    run.sendRaw(bad);
                }
                for (R r : ingress.order(good)) {
                    run.sent(targetOf(r), idOf(r));
                }
                for (OutgoingMessage m : bad) {
                    run.sent(ActorId.fromGroupId(m.groupId()), m.messageId());
                }
                valid.addAll(good);
                poisoned += bad.size();
                run.settle();
                if (progress != null && ((b + 1) % reportEvery == 0 || b + 1 == batches)) {
                    progress.printf("  %s: %3d%% (%d of %d records, %d deliveries)%n", name(),
                            (b + 1) * 100 / batches, Math.min(records.size(), (b + 1) * cfg.ingressBatch()),
                            records.size(), run.deliveries());
                }
            }
            // Let every deferral deadline pass, then wake each actor so they expire: nothing stays in limbo.
            run.expireDeferrals(MAX_WAIT.plusMinutes(1));
            for (ActorId id : actors(cfg)) {
                run.wake(id, "final-wake-" + id.key());
            }
            run.finish();
            double seconds = (System.nanoTime() - started) / 1e9;
            return report(cfg, run, valid, poisoned, seconds);
        }
    }

    private OutgoingMessage malformed(R record, SplittableRandom random) {
        boolean unknownType = random.nextBoolean();
        return new OutgoingMessage(targetOf(record).groupId(), idOf(record),
                Map.of(Envelope.TYPE, unknownType ? "NoSuchMessage" : type().messages().keySet().iterator().next()),
                (unknownType ? "{}" : "{\"amount\":").getBytes(StandardCharsets.UTF_8));
    }

    private ScenarioReport report(ScenarioConfig cfg, Backend.Run run, List<R> valid, int poisoned, double seconds) {
        Map<ActorId, ActorSnapshot<S>> snapshots = new java.util.LinkedHashMap<>();
        long applied = 0, rejected = 0, deferred = 0, stashed = 0, held = 0, parked = 0, sent = 0;
        for (ActorId id : actors(cfg)) {
            ActorSnapshot<S> s = run.inspect(id, type().stateClass());
            snapshots.put(id, s);
            applied += s.applied();
            rejected += s.rejected();
            deferred += s.deferred();
            stashed += s.stashed();
            held += s.held();
            parked += s.parked() ? 1 : 0;
            sent += s.sent();
        }
        List<DeadLetter> dead = run.deadLetters(poisoned);
        Set<String> deadIds = new LinkedHashSet<>();
        Set<String> deadWakes = new HashSet<>();
        for (DeadLetter d : dead) {
            if (Envelope.SYSTEM_WAKE.equals(d.attributes().get(Envelope.TYPE))) {
                deadWakes.add(d.messageId());
            } else {
                deadIds.add(d.messageId());
            }
        }
        long produced = valid.size() + poisoned;
        long in = produced + sent;
        long out = applied + rejected + stashed + held + parked + deadIds.size();
        long deliveries = run.deliveries();

        ScenarioReport report = new ScenarioReport(name());
        report.figure("records produced", produced + " (" + poisoned + " of them malformed on purpose)")
                .figure("actor-to-actor messages", sent)
                .figure("deliveries processed", deliveries + " in " + run.batches() + " batches")
                .figure("applied", applied)
                .figure("rejected", rejected)
                .figure("deferred (ever)", deferred)
                .figure("dead-lettered", deadIds.size())
                .figure("duplicates skipped", run.outcome(Outcome.Kind.DUPLICATE))
                .figure("version conflicts", run.outcome(Outcome.Kind.VERSION_CONFLICT));
        run.figures(report);
        report.figure("wall time", String.format("%.2f s", seconds))
                .figure("throughput", String.format("%,.0f deliveries/s, %,.0f messages/s",
                        deliveries / seconds, in / seconds))
                .figure("seed", cfg.seed());
        report.check(run.settled());
        report.check(Check.of("every message accounted for exactly once", in == out,
                "in: " + produced + " produced + " + sent + " sent by actors = " + in + "; out: " + applied
                        + " applied + " + rejected + " rejected + " + stashed + " deferred + " + held + " held + "
                        + parked + " parked + " + deadIds.size() + " dead-lettered = " + out));
        report.check(Check.of("every malformed message dead-lettered", deadIds.size() >= poisoned,
                poisoned + " malformed, " + deadIds.size() + " dead letters"));
        report.check(Check.of("nothing left deferred or held after the deadlines", stashed == 0 && held == 0
                && parked == 0 && deadWakes.isEmpty(), stashed + " deferred, " + held + " held, " + parked + " parked"));
        domainChecks(snapshots, valid, deadIds, dead, report);
        run.checks(report, sent);
        run.appendix(report, produced, sent);
        return report;
    }
}
