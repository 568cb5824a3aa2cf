package io.fifoactors.lambdaexample;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.dynamodb.DynamoDbStateStore;
import io.fifoactors.dynamodb.DynamoDbTableProvisioner;
import io.fifoactors.examples.ledger.Account;
import io.fifoactors.examples.ledger.Ledger;
import io.fifoactors.lambda.LambdaSettings;
import io.fifoactors.localaws.DynaliteServer;
import io.fifoactors.localaws.ElasticMqServer;
import io.fifoactors.sqs.SqsMailbox;
import io.fifoactors.sqs.SqsQueueProvisioner;
import io.fifoactors.sqs.SqsQueues;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ElasticMQ and dynalite with the ledger's queues and table, the function's environment for them, and a producer's
 * view of the ledger (an actor system over the same queue and table) for ingress and inspection.
 */
final class LocalAws implements AutoCloseable {
    static final int MAX_ATTEMPTS = 3;
    static final int MAX_RECEIVE_COUNT = 3 * MAX_ATTEMPTS;

    final ElasticMqServer sqsServer;
    final DynaliteServer dynamoServer;
    final SqsClient sqs;
    final DynamoDbClient dynamo;
    final SqsQueues queues;
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
        this.queues = SqsQueueProvisioner.builder().client(sqs).maxReceiveCount(MAX_RECEIVE_COUNT)
                .visibilityTimeout(Duration.ofSeconds(180)).build().provision(name);
        this.table = name + "-actors";
        DynamoDbTableProvisioner.builder().client(dynamo).build().ensureTable(table);
        this.producer = ActorSystem.builder()
                .register(Ledger.ACCOUNT)
                .mailbox(SqsMailbox.builder().client(sqs).queues(queues).build())
                .stateStore(DynamoDbStateStore.builder().client(dynamo).tableName(table).build())
                .build();
    }

    static LocalAws start(String name) {
        return new LocalAws(name);
    }

    /** The environment the packaged function needs here. */
    Map<String, String> functionEnv() {
        Map<String, String> env = new HashMap<>();
        env.put(LambdaSettings.WIRING, LedgerWiring.class.getName());
        env.put(LambdaSettings.QUEUE_URL, queues.queueUrl());
        env.put(LambdaSettings.DEAD_LETTER_QUEUE_URL, queues.deadLetterQueueUrl());
        env.put(LambdaSettings.TABLE_NAME, table);
        env.put(LambdaSettings.MAX_ATTEMPTS, Integer.toString(MAX_ATTEMPTS));
        env.put(LambdaSettings.REDRIVE_MAX_RECEIVE_COUNT, Integer.toString(MAX_RECEIVE_COUNT));
        env.put(LedgerWiring.SQS_ENDPOINT, sqsServer.endpoint().toString());
        env.put(LedgerWiring.DYNAMODB_ENDPOINT, dynamoServer.endpoint().toString());
        return env;
    }

    Account account(String key) {
        return producer.inspect(Ledger.account(key), Account.class).state();
    }

    ActorId id(String key) {
        return Ledger.account(key);
    }

    /** Receives until {@code n} messages are in flight (or 20 polls went by). */
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

    /** Deletes the messages not reported as failed, as Lambda does after a partial batch response. */
    void settle(List<Message> batch, List<String> failedMessageIds) {
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
        List<DeleteMessageBatchRequestEntry> release = new ArrayList<>();
        for (Message m : batch) {
            DeleteMessageBatchRequestEntry e = DeleteMessageBatchRequestEntry.builder()
                    .id(Integer.toString(entries.size() + release.size())).receiptHandle(m.receiptHandle()).build();
            (failedMessageIds.contains(m.messageId()) ? release : entries).add(e);
        }
        if (!entries.isEmpty()) {
            sqs.deleteMessageBatch(b -> b.queueUrl(queues.queueUrl()).entries(entries));
        }
        for (DeleteMessageBatchRequestEntry e : release) {
            // a short visibility timeout: the failed messages come back at once
            sqs.changeMessageVisibility(b -> b.queueUrl(queues.queueUrl()).receiptHandle(e.receiptHandle())
                    .visibilityTimeout(0));
        }
    }

    /** Messages in the queue, visible or in flight. */
    int queued() {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queues.queueUrl())
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
                + Integer.parseInt(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"));
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
