package io.fifoactors.e2e;

import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.BatchOutcome;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.core.runtime.Poller;
import io.fifoactors.e2e.TestLedger.Account;
import io.fifoactors.sqswire.StoredLetter;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One run of the ledger on a {@link Poller} over real servers with an outage in the middle: the producer sends
 * transfers at a steady pace (on the test's own clients, which the outage does not touch) while the consumers work
 * through clients the outage cuts; the outage begins once the consumers are well under way and ends after a fixed
 * time; then everything must settle by itself. The checks: nothing dead-lettered, every account exactly as the
 * oracle says (so nothing lost and nothing applied twice), no message reported applied twice, money conserved,
 * never below zero, the poller recovered by itself, and the outage's start and end in the log.
 */
final class LedgerOutageRun {
    /** What the test breaks and mends. */
    interface Outage {
        String describe();

        void begin();

        void end();

        /** Whether nothing can be applied while it lasts (true for the store: no commit without it). */
        boolean blocksCommits();
    }

    private static final int ACCOUNTS = 20;
    private static final int TRANSFERS = 400;
    private static final int CHUNK = 5;
    private static final Duration PACE = Duration.ofMillis(250);
    private static final long APPLIED_BEFORE_OUTAGE = 120;

    private LedgerOutageRun() {
    }

    /** Milliseconds from {@code from} to the time at the start of a log line ({@code HH:mm:ss.SSS}). */
    private static long logTime(String line, Instant from) {
        try {
            LocalTime t = LocalTime.parse(line.trim().substring(0, 12));
            LocalTime f = LocalTime.ofInstant(from, ZoneId.systemDefault());
            return Duration.between(f, t).toMillis();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static String time(Instant i) {
        return LocalTime.ofInstant(i, ZoneId.systemDefault()).toString();
    }

    static Checks run(String title, LocalAws aws, LocalAws.Env env, SqsClient consumerSqs,
                      DynamoDbClient consumerDynamo, Outage outage, Duration length) {
        LedgerWorkload work = LedgerWorkload.generate(env.name(), ACCOUNTS, TRANSFERS, env.name().hashCode());
        ActorSystem producer = aws.system(env, TestLedger.ACCOUNT).build();
        OutcomeRecorder outcomes = new OutcomeRecorder();
        ActorSystem consumers = LocalAws.system(env, consumerSqs, consumerDynamo, TestLedger.ACCOUNT)
                .listener(outcomes).maxAttempts(5).build();
        Poller poller = Poller.builder().system(consumers).name(env.name()).consumers(2)
                .visibilityTimeout(Duration.ofSeconds(10)).waitTime(Duration.ofSeconds(1))
                .backoff(Duration.ofMillis(100), Duration.ofSeconds(2)).build();
        ScheduledExecutorService clock = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "e2e-producer");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger produced = new AtomicInteger();
        AtomicReference<Throwable> producerError = new AtomicReference<>();
        AtomicReference<Instant> restoredAt = new AtomicReference<>();
        Checks checks = new Checks(title);
        Instant began;
        long appliedAtBegin;
        try (LogCapture log = LogCapture.start()) {
            LedgerWorkload.send(producer, work.deposits);
            poller.start();
            List<LedgerWorkload.Tx> transfers = work.transfers();
            clock.scheduleAtFixedRate(() -> {
                int from = produced.get();
                if (from >= transfers.size() || producerError.get() != null) {
                    return;
                }
                try {
                    int to = Math.min(transfers.size(), from + CHUNK);
                    LedgerWorkload.send(producer, transfers.subList(from, to));
                    produced.set(to);
                } catch (RuntimeException e) {
                    producerError.set(e);
                }
            }, 0, PACE.toMillis(), TimeUnit.MILLISECONDS);

            Await.until("the consumers are under way", Duration.ofSeconds(60),
                    () -> outcomes.count(Outcome.Kind.APPLIED) >= APPLIED_BEFORE_OUTAGE, poller::toString);
            began = Instant.now();
            appliedAtBegin = outcomes.count(Outcome.Kind.APPLIED);
            outage.begin();
            System.err.println(LocalTime.now() + " [e2e] OUTAGE BEGINS: " + outage.describe());
            clock.schedule(() -> {
                outage.end();
                restoredAt.set(Instant.now());
                System.err.println(LocalTime.now() + " [e2e] OUTAGE ENDS: " + outage.describe());
            }, length.toMillis(), TimeUnit.MILLISECONDS);

            Await.until("the poller logged the outage", length.plusSeconds(20),
                    () -> !log.linesWith("unavailable").isEmpty(), () -> poller.stats().toString());
            Await.until("the outage ended", length.plusSeconds(30), () -> restoredAt.get() != null);
            Instant restored = restoredAt.get();
            long appliedInOutage = outcomes.seen().stream()
                    .filter(s -> s.outcome().kind() == Outcome.Kind.APPLIED
                            && s.at().isAfter(began.plusSeconds(2)) && s.at().isBefore(restored))
                    .count();

            Await.until("every transfer is produced and settled and the queue is empty", Duration.ofMinutes(3),
                    Duration.ofMillis(500), () -> produced.get() == transfers.size()
                            && work.settled(work.snapshots(producer))
                            && aws.messagesIn(env.queues().queueUrl()) == 0,
                    () -> "produced " + produced.get() + ", " + poller.stats() + ", differences "
                            + work.differences(work.snapshots(producer)));
            Instant settledAt = Instant.now();
            OutcomeRecorder.Seen firstAfter = outcomes.firstAfter(restored, Outcome.Kind.APPLIED);
            Poller.Stats stats = poller.stats();
            boolean stopped = poller.shutdown(Duration.ofSeconds(20));
            List<String> down = log.linesWith("Poller " + env.name(), "unavailable");
            List<String> up = log.linesWith("Poller " + env.name(), "available again");
            List<String> outageLog = log.between("[e2e] OUTAGE BEGINS", "[e2e] OUTAGE ENDS");
            List<String> downWhileDown = outageLog.stream().filter(l -> l.contains("unavailable")).toList();
            List<String> upWhileDown = outageLog.stream().filter(l -> l.contains("available again")).toList();
            List<String> upAfter = log.after("[e2e] OUTAGE ENDS").stream()
                    .filter(l -> l.contains("Poller " + env.name()) && l.contains("available again")).toList();
            List<String> portFailures = outcomes.events().stream()
                    .filter(e -> e.kind() == io.fifoactors.core.runtime.RuntimeEvent.Kind.PORT_FAILURE)
                    .map(e -> e.detail()).distinct().limit(3).toList();

            List<StoredLetter> dead = new DeadLetterProbe(aws.sqs(), env.queues()).takeAll();
            Map<String, ActorSnapshot<Account>> snaps = work.snapshots(producer);
            List<String> differences = work.differences(snaps);
            long balances = LedgerWorkload.sumBalances(snaps);
            long inFlight = LedgerWorkload.inFlight(snaps);
            int maxReceives = outcomes.all().stream().mapToInt(Outcome::receiveCount).max().orElse(0);

            checks.figure("queue", env.redriveText())
                    .figure("outage", outage.describe() + " for " + length.toSeconds() + " s")
                    .figure("workload", ACCOUNTS + " accounts, " + work.deposits.size() + " deposits, "
                            + transfers.size() + " transfers (" + CHUNK + " every " + PACE.toMillis() + " ms)")
                    .figure("applied before the outage", appliedAtBegin)
                    .figure("applied while it lasted", appliedInOutage + " (reported between 2 s after its start"
                            + " and its end)")
                    .figure("recovery", firstAfter == null ? "none"
                            : "first message applied " + Duration.between(restored, firstAfter.at()).toMillis()
                            + " ms after the outage ended; all settled "
                            + Duration.between(restored, settledAt).toMillis() + " ms after it")
                    .figure("outcomes", outcomes.counts())
                    .figure("runtime events", outcomes.eventCounts())
                    .figure("highest receive count", maxReceives)
                    .figure("poller", "retried " + stats.retried() + ", port failures " + stats.portFailures()
                            + ", stale acks " + stats.staleAcknowledgements() + ", heartbeats " + stats.heartbeats())
                    .figure("outage", "from " + time(began) + " to " + time(restored))
                    .figure("outage logged", (downWhileDown.isEmpty() ? "never"
                            : logTime(downWhileDown.get(0), began) + " ms after it began") + "; its end logged "
                            + (upAfter.isEmpty() ? "never" : logTime(upAfter.get(upAfter.size() - 1), restored)
                            + " ms after it ended"))
                    .figure("log: outage start", down.isEmpty() ? "(none)" : down.get(0).trim())
                    .figure("log: outage end", up.isEmpty() ? "(none)" : up.get(up.size() - 1).trim())
                    .figure("log lines while it lasted", outageLog.size() + ": " + String.join(" | ", outageLog))
                    .figure("port failures (first kinds)", portFailures)
                    .figure("money", "balances " + balances + " + in flight " + inFlight + " = deposits "
                            + work.totalDeposits);
            checks.check("nothing dead-lettered", dead.isEmpty()
                            && outcomes.count(Outcome.Kind.DEAD_LETTERED) == 0,
                    dead + " " + outcomes.deadLettered());
            checks.check("every account exactly as the oracle says (nothing lost, nothing applied twice)",
                    differences.isEmpty(), String.join("; ", differences));
            checks.check("no message reported applied twice", outcomes.appliedTwice().isEmpty(),
                    outcomes.appliedTwice().toString());
            checks.check("money conserved: balances + in flight = deposits",
                    balances + inFlight == work.totalDeposits && inFlight == 0
                            && LedgerWorkload.sumDeposited(snaps) == work.totalDeposits,
                    balances + " + " + inFlight + " vs " + work.totalDeposits);
            checks.check("no balance below zero", !LedgerWorkload.anyNegative(snaps), "");
            checks.check("the poller recovered by itself", firstAfter != null && stats.holding() == 0 && stopped
                    && stats.retried(BatchOutcome.RetryCause.INFRASTRUCTURE) + stats.portFailures().values().stream()
                    .mapToLong(Long::longValue).sum() > 0, stats.toString());
            checks.figure("'available again' while it lasted", upWhileDown.size() + (upWhileDown.isEmpty() ? ""
                    : ": " + String.join(" | ", upWhileDown)));
            checks.check("the outage's start is in the log while it lasted", !downWhileDown.isEmpty(),
                    String.join(" | ", outageLog));
            checks.check("its end is in the log after it ended", !upAfter.isEmpty(), down + " / " + up);
            if (outage.blocksCommits()) {
                checks.check("nothing applied while the store was down", appliedInOutage == 0,
                        appliedInOutage + " applied");
            }
            if (env.maxReceiveCount().isPresent()) {
                checks.check("no message came near the queue's redrive", maxReceives < env.maxReceiveCount()
                        .getAsInt(), "highest receive count " + maxReceives);
            }
            List<LedgerWorkload.Tx> sent = new java.util.ArrayList<>(work.deposits);
            sent.addAll(transfers);
            List<String> g1 = OrderChecks.perActor(outcomes.all(), sent);
            List<String> g3 = OrderChecks.pairwise(outcomes.all());
            checks.check("G1 per-actor order never went backwards", g1.isEmpty(), g1.isEmpty() ? "" : g1.get(0));
            checks.check("G3 pairwise order never went backwards (" + OrderChecks.actorMessages(outcomes.all())
                    + " credits)", g3.isEmpty(), g3.isEmpty() ? "" : g3.get(0));
            checks.check("the producer never failed", producerError.get() == null, String.valueOf(
                    producerError.get()));
        } finally {
            clock.shutdownNow();
            poller.shutdown(Duration.ofSeconds(5));
        }
        return checks;
    }
}
