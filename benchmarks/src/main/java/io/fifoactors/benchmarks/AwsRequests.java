package io.fifoactors.benchmarks;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.Effect;
import io.fifoactors.core.Send;
import io.fifoactors.core.codec.JacksonCodec;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.StoredRecord;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.ConsumerLoop;
import io.fifoactors.core.runtime.Envelope;
import io.fifoactors.core.runtime.Ingress;
import io.fifoactors.core.runtime.MessageKeys;
import io.fifoactors.core.runtime.OutcomeListener;
import io.fifoactors.dynamodb.DynamoDbStateStore;
import io.fifoactors.dynamodb.DynamoDbStateStore.CapacitySource;
import io.fifoactors.dynamodb.DynamoDbTableProvisioner;
import io.fifoactors.examples.ledger.Account;
import io.fifoactors.examples.ledger.AccountMessage;
import io.fifoactors.examples.ledger.Ledger;
import io.fifoactors.examples.ledger.LedgerTransaction;
import io.fifoactors.localaws.DynaliteServer;
import io.fifoactors.localaws.ElasticMqServer;
import io.fifoactors.sqs.SqsMailbox;
import io.fifoactors.sqs.SqsQueueProvisioner;
import io.fifoactors.sqs.SqsQueues;
import io.fifoactors.sqs.SqsScheduler;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
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
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * B2: AWS requests, capacity units and dollars per message on ElasticMQ (SQS) and dynalite (DynamoDB), counted by an
 * SDK interceptor ({@link RequestCounter}) on both clients, for five designs running the same ledger handler on the
 * same transactions, each with one consumer (batches of up to 10):
 * <ol>
 *   <li><b>fifo-actors, defaults</b>: {@link SqsMailbox} on a queue without a redrive policy (the provisioner's
 *       default: the runtime dead-letters, and no clearing write follows an outbox send), {@link DynamoDbStateStore},
 *       eventually consistent preload, the library's {@link ConsumerLoop}; producer: {@link Ingress} in batches of
 *       10.</li>
 *   <li><b>fifo-actors, queue redrive policy</b>: the same on a queue with a redrive policy (maxReceiveCount 15).</li>
 *   <li><b>fifo-actors, record cache</b>: the defaults plus {@code recordCache(100_000)}.</li>
 *   <li><b>naive single group</b>: every message in one message group; per message a consistent GetItem of the
 *       account and, when the state changed, a PutItem; the batch's credits in SendMessageBatch requests, then one
 *       DeleteMessageBatch. Not crash-safe (a redelivery applies a message twice); the cheapest honest baseline.</li>
 *   <li><b>idempotency records</b> (as AWS Lambda Powertools' idempotency utility does it, one group per account):
 *       per message a conditional PutItem of an INPROGRESS record in an idempotency table, the GetItem and PutItem
 *       of the state, then an UpdateItem marking the record COMPLETED; credits and delete batched as above.</li>
 * </ol>
 * Both hand-rolled consumers batch their outgoing credits per received batch (at most 10 per SendMessageBatch), skip
 * the state write when nothing changed and ask for {@code ReturnConsumedCapacity=TOTAL} on every DynamoDB request.
 */
final class AwsRequests {
    private static final JacksonCodec CODEC = JacksonCodec.create();
    private static final Duration VISIBILITY = Duration.ofSeconds(60);
    private static final AtomicLong NAMES = new AtomicLong();
    static final String DEFAULTS = "fifo-actors (defaults)";
    static final String REDRIVE = "fifo-actors, queue redrive policy";
    static final String CACHE = "fifo-actors, record cache";
    static final String NAIVE = "naive single group";
    static final String IDEMPOTENCY = "idempotency records";

    private AwsRequests() {
    }

    /**
     * One design on one workload.
     *
     * @param producer  requests made to enqueue the transactions
     * @param consumer  requests made to process them and the credits they caused
     * @param capacity  fifo-actors only: the store's CapacityListener sums, [read, write] units by source
     * @param itemSizes fifo-actors only: every account's record item at the end, as DynamoDB bills it, sorted
     */
    record Figures(String design, String workload, long transactions, long handled, long batches,
                   double messagesPerGroupPerBatch, RequestCounter.Snapshot producer, RequestCounter.Snapshot consumer,
                   double wallSeconds, boolean conserved, double avgItemWritten,
                   Map<CapacitySource, double[]> capacity, long[] itemSizes) {
        double consumerPerMessage() {
            return consumer.all() / (double) handled;
        }

        double allPerMessage() {
            return (producer.all() + consumer.all()) / (double) handled;
        }

        RequestCounter.Snapshot both() {
            return producer.plus(consumer);
        }

        /** Dollars per million messages handled, producer included, at {@link Main}'s list prices. */
        double dollarsPerMillion() {
            return Main.dollars(both()) / handled * 1e6;
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

        SqsQueueProvisioner provisioner(boolean redrive) {
            SqsQueueProvisioner.Builder b = SqsQueueProvisioner.builder().client(sqs).visibilityTimeout(VISIBILITY);
            return redrive ? b.maxReceiveCount(15).build() : b.build();
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

        /** Whatever the design measures after the run (not counted). */
        default long[] itemSizes(LedgerWorkload w) {
            return new long[0];
        }

        default Map<CapacitySource, double[]> capacity() {
            return Map.of();
        }
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
        Map<CapacitySource, double[]> capacityBefore = copy(d.capacity());
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
        Map<CapacitySource, double[]> capacity = copy(d.capacity());
        capacity.replaceAll((k, v) -> {
            double[] b = capacityBefore.getOrDefault(k, new double[2]);
            return new double[] {v[0] - b[0], v[1] - b[1]};
        });
        long balances = 0;
        long deposited = 0;
        for (int i = 0; i < w.accounts(); i++) {
            Account a = d.account(LedgerWorkload.key(i));
            balances += a.balance() + a.suspense();
            deposited += a.deposited();
        }
        return new Figures(designName, workload, w.transactions().size(), d.handled() - handledBefore,
                stats.batches, stats.messagesPerGroup(), producer, consumer, wall,
                balances == w.depositTotal() && deposited == w.depositTotal(),
                consumer.itemsWritten() == 0 ? 0 : consumer.bytesWritten() / (double) consumer.itemsWritten(),
                capacity, d.itemSizes(w));
    }

    private static Map<CapacitySource, double[]> copy(Map<CapacitySource, double[]> m) {
        Map<CapacitySource, double[]> c = new EnumMap<>(CapacitySource.class);
        m.forEach((k, v) -> c.put(k, v.clone()));
        return c;
    }

    // ------------------------------------------------------------------------------------------------ fifo-actors

    /** Sums of a store's {@link DynamoDbStateStore.CapacityListener} reports, by source. */
    private static final class Capacity implements DynamoDbStateStore.CapacityListener {
        final Map<CapacitySource, DoubleAdder[]> sums = new EnumMap<>(CapacitySource.class);

        Capacity() {
            for (CapacitySource s : CapacitySource.values()) {
                sums.put(s, new DoubleAdder[] {new DoubleAdder(), new DoubleAdder()});
            }
        }

        @Override
        public void consumed(DynamoDbStateStore.CapacityUsage u) {
            DoubleAdder[] a = sums.get(u.source());
            a[0].add(u.readUnits());
            a[1].add(u.writeUnits());
        }

        Map<CapacitySource, double[]> snapshot() {
            Map<CapacitySource, double[]> m = new EnumMap<>(CapacitySource.class);
            sums.forEach((k, v) -> m.put(k, new double[] {v[0].sum(), v[1].sum()}));
            return m;
        }
    }

    static Figures library(Env env, LedgerWorkload w, String workload, Mode mode, String design) {
        boolean redrive = design.equals(REDRIVE);
        String name = "lib-" + NAMES.incrementAndGet();
        SqsQueueProvisioner provisioner = env.provisioner(redrive);
        SqsQueues q = provisioner.provision(name);
        String timers = provisioner.provisionTimerQueue(name);
        String table = env.table("lib");
        SqsMailbox mailbox = SqsMailbox.builder().client(env.sqs).queues(q).build();
        Capacity capacity = new Capacity();
        DynamoDbStateStore store = DynamoDbStateStore.builder().client(env.dynamo).tableName(table)
                .capacityListener(capacity).build();
        AtomicLong settled = new AtomicLong();
        OutcomeListener listener = o -> {
            switch (o.kind()) {
                case APPLIED, REJECTED, DEFERRED, DEAD_LETTERED, PARKED -> settled.incrementAndGet();
                default -> { }
            }
        };
        ActorSystem.Builder builder = ActorSystem.builder()
                .register(Ledger.ACCOUNT).stateStore(store).mailbox(mailbox)
                .scheduler(SqsScheduler.builder().client(env.sqs).timerQueueUrl(timers).build())
                .messageKeys(MessageKeys.random())
                .listener(listener);
        if (design.equals(CACHE)) {
            builder.recordCache(100_000);
        }
        ActorSystem system = builder.build();
        Ingress<LedgerTransaction> ingress = Ingress.builder(system, LedgerTransaction.class)
                .send(tx -> Ledger.account(tx.account()).tell(tx.toMessage()))
                .messageId(LedgerTransaction::id)
                .build();
        BatchStats[] current = new BatchStats[1];
        ConsumerLoop loop = ConsumerLoop.builder().system(system).maxMessages(10).visibilityTimeout(VISIBILITY)
                .waitTime(Duration.ZERO).pause(d -> {
                    throw new IllegalStateException("a port failed during B2 (the loop wanted to back off " + d + ")");
                })
                .events(new ConsumerLoop.Events() {
                    @Override
                    public void processing(List<Delivery> batch) {
                        Set<String> groups = new HashSet<>();
                        batch.forEach(x -> groups.add(x.groupId()));
                        current[0].add(batch.size(), groups.size());
                    }
                })
                .build();
        Design d = new Design() {
            @Override
            public void produce(List<LedgerTransaction> txs) {
                for (int from = 0; from < txs.size(); from += 10) {
                    ingress.submit(txs.subList(from, Math.min(txs.size(), from + 10)));
                }
            }

            @Override
            public boolean consumeOne(BatchStats stats) {
                current[0] = stats;
                ConsumerLoop.Step s = loop.step();
                if (s != ConsumerLoop.Step.EMPTY && s != ConsumerLoop.Step.PROCESSED) {
                    throw new IllegalStateException("B2: the consumer loop did " + s);
                }
                return s == ConsumerLoop.Step.PROCESSED;
            }

            @Override
            public Account account(String key) {
                return system.inspect(Ledger.ACCOUNT, key).state();
            }

            @Override
            public long handled() {
                return settled.get();
            }

            @Override
            public long[] itemSizes(LedgerWorkload w) {
                long[] sizes = new long[w.accounts()];
                for (int i = 0; i < sizes.length; i++) {
                    ActorId id = Ledger.ACCOUNT.id(LedgerWorkload.key(i));
                    Optional<StoredRecord> r = store.load(id);
                    sizes[i] = r.map(x -> DynamoDbStateStore.itemSizeBytes(id, x)).orElse(0L);
                }
                Arrays.sort(sizes);
                return sizes;
            }

            @Override
            public Map<CapacitySource, double[]> capacity() {
                return capacity.snapshot();
            }
        };
        return run(design, d, env, w, workload, mode);
    }

    // ------------------------------------------------------------------------------------------------ hand-rolled

    /** How a hand-rolled consumer handles one message. */
    private interface RecordHandler {
        void handle(String key, Optional<ActorId> sender, AccountMessage message, String messageId, List<Send> sends);
    }

    static Figures naive(Env env, LedgerWorkload w, String workload, Mode mode) {
        SqsQueues q = env.provisioner(false).provision("naive-" + NAMES.incrementAndGet());
        StateTable state = new StateTable(env.dynamo, env.table("naive"));
        RecordHandler handler = (key, sender, message, id, sends) -> {
            Account before = state.get(key);
            Effect<Account> e = Domain.decide(Ledger.account(key), sender, before, message);
            if (e.newState().isPresent()) {
                state.put(key, e.newState().get());
            }
            Domain.forEachSend(e, sends::add);
        };
        return run(NAIVE, handRolled(env, q.queueUrl(), key -> "ledger", handler, state), env, w, workload, mode);
    }

    static Figures idempotency(Env env, LedgerWorkload w, String workload, Mode mode) {
        SqsQueues q = env.provisioner(false).provision("idem-" + NAMES.incrementAndGet());
        StateTable state = new StateTable(env.dynamo, env.table("idem-state"));
        String idempotencyTable = env.table("idem-records");
        RecordHandler handler = (key, sender, message, id, sends) -> {
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
                                ":inprogress", AttributeValue.fromS("INPROGRESS")))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            } catch (ConditionalCheckFailedException alreadyDone) {
                return; // a duplicate: Powertools would return the stored result
            }
            Account before = state.get(key);
            Effect<Account> e = Domain.decide(Ledger.account(key), sender, before, message);
            if (e.newState().isPresent()) {
                state.put(key, e.newState().get());
            }
            Domain.forEachSend(e, sends::add);
            String result = e.rejection().isPresent() ? "REJECTED" : e.newState().isPresent() ? "PERSIST" : "NONE";
            env.dynamo.updateItem(b -> b.tableName(idempotencyTable)
                    .key(Map.of("pk", AttributeValue.fromS(idemKey)))
                    .updateExpression("SET #response_data = :response_data, expiration = :expiry, #status = :status")
                    .expressionAttributeNames(Map.of("#response_data", "data", "#status", "status"))
                    .expressionAttributeValues(Map.of(
                            ":response_data", AttributeValue.fromS(result),
                            ":expiry", AttributeValue.fromN(Long.toString(nowSeconds + 3600)),
                            ":status", AttributeValue.fromS("COMPLETED")))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        };
        return run(IDEMPOTENCY, handRolled(env, q.queueUrl(), key -> Ledger.account(key).id().groupId(), handler,
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
                                null, tx.toMessage()));
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
                List<Send> sends = new ArrayList<>();
                List<String> senders = new ArrayList<>();
                Set<String> groups = new HashSet<>();
                for (Message m : batch) {
                    String key = m.messageAttributes().get("account").stringValue();
                    MessageAttributeValue from = m.messageAttributes().get("sender");
                    Optional<ActorId> sender = from == null ? Optional.empty()
                            : Optional.of(Ledger.account(from.stringValue()).id());
                    String type = m.messageAttributes().get(Envelope.TYPE).stringValue();
                    AccountMessage message = CODEC.decode(m.body().getBytes(StandardCharsets.UTF_8),
                            Ledger.ACCOUNT.messageClass(type));
                    String dedupId = m.attributes().get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID);
                    int before = sends.size();
                    handler.handle(key, sender, message, dedupId == null ? m.messageId() : dedupId, sends);
                    for (int i = before; i < sends.size(); i++) {
                        senders.add(key);
                    }
                    groups.add(m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID));
                    handled[0]++;
                }
                for (int from = 0; from < sends.size(); from += 10) {
                    List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
                    int to = Math.min(sends.size(), from + 10);
                    for (int i = from; i < to; i++) {
                        Send s = sends.get(i);
                        AccountMessage m = (AccountMessage) s.message();
                        String transferId = m instanceof AccountMessage.Credit c ? c.transferId()
                                : ((AccountMessage.Refund) m).transferId();
                        entries.add(entry(Integer.toString(i - from), groupOf.of(s.target().key()),
                                m.getClass().getSimpleName() + "-" + transferId, s.target().key(), senders.get(i), m));
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
                                                      String sender, AccountMessage m) {
        Map<String, MessageAttributeValue> attributes = new HashMap<>();
        attributes.put(Envelope.TYPE, MessageAttributeValue.builder().dataType("String")
                .stringValue(Ledger.ACCOUNT.wireName(m)).build());
        attributes.put("account", MessageAttributeValue.builder().dataType("String").stringValue(account).build());
        if (sender != null) {
            attributes.put("sender", MessageAttributeValue.builder().dataType("String").stringValue(sender).build());
        }
        return SendMessageBatchRequestEntry.builder()
                .id(id).messageGroupId(group).messageDeduplicationId(dedupId)
                .messageBody(new String(CODEC.encode(m), StandardCharsets.UTF_8))
                .messageAttributes(attributes)
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
                    .key(Map.of("pk", AttributeValue.fromS(Ledger.account(key).id().groupId())))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            if (!r.hasItem() || r.item().isEmpty()) {
                return Account.NEW;
            }
            return CODEC.decode(r.item().get("s").b().asByteArray(), Account.class);
        }

        void put(String key, Account a) {
            dynamo.putItem(b -> b.tableName(table).item(Map.of(
                    "pk", AttributeValue.fromS(Ledger.account(key).id().groupId()),
                    "s", AttributeValue.fromB(SdkBytes.fromByteArray(CODEC.encode(a)))))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
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
