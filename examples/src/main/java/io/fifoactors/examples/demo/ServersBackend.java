package io.fifoactors.examples.demo;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.ActorSystem;
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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Real mode: an {@link SqsPoller} running the runtime over an {@link SqsMailbox} and a {@link DynamoDbStateStore},
 * on the servers of an {@link AwsServers} (ElasticMQ and dynalite, or given endpoints), with a fresh FIFO queue pair
 * and table per scenario (deleted at the end). Every request of the consumer (poller and runtime) and of the producer
 * (ingress) is counted by API with a {@link RequestCounter}; set-up, drain checks, the final wakes and reading the
 * results go through uncounted admin clients. The runtime's clock is an {@link OffsetClock}, so the scenario can let
 * every deferral deadline pass at the end.
 */
final class ServersBackend implements Backend {
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

    private final AwsServers servers;

    ServersBackend(AwsServers servers) {
        this.servers = servers;
    }

    @Override
    public Run open(String scenario, ActorType<?, ?> type, ScenarioConfig cfg) {
        return new ServersRun(servers, scenario, type, cfg);
    }

    private static final class ServersRun implements Run {
        private final AwsServers servers;
        private final ScenarioConfig cfg;
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
        private Map<String, Long> consumerAtWakes;
        private long deliveriesAtWakes;
        private boolean drained = true;
        private long left;
        private Boolean graceful;
        private SqsPoller.Stats stats;

        ServersRun(AwsServers servers, String scenario, ActorType<?, ?> type, ScenarioConfig cfg) {
            this.servers = servers;
            this.cfg = cfg;
            this.env = servers.fresh("fifo-actors-demo-" + scenario, MAX_RECEIVE_COUNT, VISIBILITY);
            this.probe = new QueueProbe(servers.sqs());
            this.consumerSqs = servers.newSqsClient(consumerRequests);
            this.consumerDynamo = servers.newDynamoClient(consumerRequests);
            this.producerSqs = servers.newSqsClient(producerRequests);
            DynamoDbStateStore adminStore = DynamoDbStateStore.builder().client(servers.dynamo())
                    .tableName(env.table()).build();
            OutcomeListener count = o -> {
                synchronized (outcomes) {
                    outcomes.merge(o.kind(), 1L, Long::sum);
                }
            };
            this.node = PollerNode.builder(consumerSqs, consumerDynamo, env.queues(), env.table())
                    .name(scenario).register(type).clock(clock).listener(count)
                    .consumers(cfg.consumers()).batchSize(cfg.batchSize()).groupThreads(GROUP_THREADS)
                    .maxAttempts(MAX_ATTEMPTS).redriveMaxReceiveCount(MAX_RECEIVE_COUNT)
                    .visibility(VISIBILITY).waitTime(Duration.ofSeconds(1))
                    .build();
            this.producer = ActorSystem.builder().register(type)
                    .mailbox(SqsMailbox.builder().client(producerSqs).queues(env.queues()).build())
                    .stateStore(adminStore).build();
            this.admin = ActorSystem.builder().register(type)
                    .mailbox(SqsMailbox.builder().client(servers.sqs()).queues(env.queues()).build())
                    .stateStore(adminStore).build();
            node.start();
        }

        @Override
        public ActorSystem producer() {
            return producer;
        }

        @Override
        public void sendRaw(List<OutgoingMessage> messages) {
            producer.mailbox().send(messages);
        }

        @Override
        public void settle() {
            if (drained) { // after one time-out, do not wait again before the end
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
            return probe.takeDeadLetters(env.queues().deadLetterQueueUrl(), expected, DEAD_LETTER_TIMEOUT).stream()
                    .map(QueueProbe.Dead::toDeadLetter).toList();
        }

        private void stop() {
            if (graceful == null) {
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
