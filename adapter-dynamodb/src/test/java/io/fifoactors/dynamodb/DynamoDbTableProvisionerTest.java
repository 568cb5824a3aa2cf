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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DynamoDbTableProvisioner against a hand-written fake client (the SDK waiter runs against it too). */
class DynamoDbTableProvisionerTest {
    private final FakeDynamoDbClient client = new FakeDynamoDbClient();
    private final DynamoDbTableProvisioner provisioner = DynamoDbTableProvisioner.builder().client(client).build();

    private static DescribeTableResponse table(String name, TableStatus status, String keyName,
                                               ScalarAttributeType type) {
        return DescribeTableResponse.builder().table(TableDescription.builder()
                .tableName(name)
                .tableStatus(status)
                .keySchema(KeySchemaElement.builder().attributeName(keyName).keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName(keyName).attributeType(type)
                        .build())
                .build()).build();
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
        assertEquals(new TableSetup(true, TtlStatus.ENABLED), provisioner.ensure("actors"));

        CreateTableRequest create = client.requestsOf(CreateTableRequest.class).get(0);
        assertEquals("actors", create.tableName());
        assertEquals(BillingMode.PAY_PER_REQUEST, create.billingMode());
        assertEquals(List.of(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()),
                create.keySchema());
        assertEquals(List.of(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S)
                .build()), create.attributeDefinitions());
        assertFalse(create.hasGlobalSecondaryIndexes());
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
        assertEquals(2, client.requests.size(), "DescribeTable and DescribeTimeToLive, nothing changed");
        assertEquals(new TableSetup(false, TtlStatus.ALREADY_ENABLED), provisioner.ensure("actors"));
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
        for (String bad : new String[] {null, "", "pk", "v", "s", "c", "a", "has space", "9lives", "x".repeat(256)}) {
            assertThrows(ConfigurationException.class,
                    () -> DynamoDbTableProvisioner.builder().client(client).ttlAttribute(bad).build(), bad);
        }
        DynamoDbTableProvisioner.builder().client(client).ttlAttribute("_expires.at-1").build();
        assertTrue(client.requests.isEmpty());
    }
}
