package io.fifoactors.e2e;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One consumer host as a deployment would wire it: an {@link ActorSystem} over an {@link SqsMailbox} and a
 * {@link DynamoDbStateStore}, with a group executor, run by an {@link SqsPoller}. Used by the tests and by
 * {@link ConsumerMain} in child JVMs.
 */
final class Node implements AutoCloseable {
    final SqsMailbox mailbox;
    final DynamoDbStateStore store;
    final ActorSystem system;
    final SqsPoller poller;
    private final ExecutorService groups;

    private Node(Builder b) {
        mailbox = SqsMailbox.builder().client(b.sqs).queues(b.queues).build();
        store = DynamoDbStateStore.builder().client(b.dynamo).tableName(b.table).build();
        AtomicInteger n = new AtomicInteger();
        groups = Executors.newFixedThreadPool(b.groupThreads, r -> {
            Thread t = new Thread(r, b.name + "-group-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ActorSystem.Builder sb = ActorSystem.builder().stateStore(store).mailbox(mailbox).clock(b.clock)
                .maxAttempts(b.maxAttempts).redriveMaxReceiveCount(b.redriveMaxReceiveCount)
                .groupExecutor(groups).listener(b.listener);
        b.types.forEach(sb::register);
        system = sb.build();
        SqsPoller.Builder pb = SqsPoller.builder().name(b.name).system(system).mailbox(mailbox)
                .consumers(b.consumers).maxMessages(10).visibilityTimeout(b.visibility).waitTime(b.waitTime)
                .retryDelay(b.retryDelay).clock(b.clock).backoff(Duration.ofMillis(50), Duration.ofSeconds(1));
        if (b.heartbeat != null) {
            pb.heartbeatInterval(b.heartbeat);
        }
        poller = pb.build();
    }

    static Builder builder(SqsClient sqs, DynamoDbClient dynamo, SqsQueues queues, String table) {
        return new Builder(sqs, dynamo, queues, table);
    }

    Node start() {
        poller.start();
        return this;
    }

    /** Stops the poller gracefully; true if everything in flight finished. */
    boolean stop() {
        try {
            return poller.shutdown(Duration.ofSeconds(15));
        } finally {
            groups.shutdownNow();
        }
    }

    @Override
    public void close() {
        stop();
    }

    static final class Builder {
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
        private int groupThreads = 4;
        private Duration visibility = Duration.ofSeconds(5);
        private Duration waitTime = Duration.ofSeconds(1);
        private Duration retryDelay = Duration.ZERO;
        private Duration heartbeat;

        private Builder(SqsClient sqs, DynamoDbClient dynamo, SqsQueues queues, String table) {
            this.sqs = sqs;
            this.dynamo = dynamo;
            this.queues = queues;
            this.table = table;
        }

        Builder register(ActorType<?, ?> type) {
            types.add(type);
            return this;
        }

        Builder name(String n) {
            name = n;
            return this;
        }

        Builder clock(Clock c) {
            clock = c;
            return this;
        }

        Builder listener(OutcomeListener l) {
            listener = l;
            return this;
        }

        Builder maxAttempts(int n) {
            maxAttempts = n;
            return this;
        }

        Builder redriveMaxReceiveCount(int n) {
            redriveMaxReceiveCount = n;
            return this;
        }

        Builder consumers(int n) {
            consumers = n;
            return this;
        }

        Builder groupThreads(int n) {
            groupThreads = n;
            return this;
        }

        Builder visibility(Duration d) {
            visibility = d;
            return this;
        }

        Builder waitTime(Duration d) {
            waitTime = d;
            return this;
        }

        Builder retryDelay(Duration d) {
            retryDelay = d;
            return this;
        }

        Builder heartbeat(Duration d) {
            heartbeat = d;
            return this;
        }

        Node build() {
            return new Node(this);
        }
    }
}
