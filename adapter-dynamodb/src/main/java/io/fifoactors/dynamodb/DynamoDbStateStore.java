package io.fifoactors.dynamodb;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.RecordTooLargeException;
import io.fifoactors.core.TransientFailureException;
import io.fifoactors.core.VersionConflictException;
import io.fifoactors.core.port.Attention;
import io.fifoactors.core.port.Consistency;
import io.fifoactors.core.port.StateStore;
import io.fifoactors.core.port.StoredRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A {@link StateStore} on one DynamoDB table: one item per actor, keyed by the actor's group id, replaced as a whole
 * by a conditional {@code PutItem} on every commit, and beside it one small item per archive chunk.
 *
 * <pre>{@code
 * DynamoDbClient dynamo = DynamoDbClient.create();
 * StateStore store = DynamoDbStateStore.builder().client(dynamo).tableName("actors").build();
 * long v = store.load(id).map(StoredRecord::version).orElse(0L);
 * store.commit(id, v, new StoredRecord(v + 1, state, control));
 * }</pre>
 *
 * <p>Actor record item (short attribute names, because names count against the 400 KB item size and the capacity
 * units): {@code pk} (S, the partition key) = {@link ActorId#groupId()}, {@code v} (N) = version, {@code s} (B) =
 * state bytes, {@code c} (B) = control bytes, and {@code attn} (S) = the record's {@link StoredRecord#attention()}
 * codes sorted and space-separated ({@code "failing parked"}), only when it has any: the item then appears in the
 * sparse global secondary index {@value #ATTENTION_INDEX} (keys only), which {@link DynamoDbAttentionIndex} lists,
 * and a commit without attention removes it from there. Empty byte arrays are stored as empty binary values, which
 * DynamoDB accepts for non-key attributes; a missing {@code s} or {@code c} reads as empty; unknown attention codes
 * (a newer runtime's) are ignored on load. Record items have no expiry attribute, so the table's Time To Live never
 * touches them.
 *
 * <p>Archive chunk item: {@code pk} (S) = {@code groupId + " archive " + chunkId}, {@code a} (B) = the chunk's bytes,
 * and the expiry attribute ({@value #DEFAULT_TTL_ATTRIBUTE} unless {@link Builder#ttlAttribute} says otherwise; N) =
 * {@code expiresAt} in epoch seconds, rounded up, which DynamoDB's Time To Live deletes some time after (see
 * {@link DynamoDbTableProvisioner}). An expired chunk DynamoDB has not deleted yet still reads back, as in DynamoDB.
 *
 * <p>{@link #load} and {@link #loadArchive} are strongly consistent {@code GetItem}s; {@link #loadAll} uses
 * {@code BatchGetItem} in chunks of 100 keys, with {@code ConsistentRead} set for {@link Consistency#STRONG} only, and
 * retries unprocessed keys with bounded exponential backoff. Every request asks for {@code ReturnConsumedCapacity
 * TOTAL} (no charge) and tells the optional {@link CapacityListener}. SDK failures become
 * {@link TransientFailureException} (throttling, 5xx, network) or {@link PermanentFailureException} (missing table,
 * access denied, invalid request); a lost conditional write becomes {@link VersionConflictException}. The client is
 * injected and never closed here.
 *
 * <p>Immutable and thread-safe (as is {@link DynamoDbClient}); byte arrays are copied in both directions. The
 * listener is called on the thread that made the request.
 */
public final class DynamoDbStateStore implements StateStore {
    static final String PK = "pk";
    static final String VERSION = "v";
    static final String STATE = "s";
    static final String CONTROL = "c";
    static final String ARCHIVE_DATA = "a";
    /**
     * The record's attention codes ({@link Attention#code()}), sorted and space-separated, present only when the
     * record needs attention: the partition key of the sparse index {@value #ATTENTION_INDEX}.
     */
    public static final String ATTENTION_ATTRIBUTE = "attn";
    /**
     * The global secondary index of the actors needing attention: partition key {@value #ATTENTION_ATTRIBUTE} (S),
     * sort key {@code pk} (S), projection KEYS_ONLY. Sparse: only record items with {@value #ATTENTION_ATTRIBUTE}
     * are in it. See {@link DynamoDbAttentionIndex}.
     */
    public static final String ATTENTION_INDEX = "attention";
    /** The default name of the archive chunks' expiry attribute, the one the table's Time To Live watches. */
    public static final String DEFAULT_TTL_ATTRIBUTE = "ttl";
    /**
     * Between the group id and the chunk id in an archive chunk's partition key. A group id is 1 to 128 printable
     * ASCII characters without a space ({@link ActorId}), so a key with a space is never a group id, and as neither
     * the group id nor the chunk id (printable ASCII, see {@link StateStore#checkArchive}) has a space, the first
     * space of the key separates them: two different (actor, chunk) pairs never share a key. At most 128 + 9 + 64
     * characters, well under DynamoDB's 2048-byte partition key limit.
     */
    static final String ARCHIVE_INFIX = " archive ";
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

    /** Names allowed for the expiry attribute: short, plain, and none of the store's own. */
    static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,254}");
    static final Set<String> OWN_ATTRIBUTES = Set.of(PK, VERSION, STATE, CONTROL, ARCHIVE_DATA, ATTENTION_ATTRIBUTE);

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbStateStore.class);
    private static final byte[] NO_BYTES = new byte[0];

    /** How the store waits between retries; replaced in tests. */
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    /**
     * Receives the capacity each DynamoDB request of a store consumed, for cost accounting (benchmarks, metrics).
     *
     * <pre>{@code
     * DoubleAdder writes = new DoubleAdder();
     * DynamoDbStateStore.builder().client(dynamo).tableName("actors")
     *         .capacityListener(u -> writes.add(u.writeUnits())).build();
     * }</pre>
     *
     * <p>Called on the requesting thread, so an implementation shared by threads must be thread-safe. What it throws
     * is logged and ignored: accounting never fails a store operation.
     */
    @FunctionalInterface
    public interface CapacityListener {
        void consumed(CapacityUsage usage);
    }

    /**
     * Where the units of a {@link CapacityUsage} come from.
     *
     * <pre>{@code
     * boolean exact = usage.source() != CapacitySource.LOWER_BOUND;
     * }</pre>
     *
     * <p>Immutable and thread-safe.
     */
    public enum CapacitySource {
        /** From the {@code ConsumedCapacity} the server returned. */
        REPORTED,
        /** Computed from item sizes with DynamoDB's billing rules: what DynamoDB bills. */
        COMPUTED,
        /**
         * Computed, but an item the bill depends on was unknown: a replaced record's size (DynamoDB bills the larger
         * of the item before and after a write) or, for a lost conditional write, the size of the item that won when
         * the server did not return it. DynamoDB bills this or more.
         */
        LOWER_BOUND
    }

    /**
     * The capacity one DynamoDB request consumed.
     *
     * <pre>{@code
     * CapacityUsage u = new CapacityUsage("commit", "PutItem", 0, 1, CapacitySource.REPORTED);
     * }</pre>
     *
     * <p>Immutable and thread-safe.
     *
     * @param operation  the store method: {@code load}, {@code loadAll}, {@code commit}, {@code putArchive} or
     *                   {@code loadArchive}
     * @param request    the DynamoDB operation: {@code GetItem}, {@code BatchGetItem} or {@code PutItem}; a
     *                   {@code loadAll} reports each {@code BatchGetItem} round
     * @param readUnits  read capacity units (an eventually consistent read of up to 4 KB is 0.5)
     * @param writeUnits write capacity units; a conditional write that lost still consumes them
     * @param source     whether the server reported the units or the store computed them
     */
    public record CapacityUsage(String operation, String request, double readUnits, double writeUnits,
                                CapacitySource source) {
        public CapacityUsage {
            Objects.requireNonNull(operation, "operation");
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(source, "source");
        }
    }

    private final DynamoDbClient client;
    private final String tableName;
    private final String ttlAttribute;
    private final CapacityListener capacityListener;
    private final Sleeper sleeper;

    private DynamoDbStateStore(Builder b) {
        this.client = b.client;
        this.tableName = b.tableName;
        this.ttlAttribute = b.ttlAttribute;
        this.capacityListener = b.capacityListener;
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

    /**
     * The actors of this store's table that need attention, read from its sparse index (see
     * {@link DynamoDbAttentionIndex}).
     *
     * <pre>{@code
     * store.attentionIndex().list(100).forEach(a -> System.out.println(a.actor() + " " + a.attention()));
     * }</pre>
     */
    public DynamoDbAttentionIndex attentionIndex() {
        return DynamoDbAttentionIndex.builder().client(client).tableName(tableName).build();
    }

    /** The name of the archive chunks' expiry attribute (epoch seconds). */
    public String ttlAttribute() {
        return ttlAttribute;
    }

    /**
     * The size DynamoDB bills for the item that stores {@code record} of actor {@code id}: attribute names plus
     * values, by the rules of the Developer Guide's "DynamoDB item sizes and formats". Every commit writes
     * {@code ceil(size / 1024)} write units at least; a strongly consistent read of it takes
     * {@code ceil(size / 4096)} read units.
     */
    public static long itemSizeBytes(ActorId id, StoredRecord record) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(record, "record");
        String attention = attentionValue(record.attention());
        return PK.length() + ItemSizes.utf8Length(id.groupId())
                + VERSION.length() + ItemSizes.numberSize(Long.toString(record.version()))
                + STATE.length() + record.state().length
                + CONTROL.length() + record.control().length
                + (attention == null ? 0 : ATTENTION_ATTRIBUTE.length() + attention.length());
    }

    /** The {@value #ATTENTION_ATTRIBUTE} value of a record: its codes sorted, space-separated; null if none. */
    static String attentionValue(Set<Attention> attention) {
        if (attention.isEmpty()) {
            return null;
        }
        return attention.stream().map(Attention::code).sorted().collect(Collectors.joining(" "));
    }

    /** The attention of an {@value #ATTENTION_ATTRIBUTE} value; unknown codes (a newer runtime's) are left out. */
    static Set<Attention> parseAttention(String value) {
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        EnumSet<Attention> out = EnumSet.noneOf(Attention.class);
        for (String code : value.trim().split(" +")) {
            Attention.fromCode(code).ifPresent(out::add);
        }
        return out;
    }

    // ------------------------------------------------------------------ records

    @Override
    public Optional<StoredRecord> load(ActorId id) {
        Objects.requireNonNull(id, "id");
        Map<String, AttributeValue> item = getItem("load", key(id), "for " + id);
        return item == null ? Optional.empty() : Optional.of(toRecord(id, item));
    }

    @Override
    public Map<ActorId, StoredRecord> loadAll(Collection<ActorId> ids, Consistency consistency) {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(consistency, "consistency");
        Map<String, ActorId> byGroupId = new LinkedHashMap<>();
        for (ActorId id : ids) {
            byGroupId.putIfAbsent(Objects.requireNonNull(id, "ids contains null").groupId(), id);
        }
        Map<ActorId, StoredRecord> found = new LinkedHashMap<>();
        List<ActorId> distinct = new ArrayList<>(byGroupId.values());
        for (int from = 0; from < distinct.size(); from += BATCH_GET_MAX_KEYS) {
            List<ActorId> chunk = distinct.subList(from, Math.min(distinct.size(), from + BATCH_GET_MAX_KEYS));
            batchGet(chunk, consistency == Consistency.STRONG, byGroupId, found);
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

    private void batchGet(List<ActorId> chunk, boolean strong, Map<String, ActorId> byGroupId,
                          Map<ActorId, StoredRecord> found) {
        List<Map<String, AttributeValue>> pending = new ArrayList<>(chunk.size());
        for (ActorId id : chunk) {
            pending.add(key(id));
        }
        int retriesWithoutProgress = 0;
        while (true) {
            BatchGetItemRequest request = BatchGetItemRequest.builder()
                    .requestItems(Map.of(tableName, KeysAndAttributes.builder()
                            .keys(pending)
                            .consistentRead(strong)
                            .build()))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                    .build();
            BatchGetItemResponse response;
            try {
                response = client.batchGetItem(request);
            } catch (SdkException e) {
                throw SdkErrors.map("BatchGetItem on table " + tableName + " for " + pending.size() + " actors", e);
            }
            double computedReads = 0;
            int returned = 0;
            if (response.hasResponses()) {
                for (Map<String, AttributeValue> item : response.responses().getOrDefault(tableName, List.of())) {
                    returned++;
                    computedReads += ItemSizes.readUnits(ItemSizes.itemSize(item), strong);
                    AttributeValue pk = item.get(PK);
                    ActorId id = pk == null ? null : byGroupId.get(pk.s());
                    if (id != null) {
                        found.put(id, toRecord(id, item));
                    }
                }
            }
            KeysAndAttributes unprocessed = response.hasUnprocessedKeys()
                    ? response.unprocessedKeys().get(tableName) : null;
            int left = unprocessed == null || !unprocessed.hasKeys() ? 0 : unprocessed.keys().size();
            // A key read and not found costs a read too; an unprocessed key was not read.
            int absent = Math.max(0, pending.size() - returned - left);
            computedReads += absent * ItemSizes.readUnits(0, strong);
            report("loadAll", "BatchGetItem", true, reported(response.hasConsumedCapacity()
                    ? response.consumedCapacity() : List.of(), true), computedReads, CapacitySource.COMPUTED);
            if (left == 0) {
                return;
            }
            boolean progress = left < pending.size();
            retriesWithoutProgress = progress ? 0 : retriesWithoutProgress + 1;
            if (retriesWithoutProgress > BATCH_GET_MAX_RETRIES) {
                throw new TransientFailureException("DynamoDB BatchGetItem on table " + tableName + " left "
                        + left + " keys unprocessed after " + BATCH_GET_MAX_RETRIES
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
        String attention = attentionValue(next.attention());
        if (attention != null) {
            item.put(ATTENTION_ATTRIBUTE, AttributeValue.fromS(attention));
        }
        PutItemRequest.Builder request = PutItemRequest.builder().tableName(tableName).item(item)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
        if (capacityListener != null) {
            // On a lost race the winner's item comes back (no capacity charged, only bandwidth), so the units the
            // failed write consumed, which depend on that item's size, can be computed.
            request.returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
        }
        if (expectedVersion == 0) {
            request.conditionExpression(CREATE_CONDITION);
        } else {
            request.conditionExpression(UPDATE_CONDITION)
                    .expressionAttributeValues(Map.of(EXPECTED, AttributeValue.fromN(Long.toString(expectedVersion))));
        }
        PutItemResponse response;
        try {
            response = client.putItem(request.build());
        } catch (ConditionalCheckFailedException e) {
            if (e.hasItem() && !e.item().isEmpty()) {
                report("commit", "PutItem", false, null, ItemSizes.writeUnits(ItemSizes.itemSize(e.item())),
                        CapacitySource.COMPUTED);
            } else {
                report("commit", "PutItem", false, null, 1, CapacitySource.LOWER_BOUND);
            }
            throw new VersionConflictException(id, expectedVersion);
        } catch (SdkException e) {
            if (isItemTooLarge(e)) {
                throw new RecordTooLargeException(id, next.sizeBytes(), MAX_RECORD_BYTES);
            }
            throw SdkErrors.map("PutItem on table " + tableName + " for " + id + " (version " + next.version()
                    + ", " + next.sizeBytes() + " bytes)", e);
        }
        // A first commit replaced nothing; a later one replaced a record of unknown size.
        report("commit", "PutItem", false, reported(single(response.consumedCapacity()), false),
                ItemSizes.writeUnits(itemSizeBytes(id, next)),
                expectedVersion == 0 ? CapacitySource.COMPUTED : CapacitySource.LOWER_BOUND);
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

    // ------------------------------------------------------------------ archive

    @Override
    public void putArchive(ActorId id, String chunkId, byte[] data, Instant expiresAt) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(chunkId, "chunkId");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(expiresAt, "expiresAt");
        StateStore.checkArchive(chunkId, data);
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put(PK, AttributeValue.fromS(archiveKey(id, chunkId)));
        item.put(ARCHIVE_DATA, AttributeValue.fromB(SdkBytes.fromByteArray(data)));
        item.put(ttlAttribute, AttributeValue.fromN(Long.toString(ttlSeconds(expiresAt))));
        PutItemResponse response;
        try {
            response = client.putItem(PutItemRequest.builder().tableName(tableName).item(item)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
        } catch (SdkException e) {
            throw SdkErrors.map("PutItem on table " + tableName + " for archive chunk " + chunkId + " of " + id
                    + " (" + data.length + " bytes)", e);
        }
        // Rewriting a chunk writes the same bytes, so the item before was no larger.
        report("putArchive", "PutItem", false, reported(single(response.consumedCapacity()), false),
                ItemSizes.writeUnits(ItemSizes.itemSize(item)), CapacitySource.COMPUTED);
    }

    @Override
    public Optional<byte[]> loadArchive(ActorId id, String chunkId) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(chunkId, "chunkId");
        StateStore.checkArchive(chunkId, NO_BYTES);
        Map<String, AttributeValue> item = getItem("loadArchive",
                Map.of(PK, AttributeValue.fromS(archiveKey(id, chunkId))),
                "for archive chunk " + chunkId + " of " + id);
        if (item == null) {
            return Optional.empty();
        }
        AttributeValue a = item.get(ARCHIVE_DATA);
        if (a == null || a.b() == null) {
            throw new PermanentFailureException("archive chunk " + chunkId + " of " + id + " in table " + tableName
                    + " has no binary attribute '" + ARCHIVE_DATA + "'; it was not written by this store");
        }
        return Optional.of(a.b().asByteArray()); // a fresh copy
    }

    /** The partition key of an archive chunk; never a group id (see {@link #ARCHIVE_INFIX}). */
    static String archiveKey(ActorId id, String chunkId) {
        return id.groupId() + ARCHIVE_INFIX + chunkId;
    }

    /** {@code expiresAt} in whole epoch seconds, rounded up: TTL deletes an item only once its value is past. */
    static long ttlSeconds(Instant expiresAt) {
        return expiresAt.getNano() == 0 ? expiresAt.getEpochSecond() : expiresAt.getEpochSecond() + 1;
    }

    // ------------------------------------------------------------------ shared

    /** A strongly consistent GetItem; the item, or null if there is none. */
    private Map<String, AttributeValue> getItem(String operation, Map<String, AttributeValue> key, String what) {
        GetItemRequest request = GetItemRequest.builder()
                .tableName(tableName)
                .key(key)
                .consistentRead(true)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                .build();
        GetItemResponse response;
        try {
            response = client.getItem(request);
        } catch (SdkException e) {
            throw SdkErrors.map("GetItem on table " + tableName + " " + what, e);
        }
        Map<String, AttributeValue> item = response.hasItem() && !response.item().isEmpty() ? response.item() : null;
        report(operation, "GetItem", true, reported(single(response.consumedCapacity()), true),
                ItemSizes.readUnits(item == null ? 0 : ItemSizes.itemSize(item), true), CapacitySource.COMPUTED);
        return item;
    }

    private static List<ConsumedCapacity> single(ConsumedCapacity c) {
        return c == null ? List.of() : List.of(c);
    }

    /** The units the server reported for this table, or null if it reported none. */
    private Double reported(List<ConsumedCapacity> capacities, boolean read) {
        Double total = null;
        for (ConsumedCapacity c : capacities) {
            if (c.tableName() != null && !c.tableName().equals(tableName)) {
                continue;
            }
            Double units = read ? c.readCapacityUnits() : c.writeCapacityUnits();
            if (units == null) {
                units = c.capacityUnits();
            }
            if (units != null) {
                total = total == null ? units : total + units;
            }
        }
        return total;
    }

    /** Tells the listener the server's units if it reported any, else the computed ones. */
    private void report(String operation, String request, boolean read, Double reported, double computed,
                        CapacitySource computedSource) {
        if (capacityListener == null) {
            return;
        }
        double units = reported != null ? reported : computed;
        CapacityUsage usage = new CapacityUsage(operation, request, read ? units : 0, read ? 0 : units,
                reported != null ? CapacitySource.REPORTED : computedSource);
        try {
            capacityListener.consumed(usage);
        } catch (RuntimeException e) {
            LOG.warn("capacity listener {} threw on {} {}; ignored", capacityListener.getClass().getName(),
                    operation, request, e);
        }
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
        AttributeValue attn = item.get(ATTENTION_ATTRIBUTE);
        return new StoredRecord(version, bytes(id, item, STATE), bytes(id, item, CONTROL),
                parseAttention(attn == null ? null : attn.s()));
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
        private String ttlAttribute = DEFAULT_TTL_ATTRIBUTE;
        private CapacityListener capacityListener;
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

        /**
         * The archive chunks' expiry attribute (default {@value #DEFAULT_TTL_ATTRIBUTE}): the one the table's Time To
         * Live is enabled on, as {@link DynamoDbTableProvisioner.Builder#ttlAttribute} does. A letter or '_', then up
         * to 254 letters, digits, '_', '-' or '.'; not one of the store's own attributes ({@code pk v s c a attn}).
         */
        public Builder ttlAttribute(String ttlAttribute) {
            this.ttlAttribute = ttlAttribute;
            return this;
        }

        /** Tells {@code listener} the capacity of every request (default: nobody). */
        public Builder capacityListener(CapacityListener listener) {
            this.capacityListener = listener;
            return this;
        }

        Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /**
         * The store.
         *
         * @throws ConfigurationException if the client or table name is missing, the name is not a valid DynamoDB
         *                                table name, or the expiry attribute name is invalid
         */
        public DynamoDbStateStore build() {
            requireClient("DynamoDbStateStore", client);
            requireTableName("DynamoDbStateStore", tableName);
            checkTtlAttribute("DynamoDbStateStore", ttlAttribute);
            return new DynamoDbStateStore(this);
        }
    }

    /** Checks a builder's client; shared with {@link DynamoDbAttentionIndex} and {@link DynamoDbTableProvisioner}. */
    static void requireClient(String who, DynamoDbClient client) {
        if (client == null) {
            throw new ConfigurationException(who + " needs a client: call .client(dynamoDbClient) on the builder");
        }
    }

    /**
     * Checks a table name: given, and 3 to 255 letters, digits, '_', '-' or '.'; shared with
     * {@link DynamoDbAttentionIndex} and {@link DynamoDbTableProvisioner}.
     */
    static void requireTableName(String who, String tableName) {
        if (tableName == null) {
            throw new ConfigurationException(who + " needs a table name: call .tableName(\"actors\") on the builder");
        }
        if (!TABLE_NAME.matcher(tableName).matches()) {
            throw new ConfigurationException(who + " table name '" + tableName + "' is not a valid DynamoDB table"
                    + " name (3 to 255 characters, each a letter, digit, '_', '-' or '.')");
        }
    }

    /** Checks an expiry attribute name; shared with {@link DynamoDbTableProvisioner}. */
    static void checkTtlAttribute(String who, String name) {
        if (name == null || !ATTRIBUTE_NAME.matcher(name).matches() || OWN_ATTRIBUTES.contains(name)) {
            throw new ConfigurationException(who + " expiry attribute '" + name + "' is not valid: a letter or '_',"
                    + " then up to 254 letters, digits, '_', '-' or '.', and not one of " + OWN_ATTRIBUTES);
        }
    }
}
