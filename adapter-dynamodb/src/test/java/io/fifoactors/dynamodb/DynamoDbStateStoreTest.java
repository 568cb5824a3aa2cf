package io.fifoactors.dynamodb;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.FifoActorsException;
import io.fifoactors.core.InvalidActorIdException;
import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.RecordTooLargeException;
import io.fifoactors.core.TransientFailureException;
import io.fifoactors.core.VersionConflictException;
import io.fifoactors.core.port.Attention;
import io.fifoactors.core.port.Consistency;
import io.fifoactors.core.port.StateStore;
import io.fifoactors.core.port.StoredRecord;
import io.fifoactors.dynamodb.DynamoDbStateStore.CapacitySource;
import io.fifoactors.dynamodb.DynamoDbStateStore.CapacityUsage;
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
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
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
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ThrottlingException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

        FifoActorsException onLoadAll = assertThrows(expected,
                () -> store.loadAll(List.of(A), Consistency.EVENTUAL), name);
        assertTrue(onLoadAll.getMessage().contains("BatchGetItem on table actors"), onLoadAll.getMessage());
        assertEquals(expected == TransientFailureException.class, onLoadAll.isRetryable());

        FifoActorsException onPutArchive = assertThrows(expected,
                () -> store.putArchive(A, "m-1", secret, Instant.EPOCH), name);
        assertTrue(onPutArchive.getMessage().contains("PutItem on table actors for archive chunk m-1 of account/a-1"),
                onPutArchive.getMessage());
        assertFalse(onPutArchive.getMessage().contains("TOP-SECRET"), onPutArchive.getMessage());
        FifoActorsException onLoadArchive = assertThrows(expected, () -> store.loadArchive(A, "m-1"), name);
        assertTrue(onLoadArchive.getMessage().contains("GetItem on table actors for archive chunk m-1 of account/a-1"),
                onLoadArchive.getMessage());
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
    void backoffJitterDrawsFromTheKernelNotFromSeedsASnapshotWouldCopy() {
        // the OS-backed algorithms read fresh entropy per call; SHA1PRNG and DRBG keep a seed in the heap, which a
        // SnapStart snapshot would hand to every restored execution environment alike
        assertTrue(Set.of("NativePRNG", "NativePRNGNonBlocking", "Windows-PRNG")
                .contains(DynamoDbStateStore.JITTER.getAlgorithm()), DynamoDbStateStore.JITTER.getAlgorithm());
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
    // ------------------------------------------------------------------ consistency and capacity requests

    @Test
    void everyRequestAsksForTotalConsumedCapacityAndLoadAllSetsConsistentReadPerConsistency() {
        client.onGetItem = r -> GetItemResponse.builder().build();
        client.onPutItem = r -> PutItemResponse.builder().build();
        client.onBatchGetItem = r -> BatchGetItemResponse.builder().build();
        store.load(A);
        store.commit(A, 0, new StoredRecord(1, new byte[0], new byte[0]));
        store.loadAll(List.of(A), Consistency.STRONG);
        store.loadAll(List.of(A), Consistency.EVENTUAL);
        store.putArchive(A, "m-1", new byte[] {1}, Instant.EPOCH);
        store.loadArchive(A, "m-1");
        assertEquals(6, client.requests.size());
        for (GetItemRequest r : client.requestsOf(GetItemRequest.class)) {
            assertEquals(ReturnConsumedCapacity.TOTAL, r.returnConsumedCapacity());
            assertEquals(Boolean.TRUE, r.consistentRead());
        }
        for (PutItemRequest r : client.requestsOf(PutItemRequest.class)) {
            assertEquals(ReturnConsumedCapacity.TOTAL, r.returnConsumedCapacity());
            assertNull(r.returnValuesOnConditionCheckFailure(), "no listener, no need for the winner's item");
        }
        List<BatchGetItemRequest> batches = client.requestsOf(BatchGetItemRequest.class);
        assertEquals(ReturnConsumedCapacity.TOTAL, batches.get(0).returnConsumedCapacity());
        assertEquals(Boolean.TRUE, batches.get(0).requestItems().get(TABLE).consistentRead());
        assertEquals(ReturnConsumedCapacity.TOTAL, batches.get(1).returnConsumedCapacity());
        assertEquals(Boolean.FALSE, batches.get(1).requestItems().get(TABLE).consistentRead());
    }

    @Test
    void unprocessedKeysOfAnEventualReadAreRetriedEventuallyConsistent() {
        List<Boolean> consistent = new ArrayList<>();
        client.onBatchGetItem = r -> {
            consistent.add(r.requestItems().get(TABLE).consistentRead());
            return consistent.size() == 1
                    ? BatchGetItemResponse.builder().unprocessedKeys(Map.of(TABLE, r.requestItems().get(TABLE)))
                            .build()
                    : BatchGetItemResponse.builder().responses(Map.of(TABLE,
                            List.of(item("account/a-1", 3, new byte[] {3}, new byte[0])))).build();
        };
        assertEquals(3, store.loadAll(List.of(A), Consistency.EVENTUAL).get(A).version());
        assertEquals(List.of(false, false), consistent);
    }

    // ------------------------------------------------------------------ archive

    @Test
    void anArchiveChunkIsAPlainPutUnderItsOwnKeyWithTheExpiryInEpochSecondsRoundedUp() {
        client.onPutItem = r -> PutItemResponse.builder().build();
        byte[] data = {1, 2, 3};
        store.putArchive(A, "m-1", data, Instant.ofEpochSecond(2_000_000_000L, 1));
        data[0] = 9;
        store.putArchive(A, "~/!", new byte[0], Instant.ofEpochSecond(2_000_000_000L));
        List<PutItemRequest> puts = client.requestsOf(PutItemRequest.class);
        assertEquals(Map.of(
                "pk", AttributeValue.fromS("account/a-1 archive m-1"),
                "a", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {1, 2, 3})),
                "ttl", AttributeValue.fromN("2000000001")), puts.get(0).item());
        assertNull(puts.get(0).conditionExpression(), "a chunk always carries the same bytes: no condition");
        assertEquals(TABLE, puts.get(0).tableName());
        assertEquals(AttributeValue.fromS("account/a-1 archive ~/!"), puts.get(1).item().get("pk"));
        assertEquals(AttributeValue.fromN("2000000000"), puts.get(1).item().get("ttl"));
        assertEquals(0, puts.get(1).item().get("a").b().asByteArray().length);
    }

    @Test
    void theExpiryAttributeIsConfigurableAndChecked() {
        client.onPutItem = r -> PutItemResponse.builder().build();
        DynamoDbStateStore custom = DynamoDbStateStore.builder().client(client).tableName(TABLE)
                .ttlAttribute("expires_at").build();
        assertEquals("expires_at", custom.ttlAttribute());
        assertEquals("ttl", store.ttlAttribute());
        custom.putArchive(A, "m-1", new byte[] {1}, Instant.ofEpochSecond(5));
        assertEquals(Set.of("pk", "a", "expires_at"), client.requestsOf(PutItemRequest.class).get(0).item().keySet());
        for (String bad : new String[] {null, "", "pk", "a", "v", "bad name", "-x"}) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> DynamoDbStateStore.builder().client(client).tableName(TABLE).ttlAttribute(bad).build(), bad);
            assertTrue(e.getMessage().contains("expiry attribute"), e.getMessage());
        }
    }

    @Test
    void loadArchiveIsAConsistentGetOfTheChunkKeyAndHandsOutACopy() {
        byte[] stored = {4, 5, 6};
        client.onGetItem = r -> GetItemResponse.builder().item(Map.of(
                "pk", AttributeValue.fromS("account/a-1 archive m-1"),
                "a", AttributeValue.fromB(SdkBytes.fromByteArray(stored)),
                "ttl", AttributeValue.fromN("1"))).build();
        byte[] got = store.loadArchive(A, "m-1").orElseThrow();
        assertArrayEquals(stored, got);
        GetItemRequest r = client.requestsOf(GetItemRequest.class).get(0);
        assertEquals(Map.of("pk", AttributeValue.fromS("account/a-1 archive m-1")), r.key());
        assertEquals(Boolean.TRUE, r.consistentRead());
        got[0] = 0;
        assertArrayEquals(new byte[] {4, 5, 6}, store.loadArchive(A, "m-1").orElseThrow());

        client.onGetItem = x -> GetItemResponse.builder().build();
        assertEquals(Optional.empty(), store.loadArchive(A, "m-2"));
        client.onGetItem = x -> GetItemResponse.builder().item(Map.of(
                "pk", AttributeValue.fromS("account/a-1 archive m-3"))).build();
        PermanentFailureException e = assertThrows(PermanentFailureException.class,
                () -> store.loadArchive(A, "m-3"));
        assertTrue(e.getMessage().contains("no binary attribute 'a'"), e.getMessage());
    }

    @Test
    void archiveChecksComeBeforeAnyRequest() {
        assertThrows(IllegalArgumentException.class, () -> store.putArchive(A, "", new byte[1], Instant.EPOCH));
        assertThrows(IllegalArgumentException.class,
                () -> store.putArchive(A, "m", new byte[StateStore.MAX_ARCHIVE_BYTES + 1], Instant.EPOCH));
        assertThrows(IllegalArgumentException.class, () -> store.loadArchive(A, "a b"));
        assertThrows(NullPointerException.class, () -> store.putArchive(A, "m", new byte[1], null));
        assertTrue(client.requests.isEmpty());
    }

    @Test
    void archiveKeysNeverCollideWithGroupIdsOrEachOther() {
        // Neither a group id nor a chunk id has a space, so the key's first space splits it back into both.
        assertEquals("a/b/c archive d", DynamoDbStateStore.archiveKey(ActorId.of("a", "b/c"), "d"));
        assertThrows(InvalidActorIdException.class, () -> ActorId.of("a", "b archive"));
        List<ActorId> actors = List.of(ActorId.of("a", "b"), ActorId.of("a", "b/archive"), ActorId.of("a", "archive"),
                ActorId.of("ab", "c"), ActorId.of("a", "bc"));
        List<String> chunks = List.of("c", "archive", "b", "archive/c", "/");
        Set<String> keys = new HashSet<>();
        for (ActorId actor : actors) {
            for (String chunk : chunks) {
                String key = DynamoDbStateStore.archiveKey(actor, chunk);
                assertTrue(keys.add(key), "collision on " + key);
                assertThrows(InvalidActorIdException.class, () -> ActorId.fromGroupId(key), key);
            }
        }
    }

    // ------------------------------------------------------------------ capacity accounting

    private final List<CapacityUsage> usages = new ArrayList<>();
    private final DynamoDbStateStore counted = DynamoDbStateStore.builder().client(client).tableName(TABLE)
            .sleeper(sleeps::add).capacityListener(usages::add).build();

    private static ConsumedCapacity capacity(double units) {
        return ConsumedCapacity.builder().tableName(TABLE).capacityUnits(units).build();
    }

    @Test
    void reportedCapacityIsPassedOnAsReported() {
        client.onGetItem = r -> GetItemResponse.builder().consumedCapacity(capacity(0.5)).build();
        client.onPutItem = r -> PutItemResponse.builder().consumedCapacity(ConsumedCapacity.builder()
                .tableName(TABLE).capacityUnits(7.0).writeCapacityUnits(3.0).build()).build();
        client.onBatchGetItem = r -> BatchGetItemResponse.builder()
                .consumedCapacity(capacity(2), capacity(1.5), ConsumedCapacity.builder().tableName("other")
                        .capacityUnits(100.0).build())
                .build();
        counted.load(A);
        counted.commit(A, 0, new StoredRecord(1, new byte[0], new byte[0]));
        counted.loadAll(List.of(A), Consistency.STRONG);
        assertEquals(List.of(
                new CapacityUsage("load", "GetItem", 0.5, 0, CapacitySource.REPORTED),
                new CapacityUsage("commit", "PutItem", 0, 3, CapacitySource.REPORTED),
                new CapacityUsage("loadAll", "BatchGetItem", 3.5, 0, CapacitySource.REPORTED)), usages);
    }

    @Test
    void withoutReportedCapacityTheUnitsAreComputedFromItemSizes() {
        ActorId b = ActorId.of("account", "b");
        ActorId c = ActorId.of("account", "c");
        ActorId d = ActorId.of("account", "d");
        // a-1: 5000 B of state, so 2 blocks of 4 KB; b: 10 B; c: absent; d: left unprocessed once.
        Map<String, AttributeValue> bigItem = item("account/a-1", 7, new byte[5000], new byte[0]);
        Map<String, AttributeValue> smallItem = item("account/b", 1, new byte[10], new byte[0]);
        client.onGetItem = r -> r.key().get("pk").s().equals("account/a-1")
                ? GetItemResponse.builder().item(bigItem).build() : GetItemResponse.builder().build();
        List<Integer> rounds = new ArrayList<>();
        client.onBatchGetItem = r -> {
            rounds.add(r.requestItems().get(TABLE).keys().size());
            if (rounds.size() == 1) {
                return BatchGetItemResponse.builder().responses(Map.of(TABLE, List.of(bigItem, smallItem)))
                        .unprocessedKeys(Map.of(TABLE, KeysAndAttributes.builder().keys(List.of(keyOf(d)))
                                .consistentRead(false).build())).build();
            }
            return BatchGetItemResponse.builder().responses(Map.of(TABLE, List.of())).build();
        };
        counted.load(A);
        counted.load(b);
        counted.loadAll(List.of(A, b, c, d), Consistency.EVENTUAL);
        assertEquals(List.of(
                new CapacityUsage("load", "GetItem", 2, 0, CapacitySource.COMPUTED),
                new CapacityUsage("load", "GetItem", 1, 0, CapacitySource.COMPUTED),
                // 1 + 0.5 for the two items, 0.5 for c which is absent; d was not read
                new CapacityUsage("loadAll", "BatchGetItem", 2, 0, CapacitySource.COMPUTED),
                // d, read and absent
                new CapacityUsage("loadAll", "BatchGetItem", 0.5, 0, CapacitySource.COMPUTED)), usages);
        assertEquals(List.of(4, 1), rounds);
    }

    @Test
    void computedWriteUnitsAreExactForAFirstCommitAndAnArchiveChunkAndALowerBoundOtherwise() {
        client.onPutItem = r -> PutItemResponse.builder().build();
        StoredRecord first = new StoredRecord(1, new byte[1500], new byte[0]);
        counted.commit(A, 0, first);
        counted.commit(A, 1, new StoredRecord(2, new byte[10], new byte[0]));
        counted.putArchive(A, "m-1", new byte[3000], Instant.EPOCH);
        assertEquals(List.of(
                new CapacityUsage("commit", "PutItem", 0, 2, CapacitySource.COMPUTED),
                // DynamoDB bills the larger of the 1.5 KB record it replaced and the new one; the store cannot know
                new CapacityUsage("commit", "PutItem", 0, 1, CapacitySource.LOWER_BOUND),
                new CapacityUsage("putArchive", "PutItem", 0, 3, CapacitySource.COMPUTED)), usages);
    }

    @Test
    void aLostCommitAsksForTheWinnersItemAndBillsItsSize() {
        Map<String, AttributeValue> winner = item("account/a-1", 5, new byte[2500], new byte[0]);
        client.onPutItem = r -> {
            throw ConditionalCheckFailedException.builder().message("The conditional request failed")
                    .statusCode(400).item(winner).build();
        };
        VersionConflictException e = assertThrows(VersionConflictException.class,
                () -> counted.commit(A, 4, new StoredRecord(5, new byte[1], new byte[0])));
        assertNull(e.getCause(), "the winner's item (state bytes) is not carried along");
        assertEquals(ReturnValuesOnConditionCheckFailure.ALL_OLD,
                client.requestsOf(PutItemRequest.class).get(0).returnValuesOnConditionCheckFailure());
        client.onPutItem = r -> {
            throw ConditionalCheckFailedException.builder().message("The conditional request failed")
                    .statusCode(400).build();
        };
        assertThrows(VersionConflictException.class,
                () -> counted.commit(A, 4, new StoredRecord(5, new byte[1], new byte[0])));
        assertEquals(List.of(
                new CapacityUsage("commit", "PutItem", 0, 3, CapacitySource.COMPUTED),
                new CapacityUsage("commit", "PutItem", 0, 1, CapacitySource.LOWER_BOUND)), usages);
    }

    @Test
    void aFailingListenerIsLoggedAndNeverFailsTheOperation() {
        client.onPutItem = r -> PutItemResponse.builder().consumedCapacity(capacity(1)).build();
        DynamoDbStateStore throwing = DynamoDbStateStore.builder().client(client).tableName(TABLE)
                .capacityListener(u -> {
                    throw new IllegalStateException("meter closed");
                }).build();
        StderrCapture.Captured<Boolean> run = StderrCapture.capture(() -> {
            throwing.commit(A, 0, new StoredRecord(1, "SECRET".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    new byte[0]));
            return true;
        });
        assertTrue(run.value());
        assertTrue(run.stderr().contains("WARN") && run.stderr().contains("capacity listener")
                && run.stderr().contains("meter closed"), run.stderr());
        assertFalse(run.stderr().contains("SECRET"), run.stderr());
    }

    @Test
    void theRecordItemSizeIsTheSizeOfTheItemTheStoreWrites() {
        client.onPutItem = r -> PutItemResponse.builder().build();
        long version = 0;
        for (StoredRecord r : List.of(new StoredRecord(1, new byte[0], new byte[0]),
                new StoredRecord(2, new byte[100], new byte[7]), new StoredRecord(3, new byte[4096], new byte[1]),
                new StoredRecord(4, new byte[9], new byte[1], Set.of(Attention.PARKED, Attention.LARGE)))) {
            store.commit(A, version++, r);
            Map<String, AttributeValue> written = client.requestsOf(PutItemRequest.class).get((int) version - 1).item();
            assertEquals(ItemSizes.itemSize(written), DynamoDbStateStore.itemSizeBytes(A, r));
        }
        // pk (2) + "account/a-1" (11) + v (1) + 1 digit (2) + s (1) + c (1)
        assertEquals(18, DynamoDbStateStore.itemSizeBytes(A, new StoredRecord(1, new byte[0], new byte[0])));
        // version 100 takes as little room as 1: trailing zeros are trimmed
        assertEquals(18 + 300_000 + 2, DynamoDbStateStore.itemSizeBytes(A,
                new StoredRecord(100, new byte[300_000], new byte[2])));
    }

    @Test
    void attentionIsWrittenSortedOnlyWhenPresentAndReadBackIgnoringUnknownCodes() {
        client.onPutItem = r -> PutItemResponse.builder().build();
        store.commit(A, 0, new StoredRecord(1, new byte[1], new byte[1],
                Set.of(Attention.PARKED, Attention.FAILING, Attention.LARGE)));
        store.commit(A, 1, new StoredRecord(2, new byte[1], new byte[1]));
        List<PutItemRequest> puts = client.requestsOf(PutItemRequest.class);
        assertEquals(AttributeValue.fromS("failing large parked"), puts.get(0).item().get("attn"));
        assertFalse(puts.get(1).item().containsKey("attn"), "no attention: the item leaves the sparse index");

        Map<String, AttributeValue> item = new HashMap<>(puts.get(0).item());
        item.put("attn", AttributeValue.fromS("parked  overheated failing"));
        client.onGetItem = r -> GetItemResponse.builder().item(item).build();
        assertEquals(Set.of(Attention.PARKED, Attention.FAILING), store.load(A).orElseThrow().attention(),
                "a newer runtime's code is ignored");
        item.remove("attn");
        assertEquals(Set.of(), store.load(A).orElseThrow().attention());
        // pk (2) + "account/a-1" (11) + v (1) + 1 digit (2) + s (1) + c (1) + attn (4) + "parked" (6)
        assertEquals(18 + 10, DynamoDbStateStore.itemSizeBytes(A,
                new StoredRecord(1, new byte[0], new byte[0], Set.of(Attention.PARKED))));
        assertThrows(ConfigurationException.class, () -> DynamoDbStateStore.builder().client(client).tableName("t-1")
                .ttlAttribute("attn").build(), "attn is the store's own");
    }

    @Test
    void theAttentionIndexIsAScanOfTheSparseIndexPageByPage() {
        Map<String, AttributeValue> last = Map.of("attn", AttributeValue.fromS("parked"),
                "pk", AttributeValue.fromS("account/b"));
        List<software.amazon.awssdk.services.dynamodb.model.ScanRequest> scans = new ArrayList<>();
        client.onScan = r -> {
            scans.add(r);
            if (!r.hasExclusiveStartKey()) {
                return software.amazon.awssdk.services.dynamodb.model.ScanResponse.builder().count(2).items(List.of(
                        Map.of("attn", AttributeValue.fromS("failing parked"), "pk", AttributeValue.fromS("account/a")),
                        Map.of("attn", AttributeValue.fromS("parked"), "pk", AttributeValue.fromS("account/b"))))
                        .lastEvaluatedKey(last).build();
            }
            return software.amazon.awssdk.services.dynamodb.model.ScanResponse.builder().count(2).items(List.of(
                    Map.of("attn", AttributeValue.fromS("large"), "pk", AttributeValue.fromS("account/c")),
                    Map.of("attn", AttributeValue.fromS("someday"), "pk", AttributeValue.fromS("account/d"))))
                    .build();
        };
        DynamoDbAttentionIndex index = store.attentionIndex();
        DynamoDbAttentionIndex.Page first = index.page(2, Optional.empty());
        assertEquals(List.of(
                new DynamoDbAttentionIndex.ActorAttention(ActorId.fromGroupId("account/a"),
                        Set.of(Attention.FAILING, Attention.PARKED)),
                new DynamoDbAttentionIndex.ActorAttention(ActorId.fromGroupId("account/b"), Set.of(Attention.PARKED))),
                first.actors());
        assertEquals("attention", scans.get(0).indexName());
        assertEquals(2, scans.get(0).limit());
        assertEquals(store.tableName(), scans.get(0).tableName());
        String cursor = first.nextCursor().orElseThrow();
        DynamoDbAttentionIndex.Page second = index.page(2, Optional.of(cursor));
        assertEquals(last, scans.get(1).exclusiveStartKey(), "the cursor is the last key, opaque");
        assertEquals(List.of(new DynamoDbAttentionIndex.ActorAttention(ActorId.fromGroupId("account/c"),
                Set.of(Attention.LARGE))), second.actors(), "an entry with no known code is skipped");
        assertTrue(second.nextCursor().isEmpty());
        assertEquals(3, index.list(10).size());
        assertThrows(IllegalArgumentException.class, () -> index.page(0, Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> index.page(1, Optional.of("not a cursor!")));

        client.onScan = r -> {
            throw DynamoDbException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                    .errorCode("ValidationException")
                    .errorMessage("The table does not have the specified index: attention").build()).build();
        };
        PermanentFailureException missing = assertThrows(PermanentFailureException.class,
                () -> index.page(5, Optional.empty()));
        assertTrue(missing.getMessage().contains("DynamoDbTableProvisioner.ensure"), missing.getMessage());
        client.onScan = r -> {
            throw ProvisionedThroughputExceededException.builder().statusCode(400).awsErrorDetails(
                    AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException").build()).build();
        };
        assertThrows(TransientFailureException.class, () -> index.page(5, Optional.empty()));
    }

    @Test
    void itemSizesFollowTheDocumentedRules() {
        assertEquals(1, ItemSizes.numberSize("0"));
        assertEquals(2, ItemSizes.numberSize("7"));
        assertEquals(2, ItemSizes.numberSize("10"));
        assertEquals(2, ItemSizes.numberSize("1000000"), "trailing zeros are trimmed");
        assertEquals(3, ItemSizes.numberSize("120"), "digit pairs align on the decimal point: 01|20");
        assertEquals(3, ItemSizes.numberSize("1234"));
        assertEquals(4, ItemSizes.numberSize("12345"));
        assertEquals(3, ItemSizes.numberSize("-5"));
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("s", AttributeValue.fromS("h\u00e9"));      // 1 + 3 UTF-8 bytes
        item.put("bin", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[10])));   // 3 + 10, not base64
        item.put("t", AttributeValue.fromBool(true));        // 1 + 1
        item.put("l", AttributeValue.fromL(List.of(AttributeValue.fromS("ab"))));   // 1 + 3 + 1 + 2
        assertEquals(4 + 13 + 2 + 7, ItemSizes.itemSize(item));
        assertEquals(1.0, ItemSizes.readUnits(0, true), "a missing item still costs a read");
        assertEquals(0.5, ItemSizes.readUnits(4096, false));
        assertEquals(2.0, ItemSizes.readUnits(4097, true));
        assertEquals(1.0, ItemSizes.writeUnits(0));
        assertEquals(2.0, ItemSizes.writeUnits(1025));
    }
}
