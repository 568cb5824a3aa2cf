package io.fifoactors.examples.demo;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.Envelope;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.core.runtime.OutcomeListener;
import io.fifoactors.dynamodb.DynamoDbStateStore;
import io.fifoactors.examples.demo.aws.AwsServers;
import io.fifoactors.examples.demo.aws.OffsetClock;
import io.fifoactors.examples.demo.aws.PollerNode;
import io.fifoactors.examples.demo.aws.QueueProbe;
import io.fifoactors.examples.demo.aws.RequestCounter;
import io.fifoactors.sqs.SqsMailbox;
import io.fifoactors.sqs.SqsPoller;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Real mode: an {@link SqsPoller} running the runtime over an {@link SqsMailbox} and a {@link DynamoDbStateStore},
 * on the servers of an {@link AwsServers} (ElasticMQ and dynalite, or given endpoints), with a fresh FIFO queue pair
 * and table per scenario (deleted at the end). Every request of the consumer (poller and runtime) and of the producer
 * (ingress) is counted by API with a {@link RequestCounter}; set-up, drain checks, the final wakes and reading the
 * results go through uncounted admin clients. The runtime's clock is an {@link OffsetClock}, so the scenario can let
 * every deferral deadline pass at the end.
 *
 * <p>The demo uses the defaults ({@link Options#DEMO}). The end-to-end tests choose how consumption overlaps
 * production ({@link Consumption}) and turn on the {@linkplain Options#outcomeChecks() outcome checks}: the stricter
 * guarantees of docs/semantics.md checked from every outcome the consumers report and every message the producer
 * sent, added to the report after the domain checks.
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
    /** The queue's redrive maxReceiveCount: three times the attempts, as docs/semantics.md advises. */
    static final int MAX_RECEIVE_COUNT = 3 * MAX_ATTEMPTS;
    /** Threads running the actors of a batch concurrently. */
    static final int GROUP_THREADS = 8;
    /** How long one settle waits for the queue to drain. */
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
     * @param outcomeChecks whether to log every outcome and every message the producer sent, and add the checks
     *                      computed from them: G1 (each actor decided the producer's messages exactly in send order),
     *                      G3 (an actor never decided a sender's message after a later one of the same sender), G2
     *                      (no message applied twice; every actor-to-actor message decided once), exactly the
     *                      malformed messages dead-lettered, no poller errors and a graceful stop
     */
    public record Options(Consumption consumption, Duration visibility, boolean outcomeChecks) {
        /** The demo's real mode. */
        public static final Options DEMO = new Options(Consumption.SETTLE_EACH_BATCH, VISIBILITY, false);
    }

    private final AwsServers servers;
    private final Options options;

    /** The demo's real mode on these servers. */
    public ServersBackend(AwsServers servers) {
        this(servers, Options.DEMO);
    }

    public ServersBackend(AwsServers servers, Options options) {
        this.servers = servers;
        this.options = options;
    }

    @Override
    public Run open(String scenario, ActorType<?, ?> type, ScenarioConfig cfg) {
        return new ServersRun(servers, scenario, type, cfg, options);
    }

    private static final class ServersRun implements Run {
        private final AwsServers servers;
        private final ScenarioConfig cfg;
        private final Options options;
        private final AwsServers.Env env;
        private final RequestCounter consumerRequests = new RequestCounter();
        private final RequestCounter producerRequests = new RequestCounter();
        private final Map<Outcome.Kind, Long> outcomes = new EnumMap<>(Outcome.Kind.class);
        private final OffsetClock clock = new OffsetClock();
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
        private Map<String, Long> consumerAtWakes;
        private long deliveriesAtWakes;
        private boolean drained = true;
        private long left;
        private Boolean graceful;
        private SqsPoller.Stats stats;

        ServersRun(AwsServers servers, String scenario, ActorType<?, ?> type, ScenarioConfig cfg, Options options) {
            this.servers = servers;
            this.cfg = cfg;
            this.options = options;
            this.env = servers.fresh("fifo-actors-demo-" + scenario, MAX_RECEIVE_COUNT, options.visibility());
            this.probe = new QueueProbe(servers.sqs());
            this.consumerSqs = servers.newSqsClient(consumerRequests);
            this.consumerDynamo = servers.newDynamoClient(consumerRequests);
            this.producerSqs = servers.newSqsClient(producerRequests);
            DynamoDbStateStore adminStore = DynamoDbStateStore.builder().client(servers.dynamo())
                    .tableName(env.table()).build();
            this.log = options.outcomeChecks() ? new OutcomeLog() : null;
            OutcomeListener count = o -> {
                synchronized (outcomes) {
                    outcomes.merge(o.kind(), 1L, Long::sum);
                }
                if (log != null) {
                    log.onOutcome(o);
                }
            };
            this.node = PollerNode.builder(consumerSqs, consumerDynamo, env.queues(), env.table())
                    .name(scenario).register(type).clock(clock).listener(count)
                    .consumers(cfg.consumers()).batchSize(cfg.batchSize()).groupThreads(GROUP_THREADS)
                    .maxAttempts(MAX_ATTEMPTS).redriveMaxReceiveCount(MAX_RECEIVE_COUNT)
                    .visibility(options.visibility()).waitTime(Duration.ofSeconds(1))
                    .build();
            this.producer = ActorSystem.builder().register(type)
                    .mailbox(SqsMailbox.builder().client(producerSqs).queues(env.queues()).build())
                    .stateStore(adminStore).build();
            this.admin = ActorSystem.builder().register(type)
                    .mailbox(SqsMailbox.builder().client(servers.sqs()).queues(env.queues()).build())
                    .stateStore(adminStore).build();
            if (options.consumption() != Consumption.BACKLOG) {
                start();
            }
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
            // after one time-out, do not wait again before the end
            if (options.consumption() == Consumption.SETTLE_EACH_BATCH && drained) {
                drain();
            }
        }

        private void drain() {
            drained = probe.drainedWithin(env.queues().queueUrl(), SETTLE_TIMEOUT);
            left = drained ? 0 : probe.remaining(env.queues().queueUrl());
        }

        @Override
        public long deliveries() {
            return stats != null ? stats.messages() : node.poller().stats().messages();
        }

        @Override
        public void expireDeferrals(Duration by) {
            if (options.consumption() != Consumption.SETTLE_EACH_BATCH) {
                start(); // a backlog: everything is in the queue now
                drain();
            }
            consumerAtWakes = consumerRequests.snapshot();
            deliveriesAtWakes = deliveries();
            clock.advance(by);
        }

        @Override
        public void wake(ActorId id, String requestId) {
            admin.wake(id, requestId);
        }

        @Override
        public void finish() {
            drain();
        }

        @Override
        public <S> ActorSnapshot<S> inspect(ActorId id, Class<S> stateClass) {
            return admin.inspect(id, stateClass);
        }

        @Override
        public List<DeadLetter> deadLetters(int expected) {
            stop();
            List<DeadLetter> dead = probe.takeDeadLetters(env.queues().deadLetterQueueUrl(), expected,
                    DEAD_LETTER_TIMEOUT).stream().map(QueueProbe.Dead::toDeadLetter).toList();
            dead.stream().filter(d -> !Envelope.SYSTEM_WAKE.equals(d.attributes().get(Envelope.TYPE)))
                    .forEach(d -> deadIds.add(d.messageId()));
            return dead;
        }

        private void stop() {
            if (graceful == null && started) {
                graceful = node.stop();
                stats = node.poller().stats();
            }
        }

        @Override
        public long batches() {
            return stats().batches();
        }

        private SqsPoller.Stats stats() {
            return stats != null ? stats : node.poller().stats();
        }

        @Override
        public long outcome(Outcome.Kind kind) {
            synchronized (outcomes) {
                return outcomes.getOrDefault(kind, 0L);
            }
        }

        @Override
        public Check settled() {
            return Check.of("settled: the mailbox drained", drained,
                    drained ? "" : left + " messages left after waiting " + SETTLE_TIMEOUT.toMinutes() + " min");
        }

        @Override
        public void figures(ScenarioReport report) {
            SqsPoller.Stats s = stats();
            long deliveries = Math.max(1, s.messages());
            report.figure("poller", String.format("%d receives (%d empty), %d acknowledged, %d released, %d heartbeats,"
                            + " %d errors%s", s.receives(), s.emptyReceives(), s.acknowledged(), s.released(),
                            s.heartbeats(), s.receiveErrors() + s.processErrors() + s.settleErrors()
                                    + s.heartbeatErrors(),
                            Boolean.FALSE.equals(graceful) ? ", did not stop gracefully" : ""))
                    .figure("consumers", cfg.consumers() + " receive loops of up to " + cfg.batchSize()
                            + " messages, " + GROUP_THREADS + " group threads")
                    .figure("store calls per delivery", String.format("%.2f loads, %.2f commits",
                            consumerRequests.count("GetItem", "BatchGetItem") / (double) deliveries,
                            consumerRequests.count("PutItem") / (double) deliveries))
                    .figure("servers", servers.describe())
                    .figure("queue and table", env.table() + ".fifo (+ -dlq.fifo), table " + env.table()
                            + " (deleted at the end)");
        }

        @Override
        public void checks(ScenarioReport report, long sent) {
            if (log == null) {
                return;
            }
            report.figure("outcomes", log.counts());
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
            Set<String> actorMessages = log.actorMessagesDecided();
            report.check(Check.of("G3 actor-to-actor messages decided in the order each sender sent them",
                    g3.isEmpty(), g3.isEmpty() ? actorMessages.size() + " messages" : g3.get(0)));
            report.check(Check.of("G2 every actor-to-actor message decided exactly once",
                    actorMessages.size() == sent, actorMessages.size() + " decided of " + sent + " sent"));
            List<String> twice = log.appliedTwice();
            report.check(Check.of("G2 no message applied twice", twice.isEmpty(), "applied twice: " + twice));
            report.check(Check.of("G4 exactly the malformed messages dead-lettered", deadIds.equals(malformed),
                    malformed.size() + " malformed, " + deadIds.size() + " dead letters"
                            + (deadIds.equals(malformed) ? "" : ": malformed " + malformed + ", dead " + deadIds)));
            SqsPoller.Stats s = stats();
            report.check(Check.of("no poller errors", s.receiveErrors() == 0 && s.processErrors() == 0
                    && s.settleErrors() == 0 && s.heartbeatErrors() == 0, s.toString()));
            report.check(Check.of("the poller stopped gracefully", Boolean.TRUE.equals(graceful),
                    graceful == null ? "not stopped" : ""));
        }

        @Override
        public void appendix(ScenarioReport report, long produced, long sent) {
            Map<String, Long> consumer = consumerAtWakes != null ? consumerAtWakes : consumerRequests.snapshot();
            long deliveries = consumerAtWakes != null ? deliveriesAtWakes : deliveries();
            report.appendix("AWS requests per message by API (counted with an SDK ExecutionInterceptor, retries"
                    + " included)\n"
                    + indent(RequestCounter.table("consumer side: SqsPoller + runtime, up to the final wakes",
                    Map.of(), consumer, produced + sent, deliveries))
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
