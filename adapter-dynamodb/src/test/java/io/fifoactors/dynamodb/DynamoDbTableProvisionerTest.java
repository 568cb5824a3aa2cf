package io.fifoactors.dynamodb;

import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.TransientFailureException;
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
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        assertTrue(provisioner.ensureTable("actors"));

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
        assertFalse(client.closed);
    }

    @Test
    void anActiveTableIsLeftAlone() {
        client.onDescribeTable = r -> table("actors", TableStatus.ACTIVE, "pk", ScalarAttributeType.S);
        assertFalse(provisioner.ensureTable("actors"));
        assertEquals(1, client.requests.size());
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
        assertFalse(provisioner.ensureTable("actors"));
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
}
