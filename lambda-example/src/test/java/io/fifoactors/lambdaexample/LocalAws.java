package io.fifoactors.lambdaexample;

import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.MessageKeys;
import io.fifoactors.dynamodb.DynamoDbStateStore;
import io.fifoactors.dynamodb.DynamoDbTableProvisioner;
import io.fifoactors.lambda.LambdaSettings;
import io.fifoactors.localaws.DynaliteServer;
import io.fifoactors.localaws.ElasticMqServer;
import io.fifoactors.sqs.SqsMailbox;
import io.fifoactors.sqs.SqsQueueProvisioner;
import io.fifoactors.sqs.SqsQueues;
import io.fifoactors.sqs.SqsScheduler;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ElasticMQ and dynalite with the example's queues (the FIFO mailbox and its dead-letter queue without a redrive
 * policy, as the template deploys them by default, and the standard timer queue) and table, the functions'
 * environment for them, and a producer's view (an actor system over the same queues and table, holding the same
 * message keys) for ingress and inspection.
 */
final class LocalAws implements AutoCloseable {
    static final int MAX_ATTEMPTS = 3;
    /** The message keys of the functions and the producer, in FA_MESSAGE_KEYS form. */
    static final String KEYS = "test:" + Base64.getEncoder().encodeToString(new byte[32]);

    final ElasticMqServer sqsServer;
    final DynaliteServer dynamoServer;
    final SqsClient sqs;
    final DynamoDbClient dynamo;
    final SqsQueues queues;
    final String timerQueueUrl;
    final String timerQueueArn;
    final String table;
    final ActorSystem producer;

    private LocalAws(String name) {
        ElasticMqServer s = null;
        DynaliteServer d = null;
        try {
            s = ElasticMqServer.start();
            d = DynaliteServer.start();
        } catch (RuntimeException e) {
            if (s != null) {
                s.close();
            }
            throw e;
        }
        this.sqsServer = s;
        this.dynamoServer = d;
        this.sqs = s.newClient();
        this.dynamo = d.newClient();
        SqsQueueProvisioner provisioner = SqsQueueProvisioner.builder().client(sqs)
                .visibilityTimeout(Duration.ofSeconds(180)).build();
        this.queues = provisioner.provision(name);
        this.timerQueueUrl = provisioner.provisionTimerQueue(name);
        this.timerQueueArn = sqs.getQueueAttributes(b -> b.queueUrl(timerQueueUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        this.table = name + "-actors";
        DynamoDbTableProvisioner.builder().client(dynamo).build().ensureTable(table);
        this.producer = ActorSystem.builder()
                .register(Reminders.TYPE)
                .register(TestActors.ACCOUNT)
                .register(TestActors.FAULTY)
                .mailbox(SqsMailbox.builder().client(sqs).queues(queues).build())
                .scheduler(SqsScheduler.builder().client(sqs).timerQueueUrl(timerQueueUrl).build())
                .stateStore(DynamoDbStateStore.builder().client(dynamo).tableName(table).build())
                .messageKeys(MessageKeys.parse(KEYS))
                .build();
    }

    static LocalAws start(String name) {
        return new LocalAws(name);
    }

    /** The environment the packaged actor function needs here, with {@link ExampleWiring}. */
    Map<String, String> functionEnv() {
        Map<String, String> env = new HashMap<>();
        env.put(LambdaSettings.WIRING, ExampleWiring.class.getName());
        env.put(LambdaSettings.QUEUE_URL, queues.queueUrl());
        env.put(LambdaSettings.DEAD_LETTER_QUEUE_URL, queues.deadLetterQueueUrl());
        env.put(LambdaSettings.TIMER_QUEUE_URL, timerQueueUrl);
        env.put(LambdaSettings.TABLE_NAME, table);
        env.put(LambdaSettings.MAX_ATTEMPTS, Integer.toString(MAX_ATTEMPTS));
        env.put(LambdaSettings.MESSAGE_KEYS, KEYS);
        env.put(ExampleWiring.SQS_ENDPOINT, sqsServer.endpoint().toString());
        env.put(ExampleWiring.DYNAMODB_ENDPOINT, dynamoServer.endpoint().toString());
        return env;
    }

    /** The environment the packaged timer function needs here: no table, no keys. */
    Map<String, String> timerFunctionEnv() {
        Map<String, String> env = new HashMap<>();
        env.put(LambdaSettings.WIRING, ExampleWiring.class.getName());
        env.put(LambdaSettings.QUEUE_URL, queues.queueUrl());
        env.put(LambdaSettings.TIMER_QUEUE_URL, timerQueueUrl);
        env.put(ExampleWiring.SQS_ENDPOINT, sqsServer.endpoint().toString());
        return env;
    }

    /** Receives from the mailbox until {@code n} messages are in flight (or 20 polls went by). */
    List<Message> receive(int n) {
        List<Message> got = new ArrayList<>();
        for (int polls = 0; got.size() < n && polls < 20; polls++) {
            got.addAll(EsmEvents.receive(sqs, queues.queueUrl(), Math.min(10, n - got.size()), 60, 1));
        }
        if (got.size() != n) {
            throw new AssertionError("expected " + n + " messages, received " + got.size());
        }
        return got;
    }

    /** Deletes the mailbox messages not reported as failed, as Lambda does after a partial batch response. */
    void settle(List<Message> batch, List<String> failedMessageIds) {
        settle(queues.queueUrl(), batch, failedMessageIds);
    }

    /** Deletes the messages not reported as failed; the failed ones become visible again at once. */
    void settle(String queueUrl, List<Message> batch, List<String> failedMessageIds) {
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
        List<DeleteMessageBatchRequestEntry> release = new ArrayList<>();
        for (Message m : batch) {
            DeleteMessageBatchRequestEntry e = DeleteMessageBatchRequestEntry.builder()
                    .id(Integer.toString(entries.size() + release.size())).receiptHandle(m.receiptHandle()).build();
            (failedMessageIds.contains(m.messageId()) ? release : entries).add(e);
        }
        if (!entries.isEmpty()) {
            sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
        }
        for (DeleteMessageBatchRequestEntry e : release) {
            // a short visibility timeout: the failed messages come back at once
            sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(e.receiptHandle())
                    .visibilityTimeout(0));
        }
    }

    /** Messages in the mailbox, visible or in flight. */
    int queued() {
        return queued(queues.queueUrl());
    }

    /** Messages in a queue, visible, in flight or delayed. */
    int queued(String queueUrl) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return Integer.parseInt(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
                + Integer.parseInt(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"))
                + Integer.parseInt(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, "0"));
    }

    @Override
    public void close() {
        try {
            dynamoServer.close();
        } finally {
            sqsServer.close();
        }
    }
}
