package io.fifoactors.examples.demo.aws;

import io.fifoactors.core.ActorType;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.OutcomeListener;
import io.fifoactors.dynamodb.DynamoDbStateStore;
import io.fifoactors.sqs.SqsMailbox;
import io.fifoactors.sqs.SqsPoller;
import io.fifoactors.sqs.SqsQueues;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One consumer host as a deployment would wire it: an {@link ActorSystem} over an {@link SqsMailbox} and a
 * {@link DynamoDbStateStore}, with a group executor (daemon threads), run by an {@link SqsPoller}.
 *
 * <pre>{@code
 * try (PollerNode node = PollerNode.builder(sqs, dynamo, queues, table).register(Ledger.ACCOUNT)
 *         .consumers(4).clock(clock).listener(log).build().start()) {
 *     probe.awaitDrained(queues.queueUrl(), Duration.ofSeconds(90));
 * }
 * }</pre>
 *
 * <p>The clients are the caller's and are never closed here. Thread-safe as its parts are; it runs once.
 */
public final class PollerNode implements AutoCloseable {
    private final SqsMailbox mailbox;
    private final DynamoDbStateStore store;
    private final ActorSystem system;
    private final SqsPoller poller;
    private final ExecutorService groups;

    private PollerNode(Builder b) {
        mailbox = SqsMailbox.builder().client(b.sqs).queues(b.queues).build();
        store = DynamoDbStateStore.builder().client(b.dynamo).tableName(b.table).build();
        AtomicInteger n = new AtomicInteger();
        groups = Executors.newFixedThreadPool(b.groupThreads, r -> {
            Thread t = new Thread(r, b.name + "-group-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ActorSystem.Builder sb = ActorSystem.builder().stateStore(store).mailbox(mailbox).clock(b.clock)
                .maxAttempts(b.maxAttempts).groupExecutor(groups).listener(b.listener).recordCache(b.recordCache);
        if (b.runtimeRedrive) {
            sb.runtimeRedrive(b.redriveMaxReceiveCount);
        } else {
            sb.redriveMaxReceiveCount(b.redriveMaxReceiveCount);
        }
        b.types.forEach(sb::register);
        system = sb.build();
        SqsPoller.Builder pb = SqsPoller.builder().name(b.name).system(system).mailbox(mailbox)
                .consumers(b.consumers).maxMessages(b.batchSize).visibilityTimeout(b.visibility).waitTime(b.waitTime)
                .retryDelay(b.retryDelay).clock(b.clock).backoff(Duration.ofMillis(50), Duration.ofSeconds(1));
        if (b.heartbeat != null) {
            pb.heartbeatInterval(b.heartbeat);
        }
        poller = pb.build();
    }

    /** A builder for a node on these clients, queues and table; register at least one actor type. */
    public static Builder builder(SqsClient sqs, DynamoDbClient dynamo, SqsQueues queues, String table) {
        return new Builder(sqs, dynamo, queues, table);
    }

    /** The mailbox the system sends through and the poller receives from. */
    public SqsMailbox mailbox() {
        return mailbox;
    }

    /** The state store. */
    public DynamoDbStateStore store() {
        return store;
    }

    /** The runtime. */
    public ActorSystem system() {
        return system;
    }

    /** The poller (for its {@link SqsPoller#stats()}). */
    public SqsPoller poller() {
        return poller;
    }

    /** Starts the poller's receive loops; returns this. */
    public PollerNode start() {
        poller.start();
        return this;
    }

    /** Stops the poller gracefully (within 15 s) and the group threads; true if everything in flight finished. */
    public boolean stop() {
        try {
            return poller.shutdown(Duration.ofSeconds(15));
        } finally {
            groups.shutdownNow();
        }
    }

    /** {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /** Builds a {@link PollerNode}; not thread-safe. */
    public static final class Builder {
        private final SqsClient sqs;
        private final DynamoDbClient dynamo;
        private final SqsQueues queues;
        private final String table;
        private final List<ActorType<?, ?>> types = new ArrayList<>();
        private String name = "node";
        private Clock clock = Clock.systemUTC();
        private OutcomeListener listener = OutcomeListener.NONE;
        private int maxAttempts = 5;
        private int redriveMaxReceiveCount = 1000;
        private int consumers = 2;
        private int batchSize = 10;
        private int groupThreads = 4;
        private Duration visibility = Duration.ofSeconds(5);
        private Duration waitTime = Duration.ofSeconds(1);
        private Duration retryDelay = Duration.ZERO;
        private Duration heartbeat;
        private int recordCache;
        private boolean runtimeRedrive;

        private Builder(SqsClient sqs, DynamoDbClient dynamo, SqsQueues queues, String table) {
            this.sqs = Objects.requireNonNull(sqs, "sqs");
            this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
            this.queues = Objects.requireNonNull(queues, "queues");
            this.table = Objects.requireNonNull(table, "table");
        }

        /** Registers an actor type with the runtime. */
        /**
         * The queue has no redrive policy: the runtime redrives after {@link #redriveMaxReceiveCount} receives
         * ({@code ActorSystem.Builder.runtimeRedrive}).
         */
        public Builder runtimeRedrive(boolean on) {
            runtimeRedrive = on;
            return this;
        }

        /** {@code ActorSystem.Builder.recordCache}: 0 (default) is off. */
        public Builder recordCache(int maxActors) {
            recordCache = maxActors;
            return this;
        }

        public Builder register(ActorType<?, ?> type) {
            types.add(type);
            return this;
        }

        /** Names the poller and the group threads (default "node"). */
        public Builder name(String n) {
            name = n;
            return this;
        }

        /** The clock of the runtime and the poller (default the system clock). */
        public Builder clock(Clock c) {
            clock = c;
            return this;
        }

        /** Receives every outcome (default none). */
        public Builder listener(OutcomeListener l) {
            listener = l;
            return this;
        }

        /** The runtime's maxAttempts (default 5). */
        public Builder maxAttempts(int n) {
            maxAttempts = n;
            return this;
        }

        /** The runtime's redriveMaxReceiveCount: the queue's maxReceiveCount (default 1000: not set). */
        public Builder redriveMaxReceiveCount(int n) {
            redriveMaxReceiveCount = n;
            return this;
        }

        /** The poller's receive loops (default 2). */
        public Builder consumers(int n) {
            consumers = n;
            return this;
        }

        /** Messages per receive, 1 to 10 (default 10). */
        public Builder batchSize(int n) {
            batchSize = n;
            return this;
        }

        /** Threads running the groups (actors) of a batch concurrently (default 4). */
        public Builder groupThreads(int n) {
            groupThreads = n;
            return this;
        }

        /** The visibility timeout of each receive (default 5 s). */
        public Builder visibility(Duration d) {
            visibility = d;
            return this;
        }

        /** The long-poll wait of each receive (default 1 s; a stop waits for it). */
        public Builder waitTime(Duration d) {
            waitTime = d;
            return this;
        }

        /** The delay before a failed delivery is visible again (default 0). */
        public Builder retryDelay(Duration d) {
            retryDelay = d;
            return this;
        }

        /** The heartbeat interval (default the poller's: a third of the visibility timeout; zero: off). */
        public Builder heartbeat(Duration d) {
            heartbeat = d;
            return this;
        }

        /** A node, not started. */
        public PollerNode build() {
            return new PollerNode(this);
        }
    }
}
