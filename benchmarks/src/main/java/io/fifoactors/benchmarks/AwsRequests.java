package io.fifoactors.benchmarks;

import io.fifoactors.core.codec.JacksonCodec;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.Envelope;
import io.fifoactors.dynamodb.DynamoDbStateStore;
import io.fifoactors.dynamodb.DynamoDbTableProvisioner;
import io.fifoactors.examples.ledger.Account;
import io.fifoactors.examples.ledger.AccountMessage;
import io.fifoactors.examples.ledger.Ledger;
import io.fifoactors.examples.ledger.LedgerTransaction;
import io.fifoactors.core.Effect;
import io.fifoactors.localaws.DynaliteServer;
import io.fifoactors.localaws.ElasticMqServer;
import io.fifoactors.sqs.SqsMailbox;
import io.fifoactors.sqs.SqsQueueProvisioner;
import io.fifoactors.sqs.SqsQueues;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * B2: AWS requests per message, by API, on ElasticMQ (SQS) and dynalite (DynamoDB), counted by an SDK interceptor
 * ({@link RequestCounter}), for three designs running the same ledger handler on the same workload, each with one
 * consumer in a receive loop (batches of up to 10):
 * <ol>
 *   <li><b>fifo-actors</b>: {@link SqsMailbox} + {@link DynamoDbStateStore} + {@link ActorSystem#processAndSettle}.</li>
 *   <li><b>naive single group</b>: every message in one message group; per message a consistent GetItem of the
 *       account and, when the state changed, a PutItem; the batch's credits in SendMessageBatch requests, then one
 *       DeleteMessageBatch. Not crash-safe (a redelivery applies a message twice); the cheapest honest baseline.</li>
 *   <li><b>idempotency records</b> (as AWS Lambda Powertools' idempotency utility does it, one group per account):
 *       per message a conditional PutItem of an INPROGRESS record in an idempotency table, the GetItem and PutItem
 *       of the state, then an UpdateItem marking the record COMPLETED; credits and delete batched as above.</li>
 * </ol>
 * Both hand-rolled consumers batch their outgoing credits per received batch (at most 10 per SendMessageBatch) and
 * skip the state write when nothing changed: generous to them.
 */
final class AwsRequests {
    private static final JacksonCodec CODEC = JacksonCodec.create();
    private static final Duration VISIBILITY = Duration.ofSeconds(60);
    private static final AtomicLong NAMES = new AtomicLong();

    private AwsRequests() {
    }

    /**
     * One design on one workload.
     *
     * @param producer requests made to enqueue the transactions
     * @param consumer requests made to process them and the credits they caused
     */
    record Figures(String design, String workload, long transactions, long handled, long batches,
                   double messagesPerGroupPerBatch, RequestCounter.Snapshot producer, RequestCounter.Snapshot consumer,
                   double wallSeconds, boolean conserved, double avgStateItemBytes) {
        double consumerPerMessage() {
            return consumer.all() / (double) handled;
        }

        double allPerMessage() {
            return (producer.all() + consumer.all()) / (double) handled;
        }
    }

    /** Local servers and counting clients for a series of runs. */
    static final class Env implements AutoCloseable {
        final ElasticMqServer mq;
        final DynaliteServer dynalite;
        final RequestCounter counter = new RequestCounter();
        final SqsClient sqs;
        final DynamoDbClient dynamo;

        Env() {
            this.mq = ElasticMqServer.start();
            DynaliteServer d;
            try {
                d = DynaliteServer.start();
            } catch (RuntimeException e) {
                mq.close();
                throw e;
            }
            this.dynalite = d;
            StaticCredentialsProvider creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("local",
                    "local"));
            this.sqs = SqsClient.builder()
                    .endpointOverride(mq.endpoint()).region(Region.US_EAST_1).credentialsProvider(creds)
                    .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
                    .overrideConfiguration(c -> c.addExecutionInterceptor(counter))
                    .build();
            this.dynamo = DynamoDbClient.builder()
                    .endpointOverride(dynalite.endpoint()).region(Region.US_EAST_1).credentialsProvider(creds)
                    .httpClientBuilder(UrlConnectionHttpClient.builder())
                    .overrideConfiguration(c -> c.addExecutionInterceptor(counter))
                    .build();
        }

        SqsQueues queues(String prefix) {
            return queues(prefix, true);
        }

        SqsQueues queues(String prefix, boolean redrive) {
            SqsQueueProvisioner.Builder b = SqsQueueProvisioner.builder().client(sqs).maxReceiveCount(15)
                    .visibilityTimeout(VISIBILITY);
            if (!redrive) {
                b.noRedrive();
            }
            return b.build().provision(prefix + "-" + NAMES.incrementAndGet());
        }

        String table(String prefix) {
            String name = prefix + "-" + NAMES.incrementAndGet();
            DynamoDbTableProvisioner.builder().client(dynamo).build().ensureTable(name);
            return name;
        }

        @Override
        public void close() {
            try {
                sqs.close();
                dynamo.close();
            } finally {
                try {
                    dynalite.close();
                } finally {
                    mq.close();
                }
            }
        }
    }

    /** How the transactions reach the queue. */
    enum Mode {
        /**
         * The consumer keeps up: ten transactions are enqueued (one producer batch), then the queue is drained (with
         * the credits they caused), and so on. Each receive holds what arrived since the last one, as in a system
         * whose consumers are not behind.
         */
        STREAMING,
        /** Every transaction is enqueued first, then the queue is drained: a consumer catching up on a backlog. */
        BACKLOG
    }

    /** One design under test: enqueue, process one batch, read an account. */
    private interface Design {
        void produce(List<LedgerTransaction> txs);

        /** Receives and processes one batch; false if the queue had nothing. */
        boolean consumeOne(BatchStats stats);

        Account account(String key);

        long handled();
    }

    /** Batches and how many messages per group they held. */
    private static final class BatchStats {
        long batches;
        long messages;
        long groupsSum;

        void add(int size, int groups) {
            batches++;
            messages += size;
            groupsSum += groups;
        }

        double messagesPerGroup() {
            return groupsSum == 0 ? 0 : messages / (double) groupsSum;
        }
    }

    private static Figures run(String designName, Design d, Env env, LedgerWorkload w, String workload, Mode mode) {
        d.produce(w.opens());
        while (d.consumeOne(new BatchStats())) {
            // setup: open every account
        }
        long handledBefore = d.handled();
        BatchStats stats = new BatchStats();
        long wall0 = System.nanoTime();
        RequestCounter.Snapshot start = env.counter.snapshot();
        RequestCounter.Snapshot producer = RequestCounter.Snapshot.EMPTY;
        long emptyReceives = 0;
        int chunk = mode == Mode.STREAMING ? 10 : w.transactions().size();
        for (int from = 0; from < w.transactions().size(); from += chunk) {
            RequestCounter.Snapshot p0 = env.counter.snapshot();
            d.produce(w.transactions().subList(from, Math.min(w.transactions().size(), from + chunk)));
            producer = producer.plus(env.counter.snapshot().minus(p0));
            while (d.consumeOne(stats)) {
                // drain
            }
            emptyReceives++; // the receive that found the queue empty: an artefact of this driver, not counted
        }
        RequestCounter.Snapshot total = env.counter.snapshot().minus(start);
        double wall = (System.nanoTime() - wall0) / 1e9;
        RequestCounter.Snapshot consumer = total.minus(producer).withoutEmptyReceives(emptyReceives);
        long balances = 0;
        long deposited = 0;
        for (int i = 0; i < w.accounts(); i++) {
            Account a = d.account(LedgerWorkload.key(i));
            balances += a.balance();
            deposited += a.deposited();
        }
        return new Figures(designName, workload, w.transactions().size(), d.handled() - handledBefore,
                stats.batches, stats.messagesPerGroup(), producer, consumer, wall,
                balances == w.depositTotal() && deposited == w.depositTotal(),
                consumer.itemsWritten() == 0 ? 0 : consumer.bytesWritten() / (double) consumer.itemsWritten());
    }

    // ------------------------------------------------------------------------------------------------ fifo-actors

    /**
     * {@code recordCache}: {@link ActorSystem.Builder#recordCache} (0: off, the default); {@code runtimeRedrive}: a
     * queue without a redrive policy and {@link ActorSystem.Builder#runtimeRedrive} instead of the queue's.
     */
    static Figures library(Env env, LedgerWorkload w, String workload, Mode mode, int recordCache,
                           boolean runtimeRedrive) {
        SqsQueues q = env.queues("lib", !runtimeRedrive);
        String table = env.table("lib");
        SqsMailbox mailbox = SqsMailbox.builder().client(env.sqs).queues(q).build();
        DynamoDbStateStore store = DynamoDbStateStore.builder().client(env.dynamo).tableName(table).build();
        AtomicLong settled = new AtomicLong();
        ActorSystem.Builder builder = ActorSystem.builder()
                .register(Ledger.ACCOUNT).stateStore(store).mailbox(mailbox)
                .maxAttempts(5).recordCache(recordCache);
        if (runtimeRedrive) {
            builder.runtimeRedrive(15);
        } else {
            builder.redriveMaxReceiveCount(15);
        }
        ActorSystem system = builder
                .listener(o -> {
                    switch (o.kind()) {
                        case APPLIED, REJECTED, DEFERRED, DEAD_LETTERED -> settled.incrementAndGet();
                        default -> { }
                    }
                })
                .build();
        Design d = new Design() {
            @Override
            public void produce(List<LedgerTransaction> txs) {
                // what Ingress.submit does, minus its reordering (every design gets the same order)
                List<OutgoingMessage> out = new ArrayList<>(txs.size());
                for (LedgerTransaction tx : txs) {
                    out.add(system.encodeExternal(Ledger.account(tx.account()), tx.toMessage(), tx.id()));
                }
                mailbox.send(out);
            }

            @Override
            public boolean consumeOne(BatchStats stats) {
                List<Delivery> batch = mailbox.receive(10, VISIBILITY, Duration.ZERO);
                if (batch.isEmpty()) {
                    return false;
                }
                system.processAndSettle(batch, Duration.ZERO);
                Set<String> groups = new HashSet<>();
                batch.forEach(x -> groups.add(x.groupId()));
                stats.add(batch.size(), groups.size());
                return true;
            }

            @Override
            public Account account(String key) {
                ActorSnapshot<Account> s = system.inspect(Ledger.account(key), Account.class);
                return s.state();
            }

            @Override
            public long handled() {
                return settled.get();
            }
        };
        String name = "fifo-actors" + (runtimeRedrive ? ", runtime redrive" : "")
                + (recordCache == 0 ? "" : runtimeRedrive ? " + record cache" : ", record cache");
        return run(name, d, env, w, workload, mode);
    }

    // ------------------------------------------------------------------------------------------------ hand-rolled

    /** How a hand-rolled consumer handles one message. */
    private interface RecordHandler {
        void handle(String key, AccountMessage message, String messageId, List<Effect.Send> sends);
    }

    static Figures naive(Env env, LedgerWorkload w, String workload, Mode mode) {
        SqsQueues q = env.queues("naive");
        String table = env.table("naive");
        StateTable state = new StateTable(env.dynamo, table);
        RecordHandler handler = (key, message, id, sends) -> {
            Account before = state.get(key);
            Effect<Account> e = Domain.decide(key, before, message, id);
            if (e.kind() == Effect.Kind.PERSIST) {
                state.put(key, e.state());
            }
            sends.addAll(e.sends());
        };
        return run("naive single group", handRolled(env, q.queueUrl(), key -> "ledger", handler, state), env, w,
                workload, mode);
    }

    static Figures idempotency(Env env, LedgerWorkload w, String workload, Mode mode) {
        SqsQueues q = env.queues("idem");
        StateTable state = new StateTable(env.dynamo, env.table("idem-state"));
        String idempotencyTable = env.table("idem-records");
        RecordHandler handler = (key, message, id, sends) -> {
            String idemKey = "ledger-consumer#" + md5(id);
            long nowSeconds = System.currentTimeMillis() / 1000;
            long nowMillis = System.currentTimeMillis();
            try {
                env.dynamo.putItem(b -> b.tableName(idempotencyTable)
                        .item(Map.of(
                                "pk", AttributeValue.fromS(idemKey),
                                "status", AttributeValue.fromS("INPROGRESS"),
                                "expiration", AttributeValue.fromN(Long.toString(nowSeconds + 3600)),
                                "in_progress_expiration", AttributeValue.fromN(Long.toString(nowMillis + 60_000))))
                        .conditionExpression("attribute_not_exists(pk) OR expiration < :now OR "
                                + "(#status = :inprogress AND in_progress_expiration < :now_ms)")
                        .expressionAttributeNames(Map.of("#status", "status"))
                        .expressionAttributeValues(Map.of(
                                ":now", AttributeValue.fromN(Long.toString(nowSeconds)),
                                ":now_ms", AttributeValue.fromN(Long.toString(nowMillis)),
                                ":inprogress", AttributeValue.fromS("INPROGRESS"))));
            } catch (ConditionalCheckFailedException alreadyDone) {
                return; // a duplicate: Powertools would return the stored result
            }
            Account before = state.get(key);
            Effect<Account> e = Domain.decide(key, before, message, id);
            if (e.kind() == Effect.Kind.PERSIST) {
                state.put(key, e.state());
            }
            sends.addAll(e.sends());
            env.dynamo.updateItem(b -> b.tableName(idempotencyTable)
                    .key(Map.of("pk", AttributeValue.fromS(idemKey)))
                    .updateExpression("SET #response_data = :response_data, expiration = :expiry, #status = :status")
                    .expressionAttributeNames(Map.of("#response_data", "data", "#status", "status"))
                    .expressionAttributeValues(Map.of(
                            ":response_data", AttributeValue.fromS(e.kind().name()),
                            ":expiry", AttributeValue.fromN(Long.toString(nowSeconds + 3600)),
                            ":status", AttributeValue.fromS("COMPLETED"))));
        };
        return run("idempotency records", handRolled(env, q.queueUrl(), key -> Ledger.account(key).groupId(), handler,
                state), env, w, workload, mode);
    }

    private interface GroupOf {
        String of(String accountKey);
    }

    private static Design handRolled(Env env, String url, GroupOf groupOf, RecordHandler handler, StateTable state) {
        long[] handled = new long[1];
        return new Design() {
            @Override
            public void produce(List<LedgerTransaction> txs) {
                // ten per SendMessageBatch, in order (SQS keeps the order of one group's entries within a request)
                for (int from = 0; from < txs.size(); from += 10) {
                    List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
                    List<LedgerTransaction> chunk = txs.subList(from, Math.min(txs.size(), from + 10));
                    for (int i = 0; i < chunk.size(); i++) {
                        LedgerTransaction tx = chunk.get(i);
                        entries.add(entry(Integer.toString(i), groupOf.of(tx.account()), tx.id(), tx.account(),
                                tx.toMessage()));
                    }
                    sendBatch(env.sqs, url, entries);
                }
            }

            @Override
            public boolean consumeOne(BatchStats stats) {
                List<Message> batch = env.sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                        .visibilityTimeout((int) VISIBILITY.toSeconds()).waitTimeSeconds(0)
                        .messageAttributeNames("All")
                        .messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_GROUP_ID,
                                MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID)).messages();
                if (batch.isEmpty()) {
                    return false;
                }
                List<Effect.Send> sends = new ArrayList<>();
                Set<String> groups = new HashSet<>();
                for (Message m : batch) {
                    String key = m.messageAttributes().get("account").stringValue();
                    String type = m.messageAttributes().get(Envelope.TYPE).stringValue();
                    AccountMessage message = CODEC.decode(m.body().getBytes(StandardCharsets.UTF_8),
                            Ledger.ACCOUNT.messageClass(type));
                    String dedupId = m.attributes().get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID);
                    handler.handle(key, message, dedupId == null ? m.messageId() : dedupId, sends);
                    groups.add(m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID));
                    handled[0]++;
                }
                for (int from = 0; from < sends.size(); from += 10) {
                    List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
                    List<Effect.Send> chunk = sends.subList(from, Math.min(sends.size(), from + 10));
                    for (int i = 0; i < chunk.size(); i++) {
                        Effect.Send s = chunk.get(i);
                        AccountMessage m = (AccountMessage) s.message();
                        String transferId = m instanceof AccountMessage.Credit c ? c.transferId()
                                : ((AccountMessage.Refund) m).transferId();
                        entries.add(entry(Integer.toString(i), groupOf.of(s.target().key()),
                                m.getClass().getSimpleName() + "-" + transferId, s.target().key(), m));
                    }
                    sendBatch(env.sqs, url, entries);
                }
                List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
                for (int i = 0; i < batch.size(); i++) {
                    deletes.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                            .receiptHandle(batch.get(i).receiptHandle()).build());
                }
                env.sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(deletes));
                stats.add(batch.size(), groups.size());
                return true;
            }

            @Override
            public Account account(String key) {
                return state.get(key);
            }

            @Override
            public long handled() {
                return handled[0];
            }
        };
    }

    private static SendMessageBatchRequestEntry entry(String id, String group, String dedupId, String account,
                                                      AccountMessage m) {
        return SendMessageBatchRequestEntry.builder()
                .id(id).messageGroupId(group).messageDeduplicationId(dedupId)
                .messageBody(new String(CODEC.encode(m), StandardCharsets.UTF_8))
                .messageAttributes(Map.of(
                        Envelope.TYPE, MessageAttributeValue.builder().dataType("String")
                                .stringValue(Ledger.ACCOUNT.wireName(m)).build(),
                        "account", MessageAttributeValue.builder().dataType("String").stringValue(account).build()))
                .build();
    }

    private static void sendBatch(SqsClient sqs, String url, List<SendMessageBatchRequestEntry> entries) {
        var r = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries));
        if (!r.failed().isEmpty()) {
            throw new IllegalStateException("SendMessageBatch failed: " + r.failed());
        }
    }

    /** One item per account: {@code pk} = the account's group id, {@code s} = the account's JSON. */
    private static final class StateTable {
        private final DynamoDbClient dynamo;
        private final String table;

        StateTable(DynamoDbClient dynamo, String table) {
            this.dynamo = dynamo;
            this.table = table;
        }

        Account get(String key) {
            GetItemResponse r = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                    .key(Map.of("pk", AttributeValue.fromS(Ledger.account(key).groupId()))));
            if (!r.hasItem() || r.item().isEmpty()) {
                return Account.NEW;
            }
            return CODEC.decode(r.item().get("s").b().asByteArray(), Account.class);
        }

        void put(String key, Account a) {
            dynamo.putItem(b -> b.tableName(table).item(Map.of(
                    "pk", AttributeValue.fromS(Ledger.account(key).groupId()),
                    "s", AttributeValue.fromB(SdkBytes.fromByteArray(CODEC.encode(a))))));
        }
    }

    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
