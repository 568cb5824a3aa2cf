package io.fifoactors.dynamodb;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.FifoActorsException;
import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.RecordTooLargeException;
import io.fifoactors.core.TransientFailureException;
import io.fifoactors.core.VersionConflictException;
import io.fifoactors.core.port.Consistency;
import io.fifoactors.core.port.StateStore;
import io.fifoactors.core.port.StoredRecord;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ThrottlingException;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pins the exact requests DynamoDbStateStore sends and how it maps failures, against a hand-written fake client. */
class DynamoDbStateStoreTest {
    private static final ActorId A = ActorId.of("account", "a-1");
    private static final String TABLE = "actors";

    private final FakeDynamoDbClient client = new FakeDynamoDbClient();
    private final List<Long> sleeps = new ArrayList<>();
    private final DynamoDbStateStore store = DynamoDbStateStore.builder().client(client).tableName(TABLE)
            .sleeper(sleeps::add).build();

    private static Map<String, AttributeValue> item(String pk, long v, byte[] s, byte[] c) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", AttributeValue.fromS(pk));
        item.put("v", AttributeValue.fromN(Long.toString(v)));
        item.put("s", AttributeValue.fromB(SdkBytes.fromByteArray(s)));
        item.put("c", AttributeValue.fromB(SdkBytes.fromByteArray(c)));
        return item;
    }

    private static DynamoDbException serviceError(int status, String code, String message) {
        return (DynamoDbException) DynamoDbException.builder()
                .statusCode(status)
                .requestId("req-1")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
                .build();
    }

    // ------------------------------------------------------------------ builder

    @Test
    void theBuilderRequiresAClient() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> DynamoDbStateStore.builder().tableName(TABLE).build());
        assertTrue(e.getMessage().contains(".client(dynamoDbClient)"), e.getMessage());
        assertFalse(e.isRetryable());
    }

    @Test
    void theBuilderRequiresATableName() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> DynamoDbStateStore.builder().client(client).build());
        assertTrue(e.getMessage().contains(".tableName("), e.getMessage());
    }

    @Test
    void theBuilderRefusesAnInvalidTableName() {
        for (String bad : List.of("", "ab", "has space", "x".repeat(256), "tab/le")) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> DynamoDbStateStore.builder().client(client).tableName(bad).build(), bad);
            assertTrue(e.getMessage().contains("not a valid DynamoDB table name"), e.getMessage());
        }
        assertEquals("a.b-c_9", DynamoDbStateStore.builder().client(client).tableName("a.b-c_9").build().tableName());
        assertTrue(client.requests.isEmpty(), "building sends nothing");
        assertFalse(client.closed);
    }

    // ------------------------------------------------------------------ load

    @Test
    void loadIsAConsistentGetItemOnThePartitionKey() {
        client.onGetItem = r -> GetItemResponse.builder().build();
        assertEquals(Optional.empty(), store.load(A));
        GetItemRequest r = client.requestsOf(GetItemRequest.class).get(0);
        assertEquals(TABLE, r.tableName());
        assertEquals(Map.of("pk", AttributeValue.fromS("account/a-1")), r.key());
        assertEquals(Boolean.TRUE, r.consistentRead());
        assertNull(r.projectionExpression());
        assertEquals(1, client.requests.size());
    }

    @Test
    void loadDecodesTheItemAndHandsOutCopies() {
        Map<String, AttributeValue> stored = item("account/a-1", 7, new byte[] {1, 2, 3}, new byte[] {4});
        client.onGetItem = r -> GetItemResponse.builder().item(stored).build();
        StoredRecord got = store.load(A).orElseThrow();
        assertEquals(7, got.version());
        assertArrayEquals(new byte[] {1, 2, 3}, got.state());
        assertArrayEquals(new byte[] {4}, got.control());
        got.state()[0] = 99;
        assertArrayEquals(new byte[] {1, 2, 3}, stored.get("s").b().asByteArray());
        assertArrayEquals(new byte[] {1, 2, 3}, store.load(A).orElseThrow().state());
    }

    @Test
    void missingBinaryAttributesReadAsEmpty() {
        client.onGetItem = r -> GetItemResponse.builder().item(Map.of("pk", AttributeValue.fromS("account/a-1"),
                "v", AttributeValue.fromN("2"))).build();
        StoredRecord got = store.load(A).orElseThrow();
        assertEquals(2, got.version());
        assertArrayEquals(new byte[0], got.state());
        assertArrayEquals(new byte[0], got.control());
    }

    @Test
    void anItemNotWrittenByTheStoreIsAPermanentFailure() {
        client.onGetItem = r -> GetItemResponse.builder().item(Map.of("pk", AttributeValue.fromS("account/a-1")))
                .build();
        assertThrows(PermanentFailureException.class, () -> store.load(A));
        client.onGetItem = r -> GetItemResponse.builder().item(Map.of("pk", AttributeValue.fromS("account/a-1"),
                "v", AttributeValue.fromN("1"), "s", AttributeValue.fromS("text"))).build();
        assertThrows(PermanentFailureException.class, () -> store.load(A));
    }

    // ------------------------------------------------------------------ commit

    @Test
    void aFirstCommitIsAPutConditionalOnNoItem() {
        client.onPutItem = r -> PutItemResponse.builder().build();
        store.commit(A, 0, new StoredRecord(1, new byte[] {1, 2}, new byte[] {3}));
        PutItemRequest r = client.requestsOf(PutItemRequest.class).get(0);
        assertEquals(TABLE, r.tableName());
        assertEquals("attribute_not_exists(pk)", r.conditionExpression());
        assertFalse(r.hasExpressionAttributeValues());
        assertFalse(r.hasExpressionAttributeNames());
        assertEquals(Map.of(
                "pk", AttributeValue.fromS("account/a-1"),
                "v", AttributeValue.fromN("1"),
                "s", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {1, 2})),
                "c", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {3}))), r.item());
        assertNull(r.returnValuesAsString());
        assertEquals(1, client.requests.size());
    }

    @Test
    void aLaterCommitIsAPutConditionalOnTheExpectedVersion() {
        client.onPutItem = r -> PutItemResponse.builder().build();
        store.commit(A, 41, new StoredRecord(42, new byte[0], new byte[0]));
        PutItemRequest r = client.requestsOf(PutItemRequest.class).get(0);
        assertEquals("v = :expected", r.conditionExpression());
        assertEquals(Map.of(":expected", AttributeValue.fromN("41")), r.expressionAttributeValues());
        assertFalse(r.hasExpressionAttributeNames());
        assertEquals(AttributeValue.fromN("42"), r.item().get("v"));
        // Empty arrays are sent as empty binary values (DynamoDB accepts them outside keys).
        assertEquals(0, r.item().get("s").b().asByteArray().length);
        assertEquals(0, r.item().get("c").b().asByteArray().length);
    }

    @Test
    void commitCopiesTheCallersArrays() {
        client.onPutItem = r -> PutItemResponse.builder().build();
        byte[] state = {1, 2, 3};
        byte[] control = {4};
        store.commit(A, 0, new StoredRecord(1, state, control));
        state[0] = 9;
        control[0] = 9;
        PutItemRequest r = client.requestsOf(PutItemRequest.class).get(0);
        assertArrayEquals(new byte[] {1, 2, 3}, r.item().get("s").b().asByteArray());
        assertArrayEquals(new byte[] {4}, r.item().get("c").b().asByteArray());
    }

    @Test
    void theCommitChecksComeBeforeAnyRequest() {
        assertThrows(IllegalArgumentException.class,
                () -> store.commit(A, 3, new StoredRecord(5, new byte[0], new byte[0])));
        byte[] tooBig = new byte[(int) StateStore.MAX_RECORD_BYTES + 1];
        RecordTooLargeException e = assertThrows(RecordTooLargeException.class,
                () -> store.commit(A, 0, new StoredRecord(1, tooBig, new byte[0])));
        assertEquals(StateStore.MAX_RECORD_BYTES + 1, e.sizeBytes());
        assertTrue(client.requests.isEmpty());
    }

    @Test
    void aFailedConditionIsAVersionConflict() {
        client.onPutItem = r -> {
            throw ConditionalCheckFailedException.builder().message("The conditional request failed")
                    .statusCode(400).build();
        };
        VersionConflictException e = assertThrows(VersionConflictException.class,
                () -> store.commit(A, 4, new StoredRecord(5, new byte[] {1}, new byte[0])));
        assertEquals(A, e.actorId());
        assertEquals(4, e.expectedVersion());
        assertTrue(e.isRetryable());
    }

    @Test
    void theServicesItemSizeRefusalIsARecordTooLarge() {
        client.onPutItem = r -> {
            throw serviceError(400, "ValidationException", "Item size has exceeded the maximum allowed size");
        };
        RecordTooLargeException e = assertThrows(RecordTooLargeException.class,
                () -> store.commit(A, 0, new StoredRecord(1, new byte[10], new byte[2])));
        assertEquals(12, e.sizeBytes());
        assertEquals(StateStore.MAX_RECORD_BYTES, e.limitBytes());
    }

    // ------------------------------------------------------------------ error mapping

    private static final List<Supplier<SdkException>> TRANSIENT = List.of(
            () -> ProvisionedThroughputExceededException.builder().statusCode(400).awsErrorDetails(
                    AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException").build()).build(),
            () -> RequestLimitExceededException.builder().statusCode(400).awsErrorDetails(
                    AwsErrorDetails.builder().errorCode("RequestLimitExceeded").build()).build(),
            () -> ThrottlingException.builder().statusCode(400).awsErrorDetails(
                    AwsErrorDetails.builder().errorCode("ThrottlingException").build()).build(),
            () -> serviceError(400, "ThrottlingException", "Rate of requests exceeds the allowed throughput."),
            () -> InternalServerErrorException.builder().statusCode(500).awsErrorDetails(
                    AwsErrorDetails.builder().errorCode("InternalServerError").build()).build(),
            () -> serviceError(503, "ServiceUnavailable", "unavailable"),
            () -> SdkClientException.create("Unable to execute HTTP request: Connection refused"),
            () -> ApiCallTimeoutException.create(1000));

    private static final List<Supplier<SdkException>> PERMANENT = List.of(
            () -> ResourceNotFoundException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                    .errorCode("ResourceNotFoundException").errorMessage("Requested resource not found").build())
                    .build(),
            () -> serviceError(400, "AccessDeniedException", "User is not authorized to perform dynamodb:GetItem"),
            () -> serviceError(400, "ValidationException", "One or more parameter values were invalid"),
            () -> serviceError(400, "UnrecognizedClientException", "The security token is invalid"));

    @Test
    void retryableSdkFailuresAreTransientOnEveryOperation() {
        for (Supplier<SdkException> error : TRANSIENT) {
            assertMapped(error, TransientFailureException.class);
        }
    }

    @Test
    void otherSdkFailuresArePermanentOnEveryOperation() {
        for (Supplier<SdkException> error : PERMANENT) {
            assertMapped(error, PermanentFailureException.class);
        }
    }

    private void assertMapped(Supplier<SdkException> error, Class<? extends FifoActorsException> expected) {
        client.onGetItem = r -> {
            throw error.get();
        };
        client.onPutItem = r -> {
            throw error.get();
        };
        client.onBatchGetItem = r -> {
            throw error.get();
        };
        String name = error.get().getClass().getSimpleName() + " " + error.get().getMessage();
        FifoActorsException onLoad = assertThrows(expected, () -> store.load(A), name);
        assertTrue(onLoad.getMessage().contains("GetItem on table actors for account/a-1"), onLoad.getMessage());
        assertInstanceOf(SdkException.class, onLoad.getCause());

        byte[] secret = "TOP-SECRET-STATE".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        FifoActorsException onCommit = assertThrows(expected,
                () -> store.commit(A, 2, new StoredRecord(3, secret, new byte[0])), name);
        assertTrue(onCommit.getMessage().contains("PutItem on table actors for account/a-1"), onCommit.getMessage());
        assertFalse(onCommit.getMessage().contains("TOP-SECRET"), onCommit.getMessage());
        assertFalse(onCommit.getMessage().contains(Base64.getEncoder().encodeToString(secret)), onCommit.getMessage());

        FifoActorsException onLoadAll = assertThrows(expected, () -> store.loadAll(List.of(A), Consistency.STRONG), name);
        assertTrue(onLoadAll.getMessage().contains("BatchGetItem on table actors"), onLoadAll.getMessage());
        assertEquals(expected == TransientFailureException.class, onLoadAll.isRetryable());
    }

    @Test
    void serviceErrorMessagesNameTheCodeStatusAndRequestId() {
        client.onGetItem = r -> {
            throw serviceError(400, "ResourceNotFoundException", "Requested resource not found");
        };
        PermanentFailureException e = assertThrows(PermanentFailureException.class, () -> store.load(A));
        assertEquals("DynamoDB GetItem on table actors for account/a-1 failed: ResourceNotFoundException (HTTP 400,"
                + " request id req-1): Requested resource not found", e.getMessage());
    }

    // ------------------------------------------------------------------ loadAll

    private static Map<String, AttributeValue> keyOf(ActorId id) {
        return Map.of("pk", AttributeValue.fromS(id.groupId()));
    }

    @Test
    void loadAllOfNothingSendsNothing() {
        assertEquals(Map.of(), store.loadAll(List.of(), Consistency.STRONG));
        assertTrue(client.requests.isEmpty());
    }

    @Test
    void loadAllSendsConsistentBatchesOfAtMostOneHundredDistinctKeys() {
        List<ActorId> ids = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            ids.add(ActorId.of("account", "k-" + i));
        }
        List<ActorId> withDuplicates = new ArrayList<>(ids);
        withDuplicates.add(ids.get(5));
        withDuplicates.add(ActorId.of("account", "k-7"));
        client.onBatchGetItem = r -> {
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            for (Map<String, AttributeValue> key : r.requestItems().get(TABLE).keys()) {
                int n = Integer.parseInt(key.get("pk").s().substring("account/k-".length()));
                if (n % 2 == 0) {
                    items.add(item(key.get("pk").s(), n + 1, new byte[] {(byte) n}, new byte[0]));
                }
            }
            return BatchGetItemResponse.builder().responses(Map.of(TABLE, items)).build();
        };
        Map<ActorId, StoredRecord> found = store.loadAll(withDuplicates, Consistency.STRONG);

        List<BatchGetItemRequest> sent = client.requestsOf(BatchGetItemRequest.class);
        assertEquals(3, sent.size());
        List<Integer> sizes = new ArrayList<>();
        List<Map<String, AttributeValue>> allKeys = new ArrayList<>();
        for (BatchGetItemRequest r : sent) {
            assertEquals(List.of(TABLE), new ArrayList<>(r.requestItems().keySet()));
            KeysAndAttributes ka = r.requestItems().get(TABLE);
            assertEquals(Boolean.TRUE, ka.consistentRead());
            assertNull(ka.projectionExpression());
            sizes.add(ka.keys().size());
            allKeys.addAll(ka.keys());
        }
        assertEquals(List.of(100, 100, 50), sizes);
        List<Map<String, AttributeValue>> expectedKeys = new ArrayList<>();
        ids.forEach(id -> expectedKeys.add(keyOf(id)));
        assertEquals(expectedKeys, allKeys);

        assertEquals(125, found.size());
        List<ActorId> order = new ArrayList<>(found.keySet());
        for (int i = 0; i < 125; i++) {
            ActorId id = ids.get(2 * i);
            assertEquals(id, order.get(i), "caller's order");
            assertEquals(2 * i + 1, found.get(id).version());
            assertArrayEquals(new byte[] {(byte) (2 * i)}, found.get(id).state());
        }
        assertTrue(sleeps.isEmpty());
    }

    @Test
    void unprocessedKeysAreRetriedUntilDone() {
        ActorId b = ActorId.of("account", "b");
        ActorId c = ActorId.of("account", "c");
        List<Integer> calls = new ArrayList<>();
        client.onBatchGetItem = r -> {
            calls.add(r.requestItems().get(TABLE).keys().size());
            if (calls.size() == 1) {
                return BatchGetItemResponse.builder()
                        .responses(Map.of(TABLE, List.of(item("account/a-1", 1, new byte[] {1}, new byte[0]))))
                        .unprocessedKeys(Map.of(TABLE, KeysAndAttributes.builder()
                                .keys(List.of(keyOf(b), keyOf(c))).consistentRead(true).build()))
                        .build();
            }
            if (calls.size() == 2) {
                return BatchGetItemResponse.builder().responses(Map.of(TABLE, List.of()))
                        .unprocessedKeys(Map.of(TABLE, KeysAndAttributes.builder()
                                .keys(List.of(keyOf(b), keyOf(c))).consistentRead(true).build()))
                        .build();
            }
            return BatchGetItemResponse.builder()
                    .responses(Map.of(TABLE, List.of(item("account/c", 3, new byte[] {3}, new byte[0]))))
                    .build();
        };
        Map<ActorId, StoredRecord> found = store.loadAll(List.of(A, b, c), Consistency.STRONG);
        assertEquals(List.of(3, 2, 2), calls);
        assertEquals(List.of(A, c), new ArrayList<>(found.keySet()));
        for (BatchGetItemRequest r : client.requestsOf(BatchGetItemRequest.class)) {
            assertEquals(Boolean.TRUE, r.requestItems().get(TABLE).consistentRead());
        }
        assertEquals(List.of(keyOf(b), keyOf(c)),
                client.requestsOf(BatchGetItemRequest.class).get(1).requestItems().get(TABLE).keys());
        assertEquals(2, sleeps.size(), "one backoff before each retry");
    }

    @Test
    void unprocessedKeysWithoutProgressGiveUpAfterBoundedBackoff() {
        client.onBatchGetItem = r -> BatchGetItemResponse.builder()
                .unprocessedKeys(Map.of(TABLE, r.requestItems().get(TABLE)))
                .build();
        TransientFailureException e = assertThrows(TransientFailureException.class,
                () -> store.loadAll(List.of(A), Consistency.STRONG));
        assertTrue(e.getMessage().contains("unprocessed"), e.getMessage());
        assertEquals(DynamoDbStateStore.BATCH_GET_MAX_RETRIES + 1, client.requests.size());
        assertEquals(DynamoDbStateStore.BATCH_GET_MAX_RETRIES, sleeps.size());
        long total = 0;
        for (int i = 0; i < sleeps.size(); i++) {
            long ceiling = Math.min(DynamoDbStateStore.BACKOFF_MAX_MILLIS,
                    DynamoDbStateStore.BACKOFF_BASE_MILLIS << (i + 1));
            assertTrue(sleeps.get(i) >= ceiling / 2 && sleeps.get(i) <= ceiling, "delay " + i + ": " + sleeps);
            total += sleeps.get(i);
        }
        assertTrue(total <= 8 * DynamoDbStateStore.BACKOFF_MAX_MILLIS, "bounded: " + total);
    }

    @Test
    void anInterruptDuringBackoffStopsWithTheFlagSet() {
        DynamoDbStateStore interrupted = DynamoDbStateStore.builder().client(client).tableName(TABLE)
                .sleeper(ms -> {
                    throw new InterruptedException();
                }).build();
        client.onBatchGetItem = r -> BatchGetItemResponse.builder()
                .unprocessedKeys(Map.of(TABLE, r.requestItems().get(TABLE)))
                .build();
        try {
            assertThrows(TransientFailureException.class, () -> interrupted.loadAll(List.of(A), Consistency.STRONG));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void theStoreNeverClosesTheClient() {
        client.onGetItem = r -> GetItemResponse.builder().build();
        store.load(A);
        assertFalse(client.closed);
        assertSame(TABLE, store.tableName());
        assertEquals("DynamoDbStateStore[table=actors]", store.toString());
        Map<ActorId, StoredRecord> none = new LinkedHashMap<>();
        assertEquals(none, store.loadAll(List.of(), Consistency.STRONG));
    }
}
