package io.fifoactors.examples.demo;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.MessageKeys;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.core.runtime.OutcomeListener;
import io.fifoactors.core.runtime.Poller;
import io.fifoactors.core.runtime.RuntimeEvent;
import io.fifoactors.dynamodb.DynamoDbStateStore;
import io.fifoactors.examples.demo.aws.AwsServers;
import io.fifoactors.examples.demo.aws.MailboxTap;
import io.fifoactors.examples.demo.aws.PollerNode;
import io.fifoactors.examples.demo.aws.QueueProbe;
import io.fifoactors.examples.demo.aws.RequestCounter;
import io.fifoactors.sqs.SqsMailbox;
import io.fifoactors.sqs.SqsScheduler;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Real servers: a {@link Poller} running the runtime over an {@link SqsMailbox}, a {@link DynamoDbStateStore} and an
 * {@link SqsScheduler} (timers through a standard queue, moved into the mailbox queue by an
 * {@code SqsTimerForwarder}), on the servers of an {@link AwsServers} (ElasticMQ and dynalite, or given endpoints),
 * with a fresh FIFO queue pair, timer queue and table per scenario (deleted at the end). Every request of the consumer
 * (poller, runtime and timer forwarder) and of the producer (ingress) is counted by API with a
 * {@link RequestCounter}; set-up, drain checks and reading the results go through uncounted admin clients. The
 * producer, the consumer and the admin share one {@link MessageKeys} per backend (per demo run). Time is real: the
 * run ends when every message is processed and every timer has fired by itself, and the report gives the timers'
 * firing delays (due time to first receive).
 *
 * <p>The demo uses the defaults ({@link Options#DEMO}). The end-to-end tests choose how consumption overlaps
 * production ({@link Consumption}) and turn on the {@linkplain Options#outcomeChecks() outcome checks}: the stricter
 * guarantees of docs/semantics.md checked from every outcome the consumers report and every message the producer
 * and the actors sent, added to the report after the domain checks.
 *
 * <pre>{@code
 * ServersBackend backend = new ServersBackend(servers,
 *         new ServersBackend.Options(ServersBackend.Consumption.BACKLOG, Duration.ofSeconds(5), true));
 * ScenarioReport report = new LedgerScenario().run(cfg, backend, null);
 * }</pre>
 */
public final class ServersBackend implements Backend {
    /** The visibility timeout of the queue and of each receive (heartbeats extend it for long batches). */
    static final Duration VISIBILITY = Duration.ofSeconds(30);
    /** The runtime gives a failing message up after this many attempts. */
    static final int MAX_ATTEMPTS = 5;
    /** With a queue redrive policy, its maxReceiveCount: three times the attempts, as docs/semantics.md advises. */
    static final int MAX_RECEIVE_COUNT = 3 * MAX_ATTEMPTS;
    /** Threads running the actors of a batch concurrently. */
    static final int GROUP_THREADS = 8;
    /** How long one settle waits for the queues to drain. */
    static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(5);
    /** How long the dead letters may take to show up once the queue has drained. */
    static final Duration DEAD_LETTER_TIMEOUT = Duration.ofSeconds(10);

    /** When the consumers run relative to the producer. */
    public enum Consumption {
        /** Consumers run from the start; after each ingress batch the producer waits for the queue to drain (demo). */
        SETTLE_EACH_BATCH,
        /** Consumers run from the start; the producer never waits: consuming while producing. */
        WHILE_PRODUCING,
        /** Consumers start once everything has been produced: consuming a backlog. */
        BACKLOG
    }

    /**
     * How a run is set up and checked.
     *
     * @param consumption   when the consumers run relative to the producer
     * @param visibility    the visibility timeout of the queue and of each receive
     * @param outcomeChecks whether to log every outcome and every message the producer and the actors sent, and add
     *                      the checks computed from them: G1 (each actor decided the producer's messages exactly in
     *                      send order), G3 (an actor never decided a sender's message after a later one of the same
     *                      sender), G2 (every actor-to-actor message sent was decided), exactly the malformed
     *                      messages dead-lettered, no port failures and a graceful stop
     * @param queueRedrive  whether the queue has a redrive policy (after {@value #MAX_RECEIVE_COUNT} receives);
     *                      false (the default): none, the runtime dead-letters by itself, with reasons
     */
    public record Options(Consumption consumption, Duration visibility, boolean outcomeChecks, boolean queueRedrive) {
        /** The demo's servers mode. */
        public static final Options DEMO = new Options(Consumption.SETTLE_EACH_BATCH, VISIBILITY, false, false);

        /** Without a queue redrive policy. */
        public Options(Consumption consumption, Duration visibility, boolean outcomeChecks) {
            this(consumption, visibility, outcomeChecks, false);
        }
    }

    private final AwsServers servers;
    private final Options options;
    private final MessageKeys keys;

    /** The demo's servers mode on these servers, with fresh random message keys. */
    public ServersBackend(AwsServers servers) {
        this(servers, Options.DEMO);
    }

    /** These options on these servers, with fresh random message keys shared by every run of this backend. */
    public ServersBackend(AwsServers servers, Options options) {
        this(servers, options, MessageKeys.random());
    }

    public ServersBackend(AwsServers servers, Options options, MessageKeys keys) {
        this.servers = Objects.requireNonNull(servers, "servers");
        this.options = Objects.requireNonNull(options, "options");
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    @Override
    public boolean realTime() {
        return true;
    }

    @Override
    public Run open(String scenario, List<ActorType<?, ?>> types, ScenarioConfig cfg, OutcomeListener listener) {
        return new ServersRun(this, scenario, types, cfg, listener);
    }

    private static final class ServersRun implements Run {
        private final AwsServers servers;
        private final ScenarioConfig cfg;
        private final Options options;
        private final AwsServers.Env env;
        private final RequestCounter consumerRequests = new RequestCounter();
        private final RequestCounter producerRequests = new RequestCounter();
        private final MailboxTap tap = new MailboxTap(Clock.systemUTC());
        private final QueueProbe probe;
        private final SqsClient consumerSqs;
        private final DynamoDbClient consumerDynamo;
        private final SqsClient producerSqs;
        private final PollerNode node;
        private final ActorSystem producer;
        private final ActorSystem admin;
        /** With outcome checks: every outcome, and per actor the ids the producer sent it, in send order. */
        private final OutcomeLog log;
        private final Map<ActorId, List<String>> sentOrder = new LinkedHashMap<>();
        private final Set<String> malformed = new LinkedHashSet<>();
        private final Set<String> deadIds = new LinkedHashSet<>();
        private boolean started;
        private Map<String, Long> consumerAtEnd;
        private boolean drained = true;
        private long left;
        private Boolean graceful;
        private Poller.Stats stats;

        ServersRun(ServersBackend backend, String scenario, List<ActorType<?, ?>> types, ScenarioConfig cfg,
                   OutcomeListener listener) {
            this.servers = backend.servers;
            this.cfg = cfg;
            this.options = backend.options;
            this.env = servers.fresh("fifo-actors-demo-" + scenario, MAX_RECEIVE_COUNT, options.visibility(),
                    options.queueRedrive());
            this.probe = new QueueProbe(servers.sqs());
            this.consumerSqs = servers.newSqsClient(consumerRequests);
            this.consumerDynamo = servers.newDynamoClient(consumerRequests);
            this.producerSqs = servers.newSqsClient(producerRequests);
            DynamoDbStateStore adminStore = DynamoDbStateStore.builder().client(servers.dynamo())
                    .tableName(env.table()).build();
            this.log = options.outcomeChecks() ? new OutcomeLog() : null;
            OutcomeListener both = log == null ? listener : new OutcomeListener() {
                @Override
                public void onOutcome(Outcome o) {
                    log.onOutcome(o);
                    listener.onOutcome(o);
                }

                @Override
                public void onEvent(RuntimeEvent e) {
                    log.onEvent(e);
                    listener.onEvent(e);
                }
            };
            PollerNode.Builder nb = PollerNode.builder(consumerSqs, consumerDynamo, env)
                    .name(scenario).messageKeys(backend.keys).listener(both).tap(tap)
                    .consumers(cfg.consumers()).batchSize(cfg.batchSize()).groupThreads(GROUP_THREADS)
                    .maxAttempts(MAX_ATTEMPTS).visibility(options.visibility()).waitTime(Duration.ofSeconds(1));
            types.forEach(nb::register);
            this.node = nb.build();
            this.producer = system(types, SqsMailbox.builder().client(producerSqs).queues(env.queues()).build(),
                    adminStore, producerSqs, backend.keys);
            this.admin = system(types, SqsMailbox.builder().client(servers.sqs()).queues(env.queues()).build(),
                    adminStore, servers.sqs(), backend.keys);
            if (options.consumption() != Consumption.BACKLOG) {
                start();
            }
        }

        /** A system that only sends and inspects (the producer's, the admin's): its scheduler is never used. */
        private ActorSystem system(List<ActorType<?, ?>> types, SqsMailbox mailbox, DynamoDbStateStore store,
                                   SqsClient sqs, MessageKeys keys) {
            // the demo counts rejections from the records: keep them (the default writes no bare rejection)
            ActorSystem.Builder b = ActorSystem.builder().mailbox(mailbox).stateStore(store).messageKeys(keys)
                    .keptRejections(Backend.KEPT_REJECTIONS)
                    .scheduler(SqsScheduler.builder().client(sqs).timerQueueUrl(env.timerQueueUrl()).build());
            types.forEach(b::register);
            return b.build();
        }

        private void start() {
            if (!started) {
                started = true;
                node.start();
            }
        }

        @Override
        public ActorSystem producer() {
            return producer;
        }

        @Override
        public void sendRaw(List<OutgoingMessage> messages) {
            producer.mailbox().send(messages);
            messages.forEach(m -> malformed.add(m.messageId()));
        }

        @Override
        public void sent(ActorId target, String messageId) {
            if (log != null) {
                sentOrder.computeIfAbsent(target, a -> new ArrayList<>()).add(messageId);
            }
        }

        @Override
        public void settle() {
            // the mailbox queue only: deferrals and timers keep running while the next batch comes; after one
            // time-out, do not wait again before the end
            if (options.consumption() == Consumption.SETTLE_EACH_BATCH && drained) {
                drain(List.of(env.queues().queueUrl()));
            }
        }

        @Override
        public void finish() {
            start(); // a backlog: everything is in the queue now
            if (drained) {
                drain(List.of(env.queues().queueUrl(), env.timerQueueUrl()));
            }
            consumerAtEnd = consumerRequests.snapshot();
        }

        private void drain(List<String> queues) {
            drained = probe.drainedWithin(queues, SETTLE_TIMEOUT);
            left = drained ? 0 : probe.remaining(queues);
        }

        @Override
        public long deliveries() {
            return stats().messages();
        }

        @Override
        public long batches() {
            return stats().batches();
        }

        private Poller.Stats stats() {
            return stats != null ? stats : node.poller().stats();
        }

        @Override
        public <S> ActorSnapshot<S> inspect(ActorType<S, ?> type, String key) {
            return admin.inspect(type, key);
        }

        @Override
        public List<DeadLetter> deadLetters(int expected) {
            stop();
            List<DeadLetter> dead = probe.takeDeadLetters(env.queues().deadLetterQueueUrl(), expected,
                    DEAD_LETTER_TIMEOUT).stream().map(QueueProbe.Dead::toDeadLetter).toList();
            dead.forEach(d -> deadIds.add(d.messageId()));
            return dead;
        }

        private void stop() {
            if (graceful == null && started) {
                graceful = node.stop();
                stats = node.poller().stats();
            }
        }

        @Override
        public Check settled() {
            return Check.of("settled: every message processed, every timer fired", drained,
                    drained ? "" : left + " messages or timers left after waiting " + SETTLE_TIMEOUT.toMinutes()
                            + " min");
        }

        @Override
        public void figures(ScenarioReport report) {
            Poller.Stats s = stats();
            long deliveries = Math.max(1, s.messages());
            long retried = s.retried().values().stream().mapToLong(Long::longValue).sum();
            long portFailures = s.portFailures().values().stream().mapToLong(Long::longValue).sum();
            report.figure("poller", String.format("%d receives (%d empty), %d settled, %d retried, %d heartbeats,"
                            + " %d port failures%s", s.receives(), s.emptyReceives(), s.succeeded(), retried,
                            s.heartbeats(), portFailures,
                            Boolean.FALSE.equals(graceful) ? ", did not stop gracefully" : ""))
                    .figure("consumers", cfg.consumers() + " receive loops of up to " + cfg.batchSize()
                            + " messages, " + GROUP_THREADS + " group threads")
                    .figure("timers", timers())
                    .figure("store calls per delivery", String.format("%.2f loads, %.2f commits",
                            consumerRequests.count("GetItem", "BatchGetItem") / (double) deliveries,
                            consumerRequests.count("PutItem") / (double) deliveries))
                    .figure("servers", servers.describe())
                    .figure("queues and table", env.table() + ".fifo (+ -dlq.fifo, -timers; "
                            + (env.maxReceiveCount() > 0 ? "redrive after " + env.maxReceiveCount() + " receives"
                            : "no redrive policy: the runtime dead-letters") + "), table " + env.table()
                            + " (deleted at the end)");
        }

        /** Timers scheduled, forwarded, and how long after its due time each was first received. */
        private String timers() {
            List<Long> delays = tap.firingDelays();
            String forwarder = node.forwarder() == null ? "" : "; forwarder: " + node.forwarder().forwardedCount()
                    + " forwarded, " + node.forwarder().resentCount() + " sent on for another hop";
            if (delays.isEmpty()) {
                return tap.scheduled() + " scheduled, none received" + forwarder;
            }
            return String.format("%d scheduled, %d received; firing delay after the due time: median %d ms,"
                            + " p95 %d ms, max %d ms%s", tap.scheduled(), delays.size(), percentile(delays, 50),
                    percentile(delays, 95), delays.get(delays.size() - 1), forwarder);
        }

        private static long percentile(List<Long> sorted, int p) {
            int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
        }

        @Override
        public void checks(ScenarioReport report) {
            List<Long> delays = tap.firingDelays();
            long early = delays.stream().filter(d -> d < 0).count();
            report.check(Check.of("no timer fired before its due time", early == 0,
                    delays.size() + " firings received" + (early == 0 ? "" : ", " + early + " early, the earliest "
                            + (-delays.get(0)) + " ms")));
            if (log == null) {
                return;
            }
            Map<ActorId, List<String>> observed = log.decisionOrder();
            List<String> g1 = new ArrayList<>();
            for (Map.Entry<ActorId, List<String>> e : sentOrder.entrySet()) {
                Set<String> expected = new HashSet<>(e.getValue());
                List<String> seen = observed.getOrDefault(e.getKey(), List.of()).stream()
                        .filter(expected::contains).toList();
                if (!seen.equals(e.getValue())) {
                    g1.add(e.getKey() + ": sent " + e.getValue() + ", decided " + seen);
                }
            }
            report.check(Check.of("G1 each actor decided the producer's messages exactly in send order",
                    g1.isEmpty(), g1.isEmpty() ? sentOrder.size() + " actors" : g1.get(0)));
            List<String> g3 = log.pairwiseOrderViolations();
            Set<String> decided = log.actorMessagesDecided();
            report.check(Check.of("G3 actor-to-actor messages decided in the order each sender sent them",
                    g3.isEmpty(), g3.isEmpty() ? decided.size() + " messages" : g3.get(0)));
            Set<String> sentByActors = tap.actorMessagesSent();
            Set<String> undecided = new LinkedHashSet<>(sentByActors);
            undecided.removeAll(decided);
            undecided.removeAll(deadIds);
            report.check(Check.of("G2 every actor-to-actor message sent was decided (or dead-lettered)",
                    undecided.isEmpty(), decided.size() + " decided of " + sentByActors.size() + " sent"
                            + (undecided.isEmpty() ? "" : "; undecided: " + undecided.stream().limit(3).toList())));
            report.check(Check.of("G4 exactly the malformed messages dead-lettered", deadIds.equals(malformed),
                    malformed.size() + " malformed, " + deadIds.size() + " dead letters"
                            + (deadIds.equals(malformed) ? "" : ": malformed " + malformed + ", dead " + deadIds)));
            Poller.Stats s = stats();
            report.check(Check.of("no port failures", s.portFailures().isEmpty()
                    && !log.events().containsKey(RuntimeEvent.Kind.PORT_FAILURE), s.portFailures() + ", "
                    + log.events()));
            report.check(Check.of("the poller stopped gracefully", Boolean.TRUE.equals(graceful),
                    graceful == null ? "not stopped" : ""));
        }

        @Override
        public void appendix(ScenarioReport report, long produced, long actorMessages) {
            Map<String, Long> consumer = consumerAtEnd != null ? consumerAtEnd : consumerRequests.snapshot();
            report.appendix("AWS requests per message by API (counted with an SDK ExecutionInterceptor, retries"
                    + " included)\n"
                    + indent(RequestCounter.table("consumer side: Poller + runtime + timer forwarder, idle long"
                    + " polls included; messages: produced + actor-to-actor", Map.of(), consumer,
                    produced + actorMessages, deliveries()))
                    + indent(RequestCounter.table("producer side: ingress", Map.of(), producerRequests.snapshot(),
                    produced)));
        }

        private static String indent(String text) {
            StringBuilder sb = new StringBuilder();
            text.lines().forEach(l -> sb.append("  ").append(l).append('\n'));
            return sb.toString();
        }

        @Override
        public void close() {
            try {
                stop();
            } finally {
                try {
                    consumerSqs.close();
                    consumerDynamo.close();
                    producerSqs.close();
                } finally {
                    servers.delete(env);
                }
            }
        }
    }
}
