package io.fifoactors.dynamodb;

import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.TransientFailureException;
import io.fifoactors.dynamodb.DynamoDbTableProvisioner.TableSetup;
import io.fifoactors.dynamodb.DynamoDbTableProvisioner.TtlStatus;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.BillingModeSummary;
import software.amazon.awssdk.services.dynamodb.model.CreateGlobalSecondaryIndexAction;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableResponse;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.CreateTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTimeToLiveRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTimeToLiveResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
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
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveResponse;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DynamoDbTableProvisioner against a hand-written fake client (the SDK waiter runs against it too). */
class DynamoDbTableProvisionerTest {
    private final FakeDynamoDbClient client = new FakeDynamoDbClient();
    private final DynamoDbTableProvisioner provisioner = DynamoDbTableProvisioner.builder().client(client).build();

    private static DescribeTableResponse table(String name, TableStatus status, String keyName,
                                               ScalarAttributeType type) {
        return table(name, status, keyName, type, IndexStatus.ACTIVE);
    }

    /** A table with the attention index in {@code indexStatus} (null: without the index). */
    private static DescribeTableResponse table(String name, TableStatus status, String keyName,
                                               ScalarAttributeType type, IndexStatus indexStatus) {
        TableDescription.Builder t = TableDescription.builder()
                .tableName(name)
                .tableStatus(status)
                .billingModeSummary(BillingModeSummary.builder().billingMode(BillingMode.PAY_PER_REQUEST).build())
                .keySchema(KeySchemaElement.builder().attributeName(keyName).keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName(keyName).attributeType(type)
                        .build());
        if (indexStatus != null) {
            t.globalSecondaryIndexes(attentionIndex(indexStatus, ProjectionType.KEYS_ONLY));
        }
        return DescribeTableResponse.builder().table(t.build()).build();
    }

    private static GlobalSecondaryIndexDescription attentionIndex(IndexStatus status, ProjectionType projection) {
        return GlobalSecondaryIndexDescription.builder().indexName("attention").indexStatus(status)
                .keySchema(KeySchemaElement.builder().attributeName("attn").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("pk").keyType(KeyType.RANGE).build())
                .projection(Projection.builder().projectionType(projection).build())
                .build();
    }

    private static DescribeTimeToLiveResponse ttl(TimeToLiveStatus status, String attribute) {
        return DescribeTimeToLiveResponse.builder().timeToLiveDescription(TimeToLiveDescription.builder()
                .timeToLiveStatus(status).attributeName(attribute).build()).build();
    }

    private static DynamoDbException unknownOperation() {
        // What dynalite answers for UpdateTimeToLive: HTTP 400, __type ...#UnknownOperationException, no message.
        return (DynamoDbException) DynamoDbException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                .errorCode("UnknownOperationException").build()).build();
    }

    private static ResourceNotFoundException notFound() {
        return ResourceNotFoundException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceNotFoundException")
                        .errorMessage("Requested resource not found").build())
                .build();
    }

    @Test
    void theBuilderRequiresAClientAndAPositiveTimeout() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> DynamoDbTableProvisioner.builder().build());
        assertTrue(e.getMessage().contains(".client(dynamoDbClient)"), e.getMessage());
        assertThrows(ConfigurationException.class,
                () -> DynamoDbTableProvisioner.builder().client(client).waitTimeout(Duration.ZERO).build());
        assertThrows(ConfigurationException.class,
                () -> DynamoDbTableProvisioner.builder().client(client).waitTimeout(null).build());
    }

    @Test
    void anInvalidTableNameIsRefusedBeforeAnyRequest() {
        assertThrows(ConfigurationException.class, () -> provisioner.ensureTable("no"));
        assertThrows(ConfigurationException.class, () -> provisioner.ensureTable("bad name"));
        assertTrue(client.requests.isEmpty());
    }

    @Test
    void anAbsentTableIsCreatedOnDemandWithTheStoreKeyAndAwaited() {
        AtomicInteger describes = new AtomicInteger();
        client.onDescribeTable = r -> {
            int n = describes.incrementAndGet();
            if (n == 1) {
                throw notFound();
            }
            return table("actors", n == 2 ? TableStatus.CREATING : TableStatus.ACTIVE, "pk", ScalarAttributeType.S);
        };
        client.onCreateTable = r -> CreateTableResponse.builder().build();
        client.onDescribeTimeToLive = r -> ttl(TimeToLiveStatus.DISABLED, null);
        client.onUpdateTimeToLive = r -> UpdateTimeToLiveResponse.builder().build();
        assertEquals(new TableSetup(true, TtlStatus.ENABLED, DynamoDbTableProvisioner.IndexStatus.CREATED_WITH_TABLE),
                provisioner.ensure("actors"));

        CreateTableRequest create = client.requestsOf(CreateTableRequest.class).get(0);
        assertEquals("actors", create.tableName());
        assertEquals(BillingMode.PAY_PER_REQUEST, create.billingMode());
        assertEquals(List.of(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()),
                create.keySchema());
        assertEquals(List.of(
                AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                AttributeDefinition.builder().attributeName("attn").attributeType(ScalarAttributeType.S).build()),
                create.attributeDefinitions());
        // the sparse attention index: attn (HASH), pk (RANGE), keys only, no throughput of its own (on demand)
        assertEquals(1, create.globalSecondaryIndexes().size());
        GlobalSecondaryIndex gsi = create.globalSecondaryIndexes().get(0);
        assertEquals("attention", gsi.indexName());
        assertEquals(List.of(KeySchemaElement.builder().attributeName("attn").keyType(KeyType.HASH).build(),
                KeySchemaElement.builder().attributeName("pk").keyType(KeyType.RANGE).build()), gsi.keySchema());
        assertEquals(ProjectionType.KEYS_ONLY, gsi.projection().projectionType());
        assertNull(gsi.provisionedThroughput());
        assertTrue(client.requestsOf(UpdateTableRequest.class).isEmpty(), "created with the table, not added");
        assertEquals(3, describes.get(), "described, then polled until ACTIVE");
        for (DescribeTableRequest d : client.requestsOf(DescribeTableRequest.class)) {
            assertEquals("actors", d.tableName());
        }
        // Time To Live comes last, once the table is ACTIVE, on the store's default expiry attribute.
        Object last = client.requests.get(client.requests.size() - 1);
        UpdateTimeToLiveRequest update = assertInstanceOf(UpdateTimeToLiveRequest.class, last);
        assertEquals("actors", update.tableName());
        assertEquals(TimeToLiveSpecification.builder().attributeName("ttl").enabled(true).build(),
                update.timeToLiveSpecification());
        assertInstanceOf(DescribeTimeToLiveRequest.class, client.requests.get(client.requests.size() - 2));
        assertFalse(client.closed);
    }

    @Test
    void anActiveTableIsLeftAlone() {
        client.onDescribeTable = r -> table("actors", TableStatus.ACTIVE, "pk", ScalarAttributeType.S);
        client.onDescribeTimeToLive = r -> ttl(TimeToLiveStatus.ENABLED, "ttl");
        assertFalse(provisioner.ensureTable("actors"));
        assertEquals(List.of(DescribeTableRequest.class, DescribeTableRequest.class, DescribeTimeToLiveRequest.class),
                client.requests.stream().map(Object::getClass).toList(), "described twice (table, index), nothing"
                        + " changed");
        assertEquals(new TableSetup(false, TtlStatus.ALREADY_ENABLED,
                DynamoDbTableProvisioner.IndexStatus.ALREADY_PRESENT), provisioner.ensure("actors"));
    }

    @Test
    void aTableCreatedConcurrentlyIsAwaitedNotRecreated() {
        AtomicInteger describes = new AtomicInteger();
        client.onDescribeTable = r -> {
            if (describes.incrementAndGet() == 1) {
                throw notFound();
            }
            return table("actors", TableStatus.ACTIVE, "pk", ScalarAttributeType.S);
        };
        client.onCreateTable = r -> {
            throw ResourceInUseException.builder().statusCode(400).message("Table already exists: actors").build();
        };
        client.onDescribeTimeToLive = r -> ttl(TimeToLiveStatus.ENABLING, "ttl");
        assertFalse(provisioner.ensureTable("actors"));
        assertTrue(client.requestsOf(UpdateTimeToLiveRequest.class).isEmpty(), "TTL being enabled already");
        assertEquals(1, client.requestsOf(CreateTableRequest.class).size());
    }

    @Test
    void aTableWithAnotherKeySchemaIsAConfigurationError() {
        client.onDescribeTable = r -> table("actors", TableStatus.ACTIVE, "id", ScalarAttributeType.S);
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> provisioner.ensureTable("actors"));
        assertTrue(e.getMessage().contains("hash key 'pk' of type S"), e.getMessage());
        client.onDescribeTable = r -> table("actors", TableStatus.ACTIVE, "pk", ScalarAttributeType.N);
        assertThrows(ConfigurationException.class, () -> provisioner.ensureTable("actors"));
    }

    @Test
    void failuresAreMapped() {
        client.onDescribeTable = r -> {
            throw DynamoDbException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                    .errorCode("AccessDeniedException").errorMessage("not authorized").build()).build();
        };
        PermanentFailureException p = assertThrows(PermanentFailureException.class,
                () -> provisioner.ensureTable("actors"));
        assertTrue(p.getMessage().contains("DescribeTable actors"), p.getMessage());
        client.onDescribeTable = r -> {
            throw DynamoDbException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                    .errorCode("LimitExceededException").errorMessage("too many tables being created").build())
                    .build();
        };
        assertThrows(TransientFailureException.class, () -> provisioner.ensureTable("actors"));
    }

    @Test
    void aTableThatNeverBecomesActiveTimesOutAsTransient() {
        DynamoDbTableProvisioner quick = DynamoDbTableProvisioner.builder().client(client)
                .waitTimeout(Duration.ofMillis(300)).build();
        client.onDescribeTable = r -> table("actors", TableStatus.CREATING, "pk", ScalarAttributeType.S);
        TransientFailureException e = assertThrows(TransientFailureException.class, () -> quick.ensureTable("actors"));
        assertTrue(e.getMessage().contains("ACTIVE"), e.getMessage());
    }

    // ------------------------------------------------------------------ the attention index

    @Test
    void anExistingTableWithoutTheIndexGetsItAndTheCallWaitsUntilItIsActive() {
        AtomicInteger describes = new AtomicInteger();
        client.onDescribeTable = r -> {
            int n = describes.incrementAndGet();
            // createIfAbsent, ensureAttentionIndex: no index; after the update: CREATING twice, then ACTIVE
            return n <= 2 ? table("actors", TableStatus.ACTIVE, "pk", ScalarAttributeType.S, null)
                    : table("actors", TableStatus.UPDATING, "pk", ScalarAttributeType.S,
                    n <= 4 ? IndexStatus.CREATING : IndexStatus.ACTIVE);
        };
        client.onUpdateTable = r -> UpdateTableResponse.builder().tableDescription(
                table("actors", TableStatus.UPDATING, "pk", ScalarAttributeType.S, IndexStatus.CREATING).table())
                .build();
        client.onDescribeTimeToLive = r -> ttl(TimeToLiveStatus.ENABLED, "ttl");
        assertEquals(new TableSetup(false, TtlStatus.ALREADY_ENABLED, DynamoDbTableProvisioner.IndexStatus.ADDED),
                provisioner.ensure("actors"));
        UpdateTableRequest update = client.requestsOf(UpdateTableRequest.class).get(0);
        assertEquals("actors", update.tableName());
        assertTrue(update.attributeDefinitions().contains(AttributeDefinition.builder().attributeName("attn")
                .attributeType(ScalarAttributeType.S).build()));
        CreateGlobalSecondaryIndexAction create = update.globalSecondaryIndexUpdates().get(0).create();
        assertEquals("attention", create.indexName());
        assertEquals(List.of(KeySchemaElement.builder().attributeName("attn").keyType(KeyType.HASH).build(),
                KeySchemaElement.builder().attributeName("pk").keyType(KeyType.RANGE).build()), create.keySchema());
        assertEquals(ProjectionType.KEYS_ONLY, create.projection().projectionType());
        assertEquals(5, describes.get(), "polled until the index was ACTIVE");
        assertInstanceOf(DescribeTimeToLiveRequest.class, client.requests.get(client.requests.size() - 1),
                "Time To Live only once the index is ACTIVE");
    }

    @Test
    void aServerThatIgnoresTheIndexCreationIsNamedNotAwaited() {
        // what dynalite 4.0.0 does: UpdateTable answers, and no index ever appears
        client.onDescribeTable = r -> table("actors", TableStatus.ACTIVE, "pk", ScalarAttributeType.S, null);
        client.onUpdateTable = r -> UpdateTableResponse.builder().tableDescription(
                table("actors", TableStatus.ACTIVE, "pk", ScalarAttributeType.S, null).table()).build();
        PermanentFailureException e = assertThrows(PermanentFailureException.class,
                () -> provisioner.ensure("actors"));
        assertTrue(e.getMessage().contains("ignores GlobalSecondaryIndexUpdates"), e.getMessage());
        assertEquals(1, client.requestsOf(UpdateTableRequest.class).size());
    }

    @Test
    void anIndexOfAnotherShapeOrAProvisionedTableIsRefusedWithTheReason() {
        client.onDescribeTable = r -> DescribeTableResponse.builder().table(table("actors", TableStatus.ACTIVE, "pk",
                ScalarAttributeType.S, null).table().toBuilder()
                .globalSecondaryIndexes(attentionIndex(IndexStatus.ACTIVE, ProjectionType.ALL)).build()).build();
        ConfigurationException shape = assertThrows(ConfigurationException.class, () -> provisioner.ensure("actors"));
        assertTrue(shape.getMessage().contains("KEYS_ONLY"), shape.getMessage());

        client.onDescribeTable = r -> DescribeTableResponse.builder().table(table("actors", TableStatus.ACTIVE, "pk",
                ScalarAttributeType.S, null).table().toBuilder()
                .billingModeSummary((BillingModeSummary) null).build()).build();
        ConfigurationException provisioned = assertThrows(ConfigurationException.class,
                () -> provisioner.ensure("actors"));
        assertTrue(provisioned.getMessage().contains("provisioned capacity"), provisioned.getMessage());
        assertTrue(client.requestsOf(UpdateTableRequest.class).isEmpty());
    }

    @Test
    void anIndexThatNeverBecomesActiveTimesOutAsTransient() {
        DynamoDbTableProvisioner quick = DynamoDbTableProvisioner.builder().client(client)
                .waitTimeout(Duration.ofMillis(300)).build();
        client.onDescribeTable = r -> table("actors", TableStatus.ACTIVE, "pk", ScalarAttributeType.S,
                IndexStatus.CREATING);
        TransientFailureException e = assertThrows(TransientFailureException.class, () -> quick.ensure("actors"));
        assertTrue(e.getMessage().contains("did not become ACTIVE") && e.getMessage().contains("CREATING"),
                e.getMessage());
    }

    @Test
    void deleteIsIdempotent() {
        client.onDeleteTable = r -> {
            throw notFound();
        };
        assertFalse(provisioner.deleteTableIfPresent("actors"));
        client.onDeleteTable = r -> DeleteTableResponse.builder().build();
        client.onDescribeTable = r -> {
            throw notFound();
        };
        assertTrue(provisioner.deleteTableIfPresent("actors"));
        assertEquals("actors", client.requestsOf(DeleteTableRequest.class).get(1).tableName());
    }
    // ------------------------------------------------------------------ Time To Live

    @Test
    void ttlIsEnabledOnTheConfiguredAttribute() {
        DynamoDbTableProvisioner custom = DynamoDbTableProvisioner.builder().client(client).ttlAttribute("expires")
                .build();
        client.onDescribeTimeToLive = r -> ttl(TimeToLiveStatus.DISABLED, null);
        client.onUpdateTimeToLive = r -> UpdateTimeToLiveResponse.builder().build();
        assertEquals(TtlStatus.ENABLED, custom.ensureTimeToLive("actors"));
        UpdateTimeToLiveRequest update = client.requestsOf(UpdateTimeToLiveRequest.class).get(0);
        assertEquals("expires", update.timeToLiveSpecification().attributeName());
        assertEquals(Boolean.TRUE, update.timeToLiveSpecification().enabled());
        assertEquals("actors", client.requestsOf(DescribeTimeToLiveRequest.class).get(0).tableName());
    }

    @Test
    void ttlOnAnotherAttributeIsAConfigurationError() {
        client.onDescribeTimeToLive = r -> ttl(TimeToLiveStatus.ENABLED, "expiry");
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> provisioner.ensureTimeToLive("actors"));
        assertTrue(e.getMessage().contains("'expiry'") && e.getMessage().contains("'ttl'"), e.getMessage());
        assertTrue(client.requestsOf(UpdateTimeToLiveRequest.class).isEmpty());
    }

    @Test
    void ttlBeingDisabledIsATransientFailure() {
        client.onDescribeTimeToLive = r -> ttl(TimeToLiveStatus.DISABLING, "ttl");
        TransientFailureException e = assertThrows(TransientFailureException.class,
                () -> provisioner.ensureTimeToLive("actors"));
        assertTrue(e.getMessage().contains("being disabled"), e.getMessage());
    }

    @Test
    void aServerWithoutTtlIsReportedAndLoggedNotFatal() {
        client.onDescribeTimeToLive = r -> ttl(TimeToLiveStatus.DISABLED, null);
        client.onUpdateTimeToLive = r -> {
            throw unknownOperation();
        };
        StderrCapture.Captured<TtlStatus> run = StderrCapture.capture(() -> provisioner.ensureTimeToLive("actors"));
        assertEquals(TtlStatus.UNSUPPORTED, run.value());
        String log = run.stderr();
        assertTrue(log.contains("WARN") && log.contains("no Time To Live") && log.contains("actors"), log);
        // A server that does not even describe it is the same.
        client.onDescribeTimeToLive = r -> {
            throw unknownOperation();
        };
        assertEquals(TtlStatus.UNSUPPORTED, provisioner.ensureTimeToLive("actors"));
    }

    @Test
    void aRefusedUpdateIsFineIfSomeoneElseEnabledItMeanwhile() {
        AtomicInteger describes = new AtomicInteger();
        client.onDescribeTimeToLive = r -> describes.incrementAndGet() == 1 ? ttl(TimeToLiveStatus.DISABLED, null)
                : ttl(TimeToLiveStatus.ENABLING, "ttl");
        client.onUpdateTimeToLive = r -> {
            throw DynamoDbException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                    .errorCode("ValidationException").errorMessage("TimeToLive is already enabled").build()).build();
        };
        assertEquals(TtlStatus.ALREADY_ENABLED, provisioner.ensureTimeToLive("actors"));

        // If it is still off, the refusal stands.
        client.onDescribeTimeToLive = r -> ttl(TimeToLiveStatus.DISABLED, null);
        PermanentFailureException e = assertThrows(PermanentFailureException.class,
                () -> provisioner.ensureTimeToLive("actors"));
        assertTrue(e.getMessage().contains("UpdateTimeToLive actors on attribute ttl"), e.getMessage());
    }

    @Test
    void theExpiryAttributeNameIsChecked() {
        for (String bad : new String[] {null, "", "pk", "v", "s", "c", "a", "attn", "has space", "9lives",
                "x".repeat(256)}) {
            assertThrows(ConfigurationException.class,
                    () -> DynamoDbTableProvisioner.builder().client(client).ttlAttribute(bad).build(), bad);
        }
        DynamoDbTableProvisioner.builder().client(client).ttlAttribute("_expires.at-1").build();
        assertTrue(client.requests.isEmpty());
    }
}
