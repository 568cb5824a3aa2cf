package io.fifoactors.dynamodb;

import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.TransientFailureException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.core.waiters.WaiterResponse;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTimeToLiveRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTimeToLiveResponse;
import software.amazon.awssdk.services.dynamodb.model.CreateGlobalSecondaryIndexAction;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexUpdate;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveRequest;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Creates the table a {@link DynamoDbStateStore} needs, idempotently: on-demand billing (PAY_PER_REQUEST), the
 * single hash key {@code pk} of type S, the sparse global secondary index of the actors needing attention, and Time
 * To Live on the archive chunks' expiry attribute ({@value DynamoDbStateStore#DEFAULT_TTL_ATTRIBUTE} unless
 * {@link Builder#ttlAttribute} says otherwise), so that DynamoDB deletes expired chunks. For tests, demos and first
 * deployments; production stacks usually create the table with their infrastructure code, with the same key schema,
 * index and TTL attribute.
 *
 * <p>The index: name {@value DynamoDbStateStore#ATTENTION_INDEX}, partition key
 * {@value DynamoDbStateStore#ATTENTION_ATTRIBUTE} (S), sort key {@code pk} (S), projection KEYS_ONLY. Only record
 * items that need attention carry {@value DynamoDbStateStore#ATTENTION_ATTRIBUTE}, so the index holds just them
 * ({@link DynamoDbAttentionIndex} lists them at a cost proportional to their number), and as it projects no other
 * attribute, rewriting a record whose attention did not change writes nothing to the index. A table that exists
 * without the index gets it ({@code UpdateTable}, then a wait until the index is ACTIVE, which on AWS includes
 * backfilling the existing items); a table with provisioned capacity is refused with the reason, as the index would
 * need capacity figures only its owner can choose. As CloudFormation (the {@code Properties} of an
 * {@code AWS::DynamoDB::Table}):
 *
 * <pre>
 * AttributeDefinitions:
 *   - { AttributeName: pk, AttributeType: S }
 *   - { AttributeName: attn, AttributeType: S }
 * KeySchema:
 *   - { AttributeName: pk, KeyType: HASH }
 * GlobalSecondaryIndexes:
 *   - IndexName: attention
 *     KeySchema:
 *       - { AttributeName: attn, KeyType: HASH }
 *       - { AttributeName: pk, KeyType: RANGE }
 *     Projection: { ProjectionType: KEYS_ONLY }
 * </pre>
 *
 * <pre>{@code
 * DynamoDbTableProvisioner provisioner = DynamoDbTableProvisioner.builder().client(dynamo).build();
 * TableSetup setup = provisioner.ensure("actors");   // creates it if absent, waits until ACTIVE, enables TTL
 * setup.timeToLive();                                // UNSUPPORTED on a local server without TTL, e.g. dynalite
 * }</pre>
 *
 * <p>Immutable and thread-safe. The client is injected and never closed here.
 */
public final class DynamoDbTableProvisioner {
    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbTableProvisioner.class);

    /**
     * What {@link #ensureTimeToLive} found or did.
     *
     * <pre>{@code
     * boolean expires = provisioner.ensureTimeToLive("actors") != TtlStatus.UNSUPPORTED;
     * }</pre>
     *
     * <p>Immutable and thread-safe.
     */
    public enum TtlStatus {
        /** This call enabled Time To Live on the expiry attribute (DynamoDB may take up to an hour to apply it). */
        ENABLED,
        /** Time To Live was already on (or being turned on) for the expiry attribute; nothing was changed. */
        ALREADY_ENABLED,
        /**
         * The server has no Time To Live ({@code UnknownOperationException}, as from dynalite): archive chunks are
         * never deleted there. Logged at WARN; harmless on a local test server, wrong on AWS.
         */
        UNSUPPORTED
    }

    /**
     * What {@link #ensure} found or did about the attention index.
     *
     * <pre>{@code
     * boolean added = provisioner.ensure("actors").attentionIndex() == IndexStatus.ADDED;
     * }</pre>
     *
     * <p>Immutable and thread-safe.
     */
    public enum IndexStatus {
        /** Created with the table by this call. */
        CREATED_WITH_TABLE,
        /** Added by this call to a table that lacked it, and now ACTIVE. */
        ADDED,
        /** The table had it already (this call waited for it to become ACTIVE if it was being built). */
        ALREADY_PRESENT
    }

    /**
     * What {@link #ensure} did.
     *
     * <pre>{@code
     * boolean fresh = provisioner.ensure("actors").created();
     * }</pre>
     *
     * <p>Immutable and thread-safe.
     *
     * @param created        whether this call created the table
     * @param timeToLive     the table's Time To Live on the expiry attribute
     * @param attentionIndex the table's attention index
     */
    public record TableSetup(boolean created, TtlStatus timeToLive, IndexStatus attentionIndex) {
    }

    /** How long {@link #ensureTable} waits for a table to become ACTIVE unless told otherwise. */
    public static final Duration DEFAULT_WAIT_TIMEOUT = Duration.ofMinutes(5);
    static final Duration POLL_BASE = Duration.ofMillis(50);
    static final Duration POLL_MAX = Duration.ofSeconds(5);

    private final DynamoDbClient client;
    private final Duration waitTimeout;
    private final String ttlAttribute;

    private DynamoDbTableProvisioner(Builder b) {
        this.client = b.client;
        this.waitTimeout = b.waitTimeout;
        this.ttlAttribute = b.ttlAttribute;
    }

    /** A builder; {@link Builder#client} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Makes sure the table exists with the store's key schema and is ACTIVE (creating it if absent, tolerating a
     * concurrent creator, and waiting), then {@linkplain #ensureTimeToLive enables Time To Live}.
     *
     * @throws ConfigurationException     if the name is invalid, the table exists with another key schema, an index
     *                                    named {@value DynamoDbStateStore#ATTENTION_INDEX} of another shape, or
     *                                    provisioned capacity and no attention index, or its Time To Live is on for
     *                                    another attribute
     * @throws TransientFailureException  if the table or its index does not become ACTIVE in time (the index goes
     *                                    on being built: call again to wait again), DynamoDB is throttling, or Time
     *                                    To Live is being disabled
     * @throws PermanentFailureException  for other refusals (access denied, validation), or a server that accepts
     *                                    the index's creation and does not create it (dynalite)
     */
    public TableSetup ensure(String tableName) {
        boolean created = createIfAbsent(tableName);
        IndexStatus index = created ? IndexStatus.CREATED_WITH_TABLE : ensureAttentionIndex(tableName);
        return new TableSetup(created, ensureTimeToLive(tableName), index);
    }

    /**
     * {@link #ensure}, telling only whether this call created the table.
     *
     * @return true if this call created the table
     */
    public boolean ensureTable(String tableName) {
        return ensure(tableName).created();
    }

    /**
     * Enables Time To Live on the expiry attribute of an existing table unless it is already on. On a server without
     * Time To Live (dynalite answers {@code UnknownOperationException}) it logs a warning and returns
     * {@link TtlStatus#UNSUPPORTED} instead of failing.
     *
     * @throws ConfigurationException    if Time To Live is on for another attribute (DynamoDB allows one per table)
     * @throws TransientFailureException if Time To Live is being disabled (DynamoDB refuses changes until that is
     *                                   done, up to an hour), or DynamoDB is throttling
     * @throws PermanentFailureException for other refusals (missing table, access denied)
     */
    public TtlStatus ensureTimeToLive(String tableName) {
        checkName(tableName);
        TimeToLiveDescription current;
        try {
            DescribeTimeToLiveResponse r = client.describeTimeToLive(DescribeTimeToLiveRequest.builder()
                    .tableName(tableName).build());
            current = r.timeToLiveDescription();
        } catch (SdkException e) {
            if (isUnknownOperation(e)) {
                return unsupported(tableName, "DescribeTimeToLive");
            }
            throw SdkErrors.map("DescribeTimeToLive " + tableName, e);
        }
        if (alreadyOn(tableName, current)) {
            return TtlStatus.ALREADY_ENABLED;
        }
        try {
            client.updateTimeToLive(UpdateTimeToLiveRequest.builder()
                    .tableName(tableName)
                    .timeToLiveSpecification(TimeToLiveSpecification.builder()
                            .attributeName(ttlAttribute)
                            .enabled(true)
                            .build())
                    .build());
        } catch (SdkException e) {
            if (isUnknownOperation(e)) {
                return unsupported(tableName, "UpdateTimeToLive");
            }
            // Someone may have enabled it between our describe and update: look again before failing.
            TimeToLiveDescription now = null;
            try {
                now = client.describeTimeToLive(DescribeTimeToLiveRequest.builder().tableName(tableName).build())
                        .timeToLiveDescription();
            } catch (SdkException again) {
                e.addSuppressed(again);
            }
            if (now != null && alreadyOn(tableName, now)) {
                return TtlStatus.ALREADY_ENABLED;
            }
            throw SdkErrors.map("UpdateTimeToLive " + tableName + " on attribute " + ttlAttribute, e);
        }
        return TtlStatus.ENABLED;
    }

    /** True if TTL is on (or turning on) for our attribute; throws if it is on for another or turning off. */
    private boolean alreadyOn(String tableName, TimeToLiveDescription d) {
        TimeToLiveStatus status = d == null ? null : d.timeToLiveStatus();
        if (status == TimeToLiveStatus.ENABLED || status == TimeToLiveStatus.ENABLING) {
            if (!ttlAttribute.equals(d.attributeName())) {
                throw new ConfigurationException("table " + tableName + " has Time To Live on attribute '"
                        + d.attributeName() + "', not on the store's expiry attribute '" + ttlAttribute + "'; configure"
                        + " the store and provisioner with .ttlAttribute(\"" + d.attributeName() + "\") or change the"
                        + " table");
            }
            return true;
        }
        if (status == TimeToLiveStatus.DISABLING) {
            throw new TransientFailureException("Time To Live of table " + tableName + " is being disabled;"
                    + " DynamoDB accepts enabling it again once that is done (up to an hour)");
        }
        return false;
    }

    private TtlStatus unsupported(String tableName, String operation) {
        LOG.warn("DynamoDB endpoint has no Time To Live ({} answered UnknownOperationException): archive chunks in"
                + " table {} will never expire. Expected on a local server such as dynalite; on AWS check the"
                + " endpoint.", operation, tableName);
        return TtlStatus.UNSUPPORTED;
    }

    static boolean isUnknownOperation(SdkException e) {
        return e instanceof SdkServiceException s && "UnknownOperationException".equals(SdkErrors.errorCode(s));
    }

    private boolean createIfAbsent(String tableName) {
        checkName(tableName);
        boolean created = false;
        TableDescription existing = describe(tableName);
        if (existing == null) {
            try {
                client.createTable(createRequest(tableName));
                created = true;
            } catch (ResourceInUseException e) {
                // Created concurrently by someone else: fine, wait for it below and check its schema.
                created = false;
            } catch (SdkException e) {
                throw SdkErrors.map("CreateTable " + tableName, e);
            }
        } else {
            checkSchema(existing);
            if (existing.tableStatus() == TableStatus.ACTIVE) {
                return false;
            }
        }
        TableDescription active = waitUntilActive(tableName);
        if (!created) {
            checkSchema(active);
        }
        return created;
    }

    /**
     * Deletes the table if it exists (its items are lost) and waits until it is gone.
     *
     * @return true if this call deleted it
     */
    public boolean deleteTableIfPresent(String tableName) {
        checkName(tableName);
        try {
            client.deleteTable(DeleteTableRequest.builder().tableName(tableName).build());
        } catch (ResourceNotFoundException e) {
            return false;
        } catch (SdkException e) {
            throw SdkErrors.map("DeleteTable " + tableName, e);
        }
        try (DynamoDbWaiter waiter = waiter()) {
            waiter.waitUntilTableNotExists(DescribeTableRequest.builder().tableName(tableName).build());
        } catch (SdkException e) {
            throw SdkErrors.map("waiting for table " + tableName + " to be deleted", e);
        }
        return true;
    }

    static CreateTableRequest createRequest(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attributeDefinitions())
                .keySchema(KeySchemaElement.builder()
                        .attributeName(DynamoDbStateStore.PK)
                        .keyType(KeyType.HASH)
                        .build())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName(DynamoDbStateStore.ATTENTION_INDEX)
                        .keySchema(attentionKeySchema())
                        .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
                        .build())
                .build();
    }

    static List<AttributeDefinition> attributeDefinitions() {
        return List.of(
                AttributeDefinition.builder().attributeName(DynamoDbStateStore.PK)
                        .attributeType(ScalarAttributeType.S).build(),
                AttributeDefinition.builder().attributeName(DynamoDbStateStore.ATTENTION_ATTRIBUTE)
                        .attributeType(ScalarAttributeType.S).build());
    }

    static List<KeySchemaElement> attentionKeySchema() {
        return List.of(
                KeySchemaElement.builder().attributeName(DynamoDbStateStore.ATTENTION_ATTRIBUTE)
                        .keyType(KeyType.HASH).build(),
                KeySchemaElement.builder().attributeName(DynamoDbStateStore.PK).keyType(KeyType.RANGE).build());
    }

    /**
     * Makes sure the ACTIVE table {@code tableName} has the attention index, adding it if absent and waiting until it
     * is ACTIVE. {@link #ensure} calls this for a table it did not create.
     *
     * @throws ConfigurationException    if an index of that name has another shape, or the table has provisioned
     *                                   capacity and no index (the index would need capacity figures of its own)
     * @throws TransientFailureException if the index does not become ACTIVE within the wait timeout
     * @throws PermanentFailureException if the server accepts the creation and does not create the index (dynalite
     *                                   4.0.0 ignores an UpdateTable's GlobalSecondaryIndexUpdates), or refuses it
     */
    public IndexStatus ensureAttentionIndex(String tableName) {
        checkName(tableName);
        TableDescription t = describe(tableName);
        if (t == null) {
            throw new PermanentFailureException("table " + tableName + " does not exist: call ensure(\"" + tableName
                    + "\") to create it with its index");
        }
        Optional<GlobalSecondaryIndexDescription> index = attentionIndexOf(t);
        if (index.isPresent()) {
            checkIndex(tableName, index.get());
            if (index.get().indexStatus() != INDEX_ACTIVE) {
                waitForIndex(tableName);
            }
            return IndexStatus.ALREADY_PRESENT;
        }
        BillingMode billing = t.billingModeSummary() == null ? BillingMode.PROVISIONED
                : t.billingModeSummary().billingMode();
        if (billing != BillingMode.PAY_PER_REQUEST) {
            throw new ConfigurationException("table " + tableName + " has provisioned capacity and no global secondary"
                    + " index '" + DynamoDbStateStore.ATTENTION_INDEX + "'; add it with read and write capacity of your"
                    + " choice (partition key " + DynamoDbStateStore.ATTENTION_ATTRIBUTE + " S, sort key "
                    + DynamoDbStateStore.PK + " S, projection KEYS_ONLY), or switch the table to on-demand");
        }
        UpdateTableResponse response;
        try {
            response = client.updateTable(UpdateTableRequest.builder()
                    .tableName(tableName)
                    .attributeDefinitions(attributeDefinitions())
                    .globalSecondaryIndexUpdates(GlobalSecondaryIndexUpdate.builder()
                            .create(CreateGlobalSecondaryIndexAction.builder()
                                    .indexName(DynamoDbStateStore.ATTENTION_INDEX)
                                    .keySchema(attentionKeySchema())
                                    .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
                                    .build())
                            .build())
                    .build());
        } catch (SdkException e) {
            // Someone may have added it between our describe and update: look again before failing.
            TableDescription now = null;
            try {
                now = describe(tableName);
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            if (now != null && attentionIndexOf(now).isPresent()) {
                checkIndex(tableName, attentionIndexOf(now).get());
                waitForIndex(tableName);
                return IndexStatus.ALREADY_PRESENT;
            }
            if (demandsThroughput(e)) {
                throw new PermanentFailureException("DynamoDB endpoint refused adding index '"
                        + DynamoDbStateStore.ATTENTION_INDEX + "' to on-demand table " + tableName + " without"
                        + " ProvisionedThroughput, which DynamoDB requires to be absent on an on-demand table: the"
                        + " server cannot add an index to an existing table (dynalite 4.0.0 demands the throughput,"
                        + " then ignores the index). Recreate the table with ensure(), which creates the index with it;"
                        + " " + SdkErrors.describe(e), e);
            }
            throw SdkErrors.map("UpdateTable " + tableName + " adding index " + DynamoDbStateStore.ATTENTION_INDEX, e);
        }
        boolean listed = response.tableDescription() != null
                && attentionIndexOf(response.tableDescription()).isPresent();
        TableDescription after = describe(tableName);
        if (!listed && (after == null || attentionIndexOf(after).isEmpty())) {
            throw new PermanentFailureException("DynamoDB endpoint accepted UpdateTable adding index '"
                    + DynamoDbStateStore.ATTENTION_INDEX + "' to table " + tableName + " but neither its answer nor"
                    + " the table's description lists the index: the server ignores GlobalSecondaryIndexUpdates"
                    + " (dynalite 4.0.0 does). Recreate the table with ensure(), which creates the index with it");
        }
        waitForIndex(tableName);
        LOG.info("added global secondary index {} to table {}", DynamoDbStateStore.ATTENTION_INDEX, tableName);
        return IndexStatus.ADDED;
    }

    /** A validation refusal that asks for the index's throughput (which an on-demand table must not give). */
    private static boolean demandsThroughput(SdkException e) {
        if (!(e instanceof SdkServiceException s) || !"ValidationException".equals(SdkErrors.errorCode(s))) {
            return false;
        }
        String message = SdkErrors.serviceMessage(s);
        return message != null && message.toLowerCase(java.util.Locale.ROOT).contains("provisionedthroughput");
    }

    /** DynamoDB's ACTIVE index status (the SDK's enum shares its simple name with {@link IndexStatus}). */
    private static final software.amazon.awssdk.services.dynamodb.model.IndexStatus INDEX_ACTIVE =
            software.amazon.awssdk.services.dynamodb.model.IndexStatus.ACTIVE;

    static Optional<GlobalSecondaryIndexDescription> attentionIndexOf(TableDescription t) {
        if (!t.hasGlobalSecondaryIndexes()) {
            return Optional.empty();
        }
        return t.globalSecondaryIndexes().stream()
                .filter(i -> DynamoDbStateStore.ATTENTION_INDEX.equals(i.indexName())).findFirst();
    }

    private static void checkIndex(String tableName, GlobalSecondaryIndexDescription index) {
        boolean keysOk = attentionKeySchema().equals(index.keySchema());
        boolean projectionOk = index.projection() != null
                && index.projection().projectionType() == ProjectionType.KEYS_ONLY;
        if (!keysOk || !projectionOk) {
            throw new ConfigurationException("table " + tableName + " has an index '" + index.indexName()
                    + "' with key schema " + index.keySchema() + " and projection " + index.projection()
                    + "; the attention index needs partition key " + DynamoDbStateStore.ATTENTION_ATTRIBUTE
                    + " (S), sort key " + DynamoDbStateStore.PK + " (S) and projection KEYS_ONLY");
        }
    }

    /** Polls DescribeTable with exponential backoff until the attention index is ACTIVE or the timeout passes. */
    private void waitForIndex(String tableName) {
        long deadline = System.nanoTime() + waitTimeout.toNanos();
        long delay = POLL_BASE.toMillis();
        while (true) {
            TableDescription t = describe(tableName);
            Optional<GlobalSecondaryIndexDescription> index = t == null ? Optional.empty() : attentionIndexOf(t);
            if (index.isPresent() && index.get().indexStatus() == INDEX_ACTIVE) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new TransientFailureException("index " + DynamoDbStateStore.ATTENTION_INDEX + " of table "
                        + tableName + " did not become ACTIVE within " + waitTimeout + " (status "
                        + index.map(GlobalSecondaryIndexDescription::indexStatusAsString).orElse("absent")
                        + "); DynamoDB goes on building it: call ensure again to wait again");
            }
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransientFailureException("interrupted while waiting for index "
                        + DynamoDbStateStore.ATTENTION_INDEX + " of table " + tableName);
            }
            delay = Math.min(POLL_MAX.toMillis(), delay * 2);
        }
    }

    private TableDescription describe(String tableName) {
        try {
            DescribeTableResponse r = client.describeTable(DescribeTableRequest.builder().tableName(tableName).build());
            return r.table();
        } catch (ResourceNotFoundException e) {
            return null;
        } catch (SdkException e) {
            throw SdkErrors.map("DescribeTable " + tableName, e);
        }
    }

    private TableDescription waitUntilActive(String tableName) {
        WaiterResponse<DescribeTableResponse> r;
        try (DynamoDbWaiter waiter = waiter()) {
            r = waiter.waitUntilTableExists(DescribeTableRequest.builder().tableName(tableName).build());
        } catch (SdkException e) {
            throw SdkErrors.map("waiting for table " + tableName + " to become ACTIVE (up to " + waitTimeout + ")",
                    e);
        }
        if (r.matched().response().isPresent()) {
            return r.matched().response().get().table();
        }
        Throwable t = r.matched().exception().orElse(null);
        throw new TransientFailureException("table " + tableName + " did not become ACTIVE"
                + (t == null ? "" : ": " + t.getMessage()), t);
    }

    private DynamoDbWaiter waiter() {
        return DynamoDbWaiter.builder()
                .client(client)
                .overrideConfiguration(WaiterOverrideConfiguration.builder()
                        .backoffStrategyV2(BackoffStrategy.exponentialDelayWithoutJitter(POLL_BASE, POLL_MAX))
                        .maxAttempts(Integer.MAX_VALUE)
                        .waitTimeout(waitTimeout)
                        .build())
                .build();
    }

    private static void checkSchema(TableDescription t) {
        List<KeySchemaElement> keys = t.keySchema();
        boolean keyOk = keys.size() == 1 && DynamoDbStateStore.PK.equals(keys.get(0).attributeName())
                && keys.get(0).keyType() == KeyType.HASH;
        boolean typeOk = t.attributeDefinitions().stream().anyMatch(a -> DynamoDbStateStore.PK.equals(a.attributeName())
                && a.attributeType() == ScalarAttributeType.S);
        if (!keyOk || !typeOk) {
            throw new ConfigurationException("table " + t.tableName() + " exists with key schema " + keys
                    + " and attributes " + t.attributeDefinitions() + "; DynamoDbStateStore needs exactly the hash key"
                    + " '" + DynamoDbStateStore.PK + "' of type S");
        }
    }

    private static void checkName(String tableName) {
        Objects.requireNonNull(tableName, "tableName");
        DynamoDbStateStore.requireTableName("DynamoDbTableProvisioner", tableName);
    }

    @Override
    public String toString() {
        return "DynamoDbTableProvisioner[waitTimeout=" + waitTimeout + ", ttlAttribute=" + ttlAttribute + "]";
    }

    /** Builds a {@link DynamoDbTableProvisioner}. Not thread-safe; use it from one thread. */
    public static final class Builder {
        private DynamoDbClient client;
        private Duration waitTimeout = DEFAULT_WAIT_TIMEOUT;
        private String ttlAttribute = DynamoDbStateStore.DEFAULT_TTL_ATTRIBUTE;

        private Builder() {
        }

        /**
         * The attribute Time To Live watches (default {@value DynamoDbStateStore#DEFAULT_TTL_ATTRIBUTE}); must be the
         * store's {@link DynamoDbStateStore.Builder#ttlAttribute}.
         */
        public Builder ttlAttribute(String ttlAttribute) {
            this.ttlAttribute = ttlAttribute;
            return this;
        }

        /** The client to use (required); the caller owns it and closes it. */
        public Builder client(DynamoDbClient client) {
            this.client = client;
            return this;
        }

        /** How long to wait for a table to become ACTIVE or go away (default 5 minutes). */
        public Builder waitTimeout(Duration waitTimeout) {
            this.waitTimeout = waitTimeout;
            return this;
        }

        /**
         * The provisioner.
         *
         * @throws ConfigurationException if the client is missing, the wait timeout is not positive, or the expiry
         *                                attribute name is invalid
         */
        public DynamoDbTableProvisioner build() {
            DynamoDbStateStore.requireClient("DynamoDbTableProvisioner", client);
            if (waitTimeout == null || waitTimeout.isZero() || waitTimeout.isNegative()) {
                throw new ConfigurationException("DynamoDbTableProvisioner wait timeout must be positive, was "
                        + waitTimeout);
            }
            DynamoDbStateStore.checkTtlAttribute("DynamoDbTableProvisioner", ttlAttribute);
            return new DynamoDbTableProvisioner(this);
        }
    }
}
