package io.fifoactors.examples.demo.aws;

import io.fifoactors.core.ActorType;
import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.Scheduler;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.MessageKeys;
import io.fifoactors.core.runtime.OutcomeListener;
import io.fifoactors.core.runtime.Poller;
import io.fifoactors.dynamodb.DynamoDbStateStore;
import io.fifoactors.sqs.SqsMailbox;
import io.fifoactors.sqs.SqsQueues;
import io.fifoactors.sqs.SqsScheduler;
import io.fifoactors.sqs.SqsTimerForwarder;
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
 * One consumer host as a deployment would wire it: an {@link ActorSystem} over an {@link SqsMailbox}, a
 * {@link DynamoDbStateStore} and an {@link SqsScheduler} (timers travel through a standard queue), with a group
 * executor (daemon threads), run by a {@link Poller}; and, unless turned off, an {@link SqsTimerForwarder} that moves
 * the due timer firings from the timer queue into the mailbox queue.
 *
 * <pre>{@code
 * try (PollerNode node = PollerNode.builder(sqs, dynamo, env).register(Ledger.ACCOUNT).messageKeys(keys)
 *         .consumers(4).listener(log).build().start()) {
 *     probe.awaitDrained(List.of(env.queues().queueUrl(), env.timerQueueUrl()), Duration.ofSeconds(90));
 * }
 * }</pre>
 *
 * <p>The clients are the caller's and are never closed here. Thread-safe as its parts are; it runs once.
 */
public final class PollerNode implements AutoCloseable {
    private final SqsMailbox mailbox;
    private final DynamoDbStateStore store;
    private final SqsScheduler scheduler;
    private final ActorSystem system;
    private final Poller poller;
    private final SqsTimerForwarder forwarder;
    private final ExecutorService groups;

    private PollerNode(Builder b) {
        mailbox = SqsMailbox.builder().client(b.sqs).queues(b.queues).build();
        store = DynamoDbStateStore.builder().client(b.dynamo).tableName(b.table).build();
        scheduler = SqsScheduler.builder().client(b.sqs).timerQueueUrl(b.timerQueueUrl).clock(b.clock).build();
        Mailbox m = b.tap == null ? mailbox : b.tap.mailbox(mailbox);
        Scheduler s = b.tap == null ? scheduler : b.tap.scheduler(scheduler);
        AtomicInteger n = new AtomicInteger();
        groups = Executors.newFixedThreadPool(b.groupThreads, r -> {
            Thread t = new Thread(r, b.name + "-group-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ActorSystem.Builder sb = ActorSystem.builder().stateStore(store).mailbox(m).scheduler(s).clock(b.clock)
                .messageKeys(b.keys).maxAttempts(b.maxAttempts).groupExecutor(groups).listener(b.listener)
                .recordCache(b.recordCache);
        b.types.forEach(sb::register);
        system = sb.build();
        Poller.Builder pb = Poller.builder().name(b.name).system(system)
                .consumers(b.consumers).maxMessages(b.batchSize).visibilityTimeout(b.visibility).waitTime(b.waitTime)
                .retryDelay(b.retryDelay).clock(b.clock).backoff(Duration.ofMillis(50), Duration.ofSeconds(1));
        if (b.heartbeat != null) {
            pb.heartbeatInterval(b.heartbeat);
        }
        poller = pb.build();
        forwarder = !b.forwardTimers ? null : SqsTimerForwarder.builder().client(b.sqs)
                .timerQueueUrl(b.timerQueueUrl).mailboxQueueUrl(b.queues.queueUrl()).clock(b.clock)
                .waitTime(b.waitTime).backoff(Duration.ofMillis(50), Duration.ofSeconds(1)).build();
    }

    /**
     * A builder for a node on these clients, queues and table; register at least one actor type, give the message
     * keys and the timer queue ({@link Builder#timerQueueUrl}).
     */
    public static Builder builder(SqsClient sqs, DynamoDbClient dynamo, SqsQueues queues, String table) {
        return new Builder(sqs, dynamo, queues, table);
    }

    /** A builder for a node on these clients and the queues, timer queue and table of {@code env}. */
    public static Builder builder(SqsClient sqs, DynamoDbClient dynamo, AwsServers.Env env) {
        return new Builder(sqs, dynamo, env.queues(), env.table()).timerQueueUrl(env.timerQueueUrl());
    }

    /** The mailbox the system sends through and the poller receives from. */
    public SqsMailbox mailbox() {
        return mailbox;
    }

    /** The state store. */
    public DynamoDbStateStore store() {
        return store;
    }

    /** The scheduler the system sets timers (and deferral deadlines) with. */
    public SqsScheduler scheduler() {
        return scheduler;
    }

    /** The runtime. */
    public ActorSystem system() {
        return system;
    }

    /** The poller (for its {@link Poller#stats()}). */
    public Poller poller() {
        return poller;
    }

    /** The timer forwarder, or null if this node does not forward timers. */
    public SqsTimerForwarder forwarder() {
        return forwarder;
    }

    /** Starts the timer forwarder and the poller's receive loops; returns this. */
    public PollerNode start() {
        if (forwarder != null) {
            forwarder.start();
        }
        poller.start();
        return this;
    }

    /**
     * Stops the poller gracefully (within 15 s), then the timer forwarder and the group threads; true if everything
     * in flight finished.
     */
    public boolean stop() {
        try {
            boolean graceful = poller.shutdown(Duration.ofSeconds(15));
            return forwarder == null ? graceful : forwarder.shutdown(Duration.ofSeconds(15)) && graceful;
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
        private String timerQueueUrl;
        private MessageKeys keys;
        private String name = "node";
        private Clock clock = Clock.systemUTC();
        private OutcomeListener listener = OutcomeListener.NONE;
        private MailboxTap tap;
        private boolean forwardTimers = true;
        private int maxAttempts = 5;
        private int consumers = 2;
        private int batchSize = 10;
        private int groupThreads = 4;
        private Duration visibility = Duration.ofSeconds(5);
        private Duration waitTime = Duration.ofSeconds(1);
        private Duration retryDelay = Duration.ZERO;
        private Duration heartbeat;
        private int recordCache;

        private Builder(SqsClient sqs, DynamoDbClient dynamo, SqsQueues queues, String table) {
            this.sqs = Objects.requireNonNull(sqs, "sqs");
            this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
            this.queues = Objects.requireNonNull(queues, "queues");
            this.table = Objects.requireNonNull(table, "table");
        }

        /** Registers an actor type with the runtime. */
        public Builder register(ActorType<?, ?> type) {
            types.add(type);
            return this;
        }

        /** The standard queue timers travel through (required; see {@code SqsQueueProvisioner.provisionTimerQueue}). */
        public Builder timerQueueUrl(String url) {
            timerQueueUrl = url;
            return this;
        }

        /** The keys that authenticate the runtime's own messages (required; every party of the queue shares them). */
        public Builder messageKeys(MessageKeys k) {
            keys = k;
            return this;
        }

        /** Whether this node runs a timer forwarder (default true; with several nodes, one is enough). */
        public Builder forwardTimers(boolean on) {
            forwardTimers = on;
            return this;
        }

        /** Watches the runtime's mailbox and scheduler (timer firing delays, actor-to-actor messages sent). */
        public Builder tap(MailboxTap t) {
            tap = t;
            return this;
        }

        /** {@code ActorSystem.Builder.recordCache}: 0 (default) is off. */
        public Builder recordCache(int maxActors) {
            recordCache = maxActors;
            return this;
        }

        /** Names the poller and the group threads (default "node"). */
        public Builder name(String n) {
            name = n;
            return this;
        }

        /** The clock of the runtime, the poller, the scheduler and the forwarder (default the system clock). */
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

        /** The long-poll wait of each receive, the poller's and the forwarder's (default 1 s; a stop waits for it). */
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

        /**
         * A node, not started.
         *
         * @throws ConfigurationException if no actor type, no message keys or no timer queue was given
         */
        public PollerNode build() {
            if (types.isEmpty() || keys == null || timerQueueUrl == null) {
                throw new ConfigurationException("PollerNode needs register(type), messageKeys(keys) and"
                        + " timerQueueUrl(url) (or builder(sqs, dynamo, env))");
            }
            return new PollerNode(this);
        }
    }
}
