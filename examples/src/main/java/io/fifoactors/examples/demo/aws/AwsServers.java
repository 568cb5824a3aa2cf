package io.fifoactors.examples.demo.aws;

import io.fifoactors.dynamodb.DynamoDbTableProvisioner;
import io.fifoactors.localaws.DynaliteServer;
import io.fifoactors.localaws.ElasticMqServer;
import io.fifoactors.sqs.SqsQueueProvisioner;
import io.fifoactors.sqs.SqsQueues;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The SQS and DynamoDB endpoints a run on real servers talks to: an embedded ElasticMQ and a dynalite child process
 * started here (see {@code local-servers}), or endpoints given by the caller (LocalStack, AWS, servers started
 * elsewhere), or one of each. It keeps plain "admin" clients (not counted; for set-up, drain checks, reading dead
 * letters and inspecting records), makes further clients with the same credentials and region, and provisions a new
 * FIFO queue pair, timer queue and table per {@link #fresh} call, so runs never share state.
 *
 * <pre>{@code
 * try (AwsServers aws = AwsServers.start()) {                       // ElasticMQ + dynalite (needs node and npm)
 *     AwsServers.Env env = aws.fresh("ledger", 15, Duration.ofSeconds(30));
 *     SqsClient counted = aws.newSqsClient(requestCounter);
 *     ...
 * }
 * }</pre>
 *
 * <p>{@link #close()} closes the admin clients and stops the servers started here (their queues and tables go with
 * them); it leaves given endpoints alone. Thread-safe.
 */
public final class AwsServers implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final ElasticMqServer elasticMq;
    private final DynaliteServer dynalite;
    private final URI sqsEndpoint;
    private final URI dynamoEndpoint;
    private final AwsCredentialsProvider credentials;
    private final Region region;
    private final SqsClient sqs;
    private final DynamoDbClient dynamo;

    /**
     * A provisioned FIFO queue pair and table.
     *
     * @param queues          the queue and its dead-letter queue
     * @param table           the table name
     * @param maxReceiveCount the queue's redrive maxReceiveCount (0: the queue has no redrive policy, the runtime
     *                        dead-letters)
     * @param timerQueueUrl   the standard queue that carries timer firings ({@code SqsScheduler},
     *                        {@code SqsTimerForwarder})
     */
    public record Env(SqsQueues queues, String table, int maxReceiveCount, String timerQueueUrl) {
    }

    private AwsServers(ElasticMqServer elasticMq, DynaliteServer dynalite, URI sqsEndpoint, URI dynamoEndpoint,
                       AwsCredentialsProvider credentials, Region region) {
        this.elasticMq = elasticMq;
        this.dynalite = dynalite;
        this.sqsEndpoint = sqsEndpoint;
        this.dynamoEndpoint = dynamoEndpoint;
        this.credentials = credentials;
        this.region = region;
        this.sqs = AwsClients.sqs(sqsEndpoint, credentials, region);
        this.dynamo = AwsClients.dynamo(dynamoEndpoint, credentials, region);
    }

    /**
     * Starts an embedded ElasticMQ and a dynalite child process; clients use dummy credentials.
     *
     * @throws IllegalStateException if a server does not start (for dynalite: node or npm missing, install failed)
     */
    public static AwsServers start() {
        return connect(null, null, AwsClients.dummyCredentials(), AwsClients.DEFAULT_REGION);
    }

    /**
     * Uses the given endpoints and starts a local server for each one that is null.
     *
     * @param sqsEndpoint    an SQS endpoint, or null to start an embedded ElasticMQ
     * @param dynamoEndpoint a DynamoDB endpoint, or null to start dynalite
     * @param credentials    the credentials of every client (local servers accept any)
     * @param region         the region of every client (it signs requests)
     * @throws IllegalStateException if a server does not start
     */
    public static AwsServers connect(URI sqsEndpoint, URI dynamoEndpoint, AwsCredentialsProvider credentials,
                                     Region region) {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(region, "region");
        ElasticMqServer elasticMq = sqsEndpoint == null ? ElasticMqServer.start() : null;
        DynaliteServer dynalite = null;
        try {
            dynalite = dynamoEndpoint == null ? DynaliteServer.start() : null;
            return new AwsServers(elasticMq, dynalite, elasticMq != null ? elasticMq.endpoint() : sqsEndpoint,
                    dynalite != null ? dynalite.endpoint() : dynamoEndpoint, credentials, region);
        } catch (RuntimeException e) {
            stopQuietly(elasticMq, dynalite);
            throw e;
        }
    }

    /** The SQS endpoint. */
    public URI sqsEndpoint() {
        return sqsEndpoint;
    }

    /** The DynamoDB endpoint. */
    public URI dynamoEndpoint() {
        return dynamoEndpoint;
    }

    /** The admin SQS client (requests not counted); closed by {@link #close()}. */
    public SqsClient sqs() {
        return sqs;
    }

    /** The admin DynamoDB client (requests not counted); closed by {@link #close()}. */
    public DynamoDbClient dynamo() {
        return dynamo;
    }

    /** A new SQS client for the endpoint, with these interceptors; the caller closes it. */
    public SqsClient newSqsClient(ExecutionInterceptor... interceptors) {
        return AwsClients.sqs(sqsEndpoint, credentials, region, interceptors);
    }

    /** A new DynamoDB client for the endpoint, with these interceptors; the caller closes it. */
    public DynamoDbClient newDynamoClient(ExecutionInterceptor... interceptors) {
        return AwsClients.dynamo(dynamoEndpoint, credentials, region, interceptors);
    }

    /** Where SQS and DynamoDB are, for people: which server, which endpoint. */
    public String describe() {
        return (elasticMq != null ? "ElasticMQ (embedded) at " : "SQS at ") + sqsEndpoint + ", "
                + (dynalite != null ? "dynalite (child process) at " : "DynamoDB at ") + dynamoEndpoint;
    }

    /**
     * Provisions a new FIFO queue {@code <name>-<unique>.fifo} with its dead-letter queue and a redrive policy, its
     * standard timer queue {@code <name>-<unique>-timers}, and a table of the same name.
     *
     * @param name            a prefix: letters, digits, '-' and '_', short enough to leave room for the suffix
     * @param maxReceiveCount the queue's redrive maxReceiveCount
     * @param visibility      the queue's default visibility timeout
     */
    public Env fresh(String name, int maxReceiveCount, Duration visibility) {
        return fresh(name, maxReceiveCount, visibility, true);
    }

    /**
     * Like {@link #fresh(String, int, Duration)}; {@code queueRedrives} false: the queue has no redrive policy (the
     * runtime then dead-letters by itself, with reasons, and {@code maxReceiveCount} is not used: the env says 0).
     */
    public Env fresh(String name, int maxReceiveCount, Duration visibility, boolean queueRedrives) {
        String base = name + "-" + COUNTER.incrementAndGet() + "-" + Long.toString(System.currentTimeMillis(), 36)
                + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
        SqsQueueProvisioner.Builder b = SqsQueueProvisioner.builder().client(sqs).maxReceiveCount(maxReceiveCount)
                .visibilityTimeout(visibility);
        if (!queueRedrives) {
            b.noRedrive();
        }
        SqsQueueProvisioner provisioner = b.build();
        SqsQueues queues = provisioner.provision(base);
        String timers = provisioner.provisionTimerQueue(base);
        DynamoDbTableProvisioner.builder().client(dynamo).build().ensureTable(base);
        return new Env(queues, base, queueRedrives ? maxReceiveCount : 0, timers);
    }

    /** Deletes the queues (the timer queue too) and the table of {@code env}. */
    public void delete(Env env) {
        try {
            SqsQueueProvisioner p = SqsQueueProvisioner.builder().client(sqs).build();
            try {
                p.delete(env.queues());
            } finally {
                p.deleteQueue(env.timerQueueUrl());
            }
        } finally {
            DynamoDbTableProvisioner.builder().client(dynamo).build().deleteTableIfPresent(env.table());
        }
    }

    /** Closes the admin clients and stops the servers started here. Idempotent. */
    @Override
    public void close() {
        try {
            sqs.close();
            dynamo.close();
        } finally {
            stopQuietly(elasticMq, dynalite);
        }
    }

    private static void stopQuietly(ElasticMqServer elasticMq, DynaliteServer dynalite) {
        try {
            if (elasticMq != null) {
                elasticMq.close();
            }
        } finally {
            if (dynalite != null) {
                dynalite.close();
            }
        }
    }
}
