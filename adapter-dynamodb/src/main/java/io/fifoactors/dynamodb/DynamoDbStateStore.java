package io.fifoactors.dynamodb;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.RecordTooLargeException;
import io.fifoactors.core.TransientFailureException;
import io.fifoactors.core.VersionConflictException;
import io.fifoactors.core.port.StateStore;
import io.fifoactors.core.port.StoredRecord;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A {@link StateStore} on one DynamoDB table: one item per actor, keyed by the actor's group id, replaced as a whole
 * by a conditional {@code PutItem} on every commit.
 *
 * <pre>{@code
 * DynamoDbClient dynamo = DynamoDbClient.create();
 * StateStore store = DynamoDbStateStore.builder().client(dynamo).tableName("actors").build();
 * long v = store.load(id).map(StoredRecord::version).orElse(0L);
 * store.commit(id, v, new StoredRecord(v + 1, state, control));
 * }</pre>
 *
 * <p>Item layout (short attribute names, because names count against the 400 KB item size): {@code pk} (S, the
 * partition key) = {@link ActorId#groupId()}, {@code v} (N) = version, {@code s} (B) = state bytes, {@code c} (B) =
 * control bytes. Empty byte arrays are stored as empty binary values, which DynamoDB accepts for non-key attributes;
 * a missing {@code s} or {@code c} reads as empty. The table needs only the {@code pk} (S) hash key; see
 * {@link DynamoDbTableProvisioner}.
 *
 * <p>Reads are strongly consistent. {@link #loadAll} uses {@code BatchGetItem} in chunks of 100 keys and retries
 * unprocessed keys with bounded exponential backoff. SDK failures become {@link TransientFailureException}
 * (throttling, 5xx, network) or {@link PermanentFailureException} (missing table, access denied, invalid request); a
 * lost conditional write becomes {@link VersionConflictException}. The client is injected and never closed here.
 *
 * <p>Immutable and thread-safe (as is {@link DynamoDbClient}); byte arrays are copied in both directions.
 */
public final class DynamoDbStateStore implements StateStore {
    static final String PK = "pk";
    static final String VERSION = "v";
    static final String STATE = "s";
    static final String CONTROL = "c";
    static final String EXPECTED = ":expected";
    static final String CREATE_CONDITION = "attribute_not_exists(" + PK + ")";
    static final String UPDATE_CONDITION = VERSION + " = " + EXPECTED;
    /** BatchGetItem's limit on keys per request. */
    static final int BATCH_GET_MAX_KEYS = 100;
    /** Retries of unprocessed keys in a row that return nothing new before giving up. */
    static final int BATCH_GET_MAX_RETRIES = 8;
    static final long BACKOFF_BASE_MILLIS = 25;
    static final long BACKOFF_MAX_MILLIS = 1000;
    static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
    /**
     * Backoff jitter. Not ThreadLocalRandom: on Lambda with SnapStart every execution environment resumes from one
     * snapshot, with the seeds it holds, so all of them would draw the same delays and retry in step. SecureRandom
     * reads the kernel's entropy as it goes, as AWS advises for randomness under SnapStart.
     */
    static final SecureRandom JITTER = new SecureRandom();

    /** How the store waits between retries; replaced in tests. */
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final DynamoDbClient client;
    private final String tableName;
    private final Sleeper sleeper;

    private DynamoDbStateStore(Builder b) {
        this.client = b.client;
        this.tableName = b.tableName;
        this.sleeper = b.sleeper;
    }

    /** A builder; {@link Builder#client} and {@link Builder#tableName} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The table this store reads and writes. */
    public String tableName() {
        return tableName;
    }

    @Override
    public Optional<StoredRecord> load(ActorId id) {
        Objects.requireNonNull(id, "id");
        GetItemRequest request = GetItemRequest.builder()
                .tableName(tableName)
                .key(key(id))
                .consistentRead(true)
                .build();
        GetItemResponse response;
        try {
            response = client.getItem(request);
        } catch (SdkException e) {
            throw SdkErrors.map("GetItem on table " + tableName + " for " + id, e);
        }
        if (!response.hasItem() || response.item().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(toRecord(id, response.item()));
    }

    @Override
    public Map<ActorId, StoredRecord> loadAll(Collection<ActorId> ids) {
        Objects.requireNonNull(ids, "ids");
        Map<String, ActorId> byGroupId = new LinkedHashMap<>();
        for (ActorId id : ids) {
            byGroupId.putIfAbsent(Objects.requireNonNull(id, "ids contains null").groupId(), id);
        }
        Map<ActorId, StoredRecord> found = new LinkedHashMap<>();
        List<ActorId> distinct = new ArrayList<>(byGroupId.values());
        for (int from = 0; from < distinct.size(); from += BATCH_GET_MAX_KEYS) {
            List<ActorId> chunk = distinct.subList(from, Math.min(distinct.size(), from + BATCH_GET_MAX_KEYS));
            batchGet(chunk, byGroupId, found);
        }
        // Report in the caller's order.
        Map<ActorId, StoredRecord> ordered = new LinkedHashMap<>();
        for (ActorId id : distinct) {
            StoredRecord r = found.get(id);
            if (r != null) {
                ordered.put(id, r);
            }
        }
        return ordered;
    }

    private void batchGet(List<ActorId> chunk, Map<String, ActorId> byGroupId, Map<ActorId, StoredRecord> found) {
        List<Map<String, AttributeValue>> pending = new ArrayList<>(chunk.size());
        for (ActorId id : chunk) {
            pending.add(key(id));
        }
        int retriesWithoutProgress = 0;
        while (true) {
            BatchGetItemRequest request = BatchGetItemRequest.builder()
                    .requestItems(Map.of(tableName, KeysAndAttributes.builder()
                            .keys(pending)
                            .consistentRead(true)
                            .build()))
                    .build();
            BatchGetItemResponse response;
            try {
                response = client.batchGetItem(request);
            } catch (SdkException e) {
                throw SdkErrors.map("BatchGetItem on table " + tableName + " for " + pending.size() + " actors", e);
            }
            if (response.hasResponses()) {
                for (Map<String, AttributeValue> item : response.responses().getOrDefault(tableName, List.of())) {
                    AttributeValue pk = item.get(PK);
                    ActorId id = pk == null ? null : byGroupId.get(pk.s());
                    if (id != null) {
                        found.put(id, toRecord(id, item));
                    }
                }
            }
            KeysAndAttributes unprocessed = response.hasUnprocessedKeys()
                    ? response.unprocessedKeys().get(tableName) : null;
            if (unprocessed == null || !unprocessed.hasKeys() || unprocessed.keys().isEmpty()) {
                return;
            }
            boolean progress = unprocessed.keys().size() < pending.size();
            retriesWithoutProgress = progress ? 0 : retriesWithoutProgress + 1;
            if (retriesWithoutProgress > BATCH_GET_MAX_RETRIES) {
                throw new TransientFailureException("DynamoDB BatchGetItem on table " + tableName + " left "
                        + unprocessed.keys().size() + " keys unprocessed after " + BATCH_GET_MAX_RETRIES
                        + " retries with backoff (throttled?)");
            }
            pending = new ArrayList<>(unprocessed.keys());
            backoff(retriesWithoutProgress);
        }
    }

    private void backoff(int retry) {
        long ceiling = Math.min(BACKOFF_MAX_MILLIS, BACKOFF_BASE_MILLIS << Math.min(retry, 20));
        long delay = ceiling / 2 + JITTER.nextLong(ceiling / 2 + 1);
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailureException("interrupted while retrying DynamoDB BatchGetItem on table "
                    + tableName);
        }
    }

    @Override
    public void commit(ActorId id, long expectedVersion, StoredRecord next) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(next, "next");
        StateStore.checkCommit(id, expectedVersion, next);
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put(PK, AttributeValue.fromS(id.groupId()));
        item.put(VERSION, AttributeValue.fromN(Long.toString(next.version())));
        item.put(STATE, AttributeValue.fromB(SdkBytes.fromByteArray(next.state())));
        item.put(CONTROL, AttributeValue.fromB(SdkBytes.fromByteArray(next.control())));
        PutItemRequest.Builder request = PutItemRequest.builder().tableName(tableName).item(item);
        if (expectedVersion == 0) {
            request.conditionExpression(CREATE_CONDITION);
        } else {
            request.conditionExpression(UPDATE_CONDITION)
                    .expressionAttributeValues(Map.of(EXPECTED, AttributeValue.fromN(Long.toString(expectedVersion))));
        }
        try {
            client.putItem(request.build());
        } catch (ConditionalCheckFailedException e) {
            throw new VersionConflictException(id, expectedVersion);
        } catch (SdkException e) {
            if (isItemTooLarge(e)) {
                throw new RecordTooLargeException(id, next.sizeBytes(), MAX_RECORD_BYTES);
            }
            throw SdkErrors.map("PutItem on table " + tableName + " for " + id + " (version " + next.version()
                    + ", " + next.sizeBytes() + " bytes)", e);
        }
    }

    /** The service's own item-size refusal: a backstop behind {@link StateStore#checkCommit}. */
    static boolean isItemTooLarge(SdkException e) {
        if (!(e instanceof software.amazon.awssdk.core.exception.SdkServiceException s)) {
            return false;
        }
        String code = SdkErrors.errorCode(s);
        String message = SdkErrors.serviceMessage(s);
        return "ValidationException".equals(code) && message != null
                && message.toLowerCase(Locale.ROOT).contains("item size")
                && message.toLowerCase(Locale.ROOT).contains("exceeded");
    }

    private static Map<String, AttributeValue> key(ActorId id) {
        return Map.of(PK, AttributeValue.fromS(id.groupId()));
    }

    private StoredRecord toRecord(ActorId id, Map<String, AttributeValue> item) {
        AttributeValue v = item.get(VERSION);
        long version;
        try {
            version = Long.parseLong(v == null ? "" : v.n());
        } catch (NumberFormatException e) {
            throw new PermanentFailureException("item of " + id + " in table " + tableName
                    + " has no numeric version attribute '" + VERSION + "'; it was not written by this store");
        }
        if (version < 1) {
            throw new PermanentFailureException("item of " + id + " in table " + tableName + " has version "
                    + version + "; versions start at 1");
        }
        return new StoredRecord(version, bytes(id, item, STATE), bytes(id, item, CONTROL));
    }

    private byte[] bytes(ActorId id, Map<String, AttributeValue> item, String name) {
        AttributeValue a = item.get(name);
        if (a == null) {
            return new byte[0];
        }
        if (a.b() == null) {
            throw new PermanentFailureException("attribute '" + name + "' of " + id + " in table " + tableName
                    + " is not binary; the item was not written by this store");
        }
        return a.b().asByteArray(); // a fresh copy
    }

    @Override
    public String toString() {
        return "DynamoDbStateStore[table=" + tableName + "]";
    }

    /**
     * Builds a {@link DynamoDbStateStore}. Not thread-safe; use it from one thread, then share the store.
     */
    public static final class Builder {
        private DynamoDbClient client;
        private String tableName;
        private Sleeper sleeper = Thread::sleep;

        private Builder() {
        }

        /** The client to use (required); the caller owns it and closes it. */
        public Builder client(DynamoDbClient client) {
            this.client = client;
            return this;
        }

        /** The table (required): 3 to 255 letters, digits, '_', '-' or '.'. */
        public Builder tableName(String tableName) {
            this.tableName = tableName;
            return this;
        }

        Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /**
         * The store.
         *
         * @throws ConfigurationException if the client or table name is missing, or the name is not a valid
         *                                DynamoDB table name
         */
        public DynamoDbStateStore build() {
            if (client == null) {
                throw new ConfigurationException("DynamoDbStateStore needs a client: call .client(dynamoDbClient)"
                        + " on the builder");
            }
            if (tableName == null) {
                throw new ConfigurationException("DynamoDbStateStore needs a table name: call .tableName(\"actors\")"
                        + " on the builder");
            }
            if (!TABLE_NAME.matcher(tableName).matches()) {
                throw new ConfigurationException("DynamoDbStateStore table name '" + tableName + "' is not a valid"
                        + " DynamoDB table name (3 to 255 characters, each a letter, digit, '_', '-' or '.')");
            }
            return new DynamoDbStateStore(this);
        }
    }
}
