package io.fifoactors.dynamodb;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.TransientFailureException;
import io.fifoactors.core.port.Consistency;
import io.fifoactors.core.port.StoredRecord;
import io.fifoactors.localaws.DynaliteServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Behaviour beyond the contract, checked against a real (local) server: error mapping, backstops, batching. */
class DynamoDbStateStoreDynaliteTest {
    @RegisterExtension
    static final DynaliteFixture DYNALITE = new DynaliteFixture();

    private static DynamoDbStateStore store(String table) {
        return DYNALITE.store(table);
    }

    @Test
    void provisioningIsIdempotent() {
        assertTrue(DYNALITE.provisioner().ensureTable("idempotent"));
        assertFalse(DYNALITE.provisioner().ensureTable("idempotent"));
        assertTrue(DYNALITE.provisioner().deleteTableIfPresent("idempotent"));
        assertFalse(DYNALITE.provisioner().deleteTableIfPresent("idempotent"));
    }

    @Test
    void aMissingTableIsAPermanentFailure() {
        DynamoDbStateStore store = store("no-such-table");
        ActorId id = ActorId.of("account", "x");
        PermanentFailureException e = assertThrows(PermanentFailureException.class, () -> store.load(id));
        assertTrue(e.getMessage().contains("ResourceNotFoundException"), e.getMessage());
        assertThrows(PermanentFailureException.class,
                () -> store.commit(id, 0, new StoredRecord(1, new byte[] {1}, new byte[0])));
        assertThrows(PermanentFailureException.class, () -> store.loadAll(List.of(id), Consistency.STRONG));
    }

    @Test
    void theServersItemSizeRefusalIsRecognisedAsTheBackstop() {
        DYNALITE.provisioner().ensureTable("size-backstop");
        PutItemRequest tooBig = PutItemRequest.builder().tableName("size-backstop").item(Map.of(
                "pk", AttributeValue.fromS("account/x"),
                "v", AttributeValue.fromN("1"),
                "s", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[400 * 1024])),
                "c", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[0])))).build();
        SdkException e = assertThrows(SdkException.class, () -> DYNALITE.client().putItem(tooBig));
        assertTrue(DynamoDbStateStore.isItemTooLarge(e), e.getMessage());
        assertFalse(DYNALITE.client().getItem(GetItemRequest.builder().tableName("size-backstop")
                .key(Map.of("pk", AttributeValue.fromS("account/x"))).build()).hasItem());
    }

    @Test
    void loadAllFollowsUnprocessedKeysWhenResponsesHitTheSizeCap() {
        // dynalite caps a BatchGetItem response at about 1.4 MB (DynamoDB: 16 MB), so 3 MB of records need rounds.
        DYNALITE.provisioner().ensureTable("big-batch");
        DynamoDbStateStore store = store("big-batch");
        List<ActorId> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ActorId id = ActorId.of("account", "big-" + i);
            ids.add(id);
            byte[] state = new byte[150 * 1024];
            Arrays.fill(state, (byte) i);
            store.commit(id, 0, new StoredRecord(1, state, new byte[] {(byte) i}));
        }
        AtomicInteger batchGets = new AtomicInteger();
        Map<ActorId, StoredRecord> found;
        try (DynamoDbClient counting = DynamoDbClient.builder()
                .endpointOverride(DYNALITE.server().endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        if (context.request() instanceof BatchGetItemRequest) {
                            batchGets.incrementAndGet();
                        }
                    }
                }))
                .build()) {
            found = DynamoDbStateStore.builder().client(counting).tableName("big-batch").build()
                    .loadAll(ids, Consistency.STRONG);
        }
        assertTrue(batchGets.get() >= 3, "expected UnprocessedKeys rounds, saw " + batchGets + " requests");
        assertEquals(ids, new ArrayList<>(found.keySet()));
        for (int i = 0; i < ids.size(); i++) {
            StoredRecord r = found.get(ids.get(i));
            assertEquals(150 * 1024, r.state().length);
            assertEquals((byte) i, r.state()[r.state().length - 1]);
        }
    }

    @Test
    void anUnreachableServerIsATransientFailure() {
        DynaliteServer gone = DynaliteServer.start();
        gone.close();
        try (DynamoDbClient orphan = DynamoDbClient.builder()
                .endpointOverride(gone.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build()) {
            DynamoDbStateStore store = DynamoDbStateStore.builder().client(orphan).tableName("any-table").build();
            TransientFailureException e = assertThrows(TransientFailureException.class,
                    () -> store.load(ActorId.of("account", "x")));
            assertTrue(e.isRetryable());
            assertTrue(e.getMessage().contains("SdkClientException"), e.getMessage());
        }
    }
}
