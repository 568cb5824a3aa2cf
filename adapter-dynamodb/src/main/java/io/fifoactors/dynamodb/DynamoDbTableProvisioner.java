package io.fifoactors.dynamodb;

import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.TransientFailureException;
import software.amazon.awssdk.core.exception.SdkException;
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
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Creates the table a {@link DynamoDbStateStore} needs, idempotently: on-demand billing (PAY_PER_REQUEST) and the
 * single hash key {@code pk} of type S. For tests, demos and first deployments; production stacks usually create the
 * table with their infrastructure code, with the same key schema.
 *
 * <pre>{@code
 * DynamoDbTableProvisioner provisioner = DynamoDbTableProvisioner.builder().client(dynamo).build();
 * provisioner.ensureTable("actors");   // creates it if absent, then waits until it is ACTIVE
 * }</pre>
 *
 * <p>Immutable and thread-safe. The client is injected and never closed here.
 */
public final class DynamoDbTableProvisioner {
    /** How long {@link #ensureTable} waits for a table to become ACTIVE unless told otherwise. */
    public static final Duration DEFAULT_WAIT_TIMEOUT = Duration.ofMinutes(5);
    static final Duration POLL_BASE = Duration.ofMillis(50);
    static final Duration POLL_MAX = Duration.ofSeconds(5);

    private final DynamoDbClient client;
    private final Duration waitTimeout;

    private DynamoDbTableProvisioner(Builder b) {
        this.client = b.client;
        this.waitTimeout = b.waitTimeout;
    }

    /** A builder; {@link Builder#client} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Makes sure the table exists with the store's key schema and is ACTIVE: creates it if absent (tolerating a
     * concurrent creator) and waits.
     *
     * @return true if this call created the table
     * @throws ConfigurationException     if the name is invalid, or the table exists with another key schema
     * @throws TransientFailureException  if the table does not become ACTIVE in time, or DynamoDB is throttling
     * @throws PermanentFailureException  for other refusals (access denied, validation)
     */
    public boolean ensureTable(String tableName) {
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
        return "DynamoDbTableProvisioner[waitTimeout=" + waitTimeout + "]";
    }

    /** Builds a {@link DynamoDbTableProvisioner}. Not thread-safe; use it from one thread. */
    public static final class Builder {
        private DynamoDbClient client;
        private Duration waitTimeout = DEFAULT_WAIT_TIMEOUT;

        private Builder() {
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
         * @throws ConfigurationException if the client is missing or the wait timeout is not positive
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
            return new DynamoDbTableProvisioner(this);
        }
    }
}
