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

/**
 * Creates the table a {@link DynamoDbStateStore} needs, idempotently: on-demand billing (PAY_PER_REQUEST), the
 * single hash key {@code pk} of type S, and Time To Live on the archive chunks' expiry attribute
 * ({@value DynamoDbStateStore#DEFAULT_TTL_ATTRIBUTE} unless {@link Builder#ttlAttribute} says otherwise), so that
 * DynamoDB deletes expired chunks. For tests, demos and first deployments; production stacks usually create the
 * table with their infrastructure code, with the same key schema and TTL attribute.
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
     * What {@link #ensure} did.
     *
     * <pre>{@code
     * boolean fresh = provisioner.ensure("actors").created();
     * }</pre>
     *
     * <p>Immutable and thread-safe.
     *
     * @param created    whether this call created the table
     * @param timeToLive the table's Time To Live on the expiry attribute
     */
    public record TableSetup(boolean created, TtlStatus timeToLive) {
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
     * @throws ConfigurationException     if the name is invalid, the table exists with another key schema, or its
     *                                    Time To Live is on for another attribute
     * @throws TransientFailureException  if the table does not become ACTIVE in time, DynamoDB is throttling, or
     *                                    Time To Live is being disabled
     * @throws PermanentFailureException  for other refusals (access denied, validation)
     */
    public TableSetup ensure(String tableName) {
        boolean created = createIfAbsent(tableName);
        return new TableSetup(created, ensureTimeToLive(tableName));
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
                .attributeDefinitions(AttributeDefinition.builder()
                        .attributeName(DynamoDbStateStore.PK)
                        .attributeType(ScalarAttributeType.S)
                        .build())
                .keySchema(KeySchemaElement.builder()
                        .attributeName(DynamoDbStateStore.PK)
                        .keyType(KeyType.HASH)
                        .build())
                .build();
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
        if (!DynamoDbStateStore.TABLE_NAME.matcher(tableName).matches()) {
            throw new ConfigurationException("'" + tableName + "' is not a valid DynamoDB table name (3 to 255"
                    + " characters, each a letter, digit, '_', '-' or '.')");
        }
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
            if (client == null) {
                throw new ConfigurationException("DynamoDbTableProvisioner needs a client: call"
                        + " .client(dynamoDbClient) on the builder");
            }
            if (waitTimeout == null || waitTimeout.isZero() || waitTimeout.isNegative()) {
                throw new ConfigurationException("DynamoDbTableProvisioner wait timeout must be positive, was "
                        + waitTimeout);
            }
            DynamoDbStateStore.checkTtlAttribute("DynamoDbTableProvisioner", ttlAttribute);
            return new DynamoDbTableProvisioner(this);
        }
    }
}
