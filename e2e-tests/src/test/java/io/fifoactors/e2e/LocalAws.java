package io.fifoactors.e2e;

import io.fifoactors.dynamodb.DynamoDbTableProvisioner;
import io.fifoactors.localaws.DynaliteServer;
import io.fifoactors.localaws.ElasticMqServer;
import io.fifoactors.sqs.SqsQueueProvisioner;
import io.fifoactors.sqs.SqsQueues;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two local servers of a test class: ElasticMQ embedded in this JVM and dynalite as a child process, with plain
 * "admin" clients (not counted, used for set-up, drain checks and reading dead letters). Every {@link #fresh} call
 * provisions a new pair of FIFO queues and a new table, so tests never share state.
 */
final class LocalAws implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    final ElasticMqServer sqsServer;
    final DynaliteServer dynamoServer;
    final SqsClient sqs;
    final DynamoDbClient dynamo;

    /** A provisioned queue pair and table. */
    record Env(SqsQueues queues, String table, int maxReceiveCount) {
    }

    private LocalAws(ElasticMqServer sqsServer, DynaliteServer dynamoServer) {
        this.sqsServer = sqsServer;
        this.dynamoServer = dynamoServer;
        this.sqs = Clients.sqs(sqsServer.endpoint());
        this.dynamo = Clients.dynamo(dynamoServer.endpoint());
    }

    static LocalAws start() {
        ElasticMqServer sqs = ElasticMqServer.start();
        try {
            return new LocalAws(sqs, DynaliteServer.start());
        } catch (RuntimeException e) {
            sqs.close();
            throw e;
        }
    }

    Env fresh(String name, int maxReceiveCount, Duration queueVisibility) {
        String base = name + "-" + COUNTER.incrementAndGet() + "-" + Long.toString(System.nanoTime(), 36);
        SqsQueues queues = SqsQueueProvisioner.builder().client(sqs).maxReceiveCount(maxReceiveCount)
                .visibilityTimeout(queueVisibility).build().provision(base);
        DynamoDbTableProvisioner.builder().client(dynamo).build().ensureTable(base);
        return new Env(queues, base, maxReceiveCount);
    }

    @Override
    public void close() {
        try {
            sqs.close();
            dynamo.close();
        } finally {
            try {
                sqsServer.close();
            } finally {
                dynamoServer.close();
            }
        }
    }
}
