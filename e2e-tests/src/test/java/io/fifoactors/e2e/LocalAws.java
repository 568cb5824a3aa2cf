package io.fifoactors.e2e;

import io.fifoactors.core.ActorType;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.MessageKeys;
import io.fifoactors.dynamodb.DynamoDbStateStore;
import io.fifoactors.dynamodb.DynamoDbTableProvisioner;
import io.fifoactors.localaws.DynaliteServer;
import io.fifoactors.localaws.ElasticMqServer;
import io.fifoactors.sqs.SqsMailbox;
import io.fifoactors.sqs.SqsQueueProvisioner;
import io.fifoactors.sqs.SqsQueues;
import io.fifoactors.sqs.SqsScheduler;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local servers of one test class: an embedded ElasticMQ and a dynalite child process (or a dynalite the test
 * restarts itself, see {@link RestartableDynalite}), clients for them, and fresh queues and tables per test.
 */
final class LocalAws implements AutoCloseable {
    /** The keys every system of the tests shares (a fixed test key, so that child JVMs hold it too). */
    static final String KEYS = "e2e:" + java.util.Base64.getEncoder().encodeToString(
            "fifo-actors end-to-end test key, 32+ bytes long".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final ElasticMqServer elasticMq;
    private final DynaliteServer dynalite;
    private final URI dynamoEndpoint;
    private final SqsClient sqs;
    private final DynamoDbClient dynamo;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    private LocalAws(ElasticMqServer elasticMq, DynaliteServer dynalite, URI dynamoEndpoint) {
        this.elasticMq = elasticMq;
        this.dynalite = dynalite;
        this.dynamoEndpoint = dynamoEndpoint;
        this.sqs = sqsClient(elasticMq.endpoint());
        this.dynamo = dynamoClient(dynamoEndpoint);
    }

    /** ElasticMQ and a dynalite of its own. */
    static LocalAws start() {
        ElasticMqServer mq = ElasticMqServer.start();
        DynaliteServer dyn;
        try {
            dyn = DynaliteServer.start();
        } catch (RuntimeException e) {
            mq.close();
            throw e;
        }
        return new LocalAws(mq, dyn, dyn.endpoint());
    }

    /** ElasticMQ and the given DynamoDB endpoint (a dynalite the caller runs). */
    static LocalAws withDynamo(URI dynamoEndpoint) {
        return new LocalAws(ElasticMqServer.start(), null, dynamoEndpoint);
    }

    static MessageKeys keys() {
        return MessageKeys.parse(KEYS);
    }

    URI sqsEndpoint() {
        return elasticMq.endpoint();
    }

    URI dynamoEndpoint() {
        return dynamoEndpoint;
    }

    /** The test's own SQS client, straight to ElasticMQ. */
    SqsClient sqs() {
        return sqs;
    }

    /** The test's own DynamoDB client. */
    DynamoDbClient dynamo() {
        return dynamo;
    }

    /** A new SQS client for {@code endpoint} (for example a proxy), closed with this object. */
    SqsClient newSqsClient(URI endpoint) {
        SqsClient c = sqsClient(endpoint);
        closeables.add(c);
        return c;
    }

    /** A new DynamoDB client for {@code endpoint}, closed with this object. */
    DynamoDbClient newDynamoClient(URI endpoint) {
        DynamoDbClient c = dynamoClient(endpoint);
        closeables.add(c);
        return c;
    }

    static SqsClient sqsClient(URI endpoint) {
        return SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(30)))
                .build();
    }

    static DynamoDbClient dynamoClient(URI endpoint) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(10)))
                .build();
    }

    /**
     * The queues (mailbox, dead letters, timers) and table of one test.
     *
     * @param maxReceiveCount the queue's redrive policy, or empty for none (the runtime redrives)
     */
    record Env(String name, SqsQueues queues, String timerQueueUrl, String table, OptionalInt maxReceiveCount) {
        String redriveText() {
            return maxReceiveCount.isPresent() ? "queue redrive after " + maxReceiveCount.getAsInt() + " receives"
                    : "no redrive policy (runtime redrive)";
        }
    }

    /** Fresh queues and a fresh table; {@code maxReceiveCount} empty: no redrive policy. */
    Env fresh(String name, OptionalInt maxReceiveCount, Duration visibility) {
        String base = name + "-" + COUNTER.incrementAndGet();
        SqsQueueProvisioner.Builder p = SqsQueueProvisioner.builder().client(sqs).visibilityTimeout(visibility);
        maxReceiveCount.ifPresent(p::maxReceiveCount);
        SqsQueueProvisioner provisioner = p.build();
        SqsQueues queues = provisioner.provision(base);
        String timers = provisioner.provisionTimerQueue(base);
        String table = "e2e-" + base;
        DynamoDbTableProvisioner.builder().client(dynamo).build().ensure(table);
        return new Env(base, queues, timers, table, maxReceiveCount);
    }

    /** How many messages the queue holds, visible or in flight (ElasticMQ's approximate counts are exact). */
    int messagesIn(String queueUrl) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return a.values().stream().mapToInt(Integer::parseInt).sum();
    }

    /**
     * A system on {@code env} through the given clients (the consumers' own, possibly behind a proxy), with the
     * shared keys; the caller adds a listener and settings.
     */
    static ActorSystem.Builder system(Env env, SqsClient sqs, DynamoDbClient dynamo, ActorType<?, ?>... types) {
        ActorSystem.Builder b = ActorSystem.builder()
                .mailbox(SqsMailbox.builder().client(sqs).queues(env.queues()).build())
                .stateStore(DynamoDbStateStore.builder().client(dynamo).tableName(env.table()).build())
                .scheduler(SqsScheduler.builder().client(sqs).timerQueueUrl(env.timerQueueUrl()).build())
                .messageKeys(keys())
                // the checks compare every account's rejections with the oracle's: keep them (the default keeps none
                // and does not write a bare rejection at all)
                .keptRejections(16);
        for (ActorType<?, ?> t : types) {
            b.register(t);
        }
        return b;
    }

    /** A system on {@code env} through the test's own clients. */
    ActorSystem.Builder system(Env env, ActorType<?, ?>... types) {
        return system(env, sqs, dynamo, types);
    }

    @Override
    public void close() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing at the end of a test class
            }
        }
        sqs.close();
        dynamo.close();
        elasticMq.close();
        if (dynalite != null) {
            dynalite.close();
        }
    }
}
