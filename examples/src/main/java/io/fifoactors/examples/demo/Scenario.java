package io.fifoactors.examples.demo;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorRef;
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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A demo scenario: produce records through the domain's ingress (with some malformed messages mixed in), let the
 * consumers process them batch by batch, then let everything run out on its own (deferral deadlines and timers fire
 * by themselves: nothing is woken, no clock is moved by hand) and check the invariants. Subclasses supply the domain;
 * a {@link Backend} supplies where it runs: the deterministic simulator under the configured faults, or a
 * {@code Poller} with {@code SqsMailbox}, {@code DynamoDbStateStore} and SQS timers on real servers. The workload,
 * the malformed messages, the accounting and the checks are the same for both.
 *
 * <pre>{@code
 * ScenarioReport report = new BookingScenario().run(cfg, new SimulatorBackend(), System.err);
 * System.out.print(report.render());
 * }</pre>
 *
 * @param <R> the producer's record type
 */
public abstract class Scenario<R> {
    /** Timer firings' ids: "t", the actor's 24-hex-digit prefix, its outgoing sequence. */
    static final Pattern TIMER_ID = Pattern.compile("t[0-9a-f]{24}-\\d+");
    /** How many distinct dead-letter reasons the report lists. */
    static final int REASONS_SHOWN = 5;

    /**
     * How long a deferred transfer or departure waits for funds or stock: minutes on the simulator's clock, seconds
     * in real time (the run waits until every deadline has passed and fired).
     */
    static Duration deferWait(boolean realTime) {
        return realTime ? Duration.ofSeconds(2) : Duration.ofMinutes(5);
    }

    abstract String name();

    /** The actor types the scenario's actors are of. */
    abstract List<ActorType<?, ?>> types();

    /** The records to produce; {@code realTime}: waits and timers of seconds, not minutes (see {@link Backend}). */
    abstract List<R> generate(ScenarioConfig cfg, boolean realTime, SplittableRandom random);

    abstract Ingress<R> ingress(ActorSystem system);

    abstract String idOf(R record);

    abstract ActorId targetOf(R record);

    /** Whether the demo may replace this record by a malformed message (setup records stay intact). */
    boolean poisonable(R record) {
        return true;
    }

    /** Every actor the workload may have touched. */
    abstract List<ActorRef<?>> actors(ScenarioConfig cfg);

    /**
     * Adds the domain's figures and checks.
     *
     * @param produced the records produced intact (the malformed ones left out)
     * @param deadIds  ids of the dead-lettered messages
     * @param dead     the dead letters
     */
    abstract void domainChecks(Snapshots snapshots, List<R> produced, Set<String> deadIds, List<DeadLetter> dead,
                               ScenarioReport report);

    /** Runs the scenario on the deterministic simulator. */
    final ScenarioReport run(ScenarioConfig cfg, PrintStream progress) {
        return run(cfg, new SimulatorBackend(), progress);
    }

    /** Runs the scenario on {@code backend}; progress lines go to {@code progress} (null: none). */
    public final ScenarioReport run(ScenarioConfig cfg, Backend backend, PrintStream progress) {
        SplittableRandom random = new SplittableRandom(cfg.seed());
        List<R> records = generate(cfg, backend.realTime(), random);
        OutcomeLog log = new OutcomeLog();
        try (Backend.Run run = backend.open(name(), types(), cfg, log)) {
            long started = System.nanoTime();
            Ingress<R> ingress = ingress(run.producer());
            List<R> valid = new ArrayList<>(records.size());
            List<String> producedIds = new ArrayList<>(records.size());
            Set<String> malformedIds = new LinkedHashSet<>();
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
                    producedIds.add(idOf(r));
                }
                for (OutgoingMessage m : bad) {
                    run.sent(ActorId.fromGroupId(m.groupId()), m.messageId());
                    producedIds.add(m.messageId());
                    malformedIds.add(m.messageId());
                }
                valid.addAll(good);
                run.settle();
                if (progress != null && ((b + 1) % reportEvery == 0 || b + 1 == batches)) {
                    progress.printf("  %s: %3d%% (%d of %d records, %d deliveries)%n", name(),
                            (b + 1) * 100 / batches, Math.min(records.size(), (b + 1) * cfg.ingressBatch()),
                            records.size(), run.deliveries());
                }
            }
            run.finish();
            double seconds = (System.nanoTime() - started) / 1e9;
            return report(cfg, run, log, valid, producedIds, malformedIds, seconds);
        }
    }

    /** A message its actor cannot take: a type it does not know, or a known type with a body cut short. */
    private OutgoingMessage malformed(R record, SplittableRandom random) {
        boolean unknownType = random.nextBoolean();
        ActorId target = targetOf(record);
        String knownType = types().stream().filter(t -> t.name().equals(target.type())).findFirst()
                .map(t -> t.messages().keySet().iterator().next()).orElse("NoSuchMessage");
        return new OutgoingMessage(target.groupId(), idOf(record),
                Map.of(Envelope.TYPE, unknownType ? "NoSuchMessage" : knownType),
                (unknownType ? "{}" : "{\"amount\":").getBytes(StandardCharsets.UTF_8));
    }

    private ScenarioReport report(ScenarioConfig cfg, Backend.Run run, OutcomeLog log, List<R> valid,
                                  List<String> producedIds, Set<String> malformedIds, double seconds) {
        Snapshots snapshots = new Snapshots();
        for (ActorRef<?> ref : actors(cfg)) {
            read(run, typeOf(ref), ref.id().key(), snapshots);
        }
        long applied = 0, rejected = 0, deferred = 0, deadLettered = 0, timersFired = 0;
        long stashed = 0, held = 0, parked = 0, failing = 0, timersSet = 0;
        for (ActorSnapshot<?> s : snapshots.all()) {
            applied += s.applied();
            rejected += s.rejected();
            deferred += s.deferred();
            deadLettered += s.deadLettered();
            timersFired += s.timersFired();
            stashed += s.stash().size();
            held += s.held();
            parked += s.parked().isPresent() ? 1 : 0;
            failing += s.failing().isPresent() ? 1 : 0;
            timersSet += s.timers().size();
        }
        // the dead-letter queue deduplicates a delivery's letter for 5 minutes only: a consumer that dead-letters it
        // again later (its acknowledgement kept failing) adds a copy with the same dead-letter id
        List<DeadLetter> letters = run.deadLetters(malformedIds.size());
        Map<String, DeadLetter> distinct = new LinkedHashMap<>();
        letters.forEach(d -> distinct.putIfAbsent(d.deadLetterId(), d));
        List<DeadLetter> dead = List.copyOf(distinct.values());
        // a letter whose message was handled since (see OutcomeLog.handledAfterDeadLettered) is not in flight
        Set<String> handledSince = log.handledAfterDeadLettered();
        List<DeadLetter> neverHandled = dead.stream()
                .filter(d -> !handledSince.contains(d.groupId() + " " + d.messageId())).toList();
        Set<String> deadIds = new LinkedHashSet<>();
        neverHandled.forEach(d -> deadIds.add(d.messageId()));
        Set<String> seen = log.seen();
        long actorMessages = seen.stream().filter(id -> OutcomeLog.ACTOR_MESSAGE_ID.matcher(id).matches()).count();
        long timerFirings = log.all().stream().map(Outcome::messageId).filter(id -> TIMER_ID.matcher(id).matches())
                .distinct().count();
        long produced = producedIds.size();
        long deliveries = run.deliveries();

        ScenarioReport report = new ScenarioReport(name());
        report.figure("records produced", produced + " (" + malformedIds.size() + " of them malformed on purpose)")
                .figure("actor-to-actor messages", actorMessages)
                .figure("timer firings", timerFirings + " (" + log.count(Outcome.Kind.STALE)
                        + " stale: their timer was cancelled or replaced)")
                .figure("deliveries", deliveries + " in " + run.batches() + " batches")
                .figure("outcomes by kind", kinds(log.counts()))
                .figure("in the records", applied + " applied, " + rejected + " rejected, " + deferred
                        + " deferred (ever), " + timersFired + " timers handled, " + deadLettered + " dead-lettered")
                .figure("dead letters", dead.size() + (letters.size() > dead.size() ? " (" + letters.size()
                        + " copies in the queue)" : "") + reasons(dead))
                .figure("runtime events", log.events().isEmpty() ? "none" : kinds(log.events()));
        run.figures(report);
        report.figure("wall time", String.format("%.2f s", seconds))
                .figure("throughput", String.format("%,.0f deliveries/s", deliveries / seconds))
                .figure("seed", cfg.seed());

        report.check(run.settled());
        List<String> undecided = producedIds.stream().filter(id -> !seen.contains(id)).toList();
        report.check(Check.of("every message produced was reported decided", undecided.isEmpty(),
                produced + " produced" + (undecided.isEmpty() ? "" : "; no outcome reported for " + first(undecided))));
        List<String> twice = log.appliedTwice();
        report.check(Check.of("no message applied twice", twice.isEmpty(),
                twice.isEmpty() ? "" : "applied twice: " + first(twice)));
        report.check(Check.of("no dead-lettered message handled afterwards", handledSince.isEmpty(),
                handledSince.isEmpty() ? "" : handledSince.size() + " handled from another copy after their letter"
                        + " was written, which stays in the dead-letter queue: " + first(List.copyOf(handledSince))));
        List<String> notDead = malformedIds.stream().filter(id -> !deadIds.contains(id)).toList();
        report.check(Check.of("every malformed message dead-lettered, with its reason", notDead.isEmpty(),
                malformedIds.size() + " malformed, " + dead.size() + " dead letters"
                        + (notDead.isEmpty() ? "" : ", missing: " + first(notDead))));
        report.check(Check.of("nothing pending with no outside wake", stashed + held + parked + failing
                        + timersSet == 0, stashed + " deferred, " + held + " held, " + parked + " parked, " + failing
                        + " failing, " + timersSet + " timers set"));
        domainChecks(snapshots, valid, deadIds, neverHandled, report);
        run.checks(report);
        run.appendix(report, produced, actorMessages);
        return report;
    }

    private ActorType<?, ?> typeOf(ActorRef<?> ref) {
        return types().stream().filter(t -> t.name().equals(ref.id().type())).findFirst()
                .orElseThrow(() -> new IllegalStateException("scenario " + name() + " names an actor of type "
                        + ref.id().type() + ", which it does not register"));
    }

    private static <S> void read(Backend.Run run, ActorType<S, ?> type, String key, Snapshots into) {
        into.put(type, run.inspect(type, key));
    }

    /** "APPLIED 12, REJECTED 3": the kinds that occurred, in their declared order. */
    static String kinds(Map<? extends Enum<?>, Long> counts) {
        return counts.entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey().name() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    /** The dead letters' reasons, most frequent first: "; reasons: 'x' 3, 'y' 1". */
    static String reasons(List<DeadLetter> dead) {
        if (dead.isEmpty()) {
            return "";
        }
        Map<String, Long> byReason = new LinkedHashMap<>();
        dead.forEach(d -> byReason.merge(shorten(d.reason()), 1L, Long::sum));
        String shown = byReason.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(REASONS_SHOWN).map(e -> "\"" + e.getKey() + "\" " + e.getValue())
                .collect(Collectors.joining(", "));
        return "; by reason: " + shown + (byReason.size() > REASONS_SHOWN ? ", and "
                + (byReason.size() - REASONS_SHOWN) + " more reasons" : "");
    }

    private static String shorten(String reason) {
        return reason.length() <= 90 ? reason : reason.substring(0, 87) + "...";
    }

    private static String first(List<String> items) {
        return items.stream().limit(3).collect(Collectors.joining(", ")) + (items.size() > 3 ? ", ..." : "")
                + " (" + items.size() + ")";
    }
}
