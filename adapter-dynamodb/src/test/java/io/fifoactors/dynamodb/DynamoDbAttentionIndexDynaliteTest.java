package io.fifoactors.dynamodb;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.port.Attention;
import io.fifoactors.core.port.StoredRecord;
import io.fifoactors.dynamodb.DynamoDbAttentionIndex.ActorAttention;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.CreateGlobalSecondaryIndexAction;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexUpdate;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sparse attention index on dynalite: the provisioner creates it with the table, the store's commits put records
 * in it and take them out, and DynamoDbAttentionIndex pages through it. Also pins dynalite 4.0.0 ignoring an index
 * added to an existing table (docs/semantics.md, section 8).
 */
class DynamoDbAttentionIndexDynaliteTest {
    @RegisterExtension
    static final DynaliteFixture DYNALITE = new DynaliteFixture();

    private static DynamoDbStateStore newStore() {
        String table = DYNALITE.nextTable("attn");
        DYNALITE.provisioner().ensure(table);
        return DYNALITE.store(table);
    }

    private static StoredRecord record(long version, Attention... attention) {
        return new StoredRecord(version, new byte[] {(byte) version}, new byte[] {2}, Set.of(attention));
    }

    @Test
    void theProvisionerCreatesTheIndexWithTheTable() {
        DynamoDbStateStore store = newStore();
        TableDescription t = DYNALITE.client().describeTable(DescribeTableRequest.builder()
                .tableName(store.tableName()).build()).table();
        GlobalSecondaryIndexDescription index = DynamoDbTableProvisioner.attentionIndexOf(t).orElseThrow();
        assertEquals(IndexStatus.ACTIVE, index.indexStatus());
        assertEquals(DynamoDbTableProvisioner.attentionKeySchema(), index.keySchema());
        assertEquals(ProjectionType.KEYS_ONLY, index.projection().projectionType());
        assertEquals(DynamoDbTableProvisioner.IndexStatus.ALREADY_PRESENT,
                DYNALITE.provisioner().ensure(store.tableName()).attentionIndex());
    }

    @Test
    void onlyRecordsNeedingAttentionAreListedAndACommitWithoutAttentionTakesThemOut() {
        DynamoDbStateStore store = newStore();
        ActorId parked = ActorId.of("account", "parked");
        ActorId failing = ActorId.of("account", "failing");
        ActorId quiet = ActorId.of("account", "quiet");
        store.commit(parked, 0, record(1, Attention.PARKED, Attention.FAILING));
        store.commit(failing, 0, record(1, Attention.FAILING));
        store.commit(quiet, 0, record(1));
        store.putArchive(parked, "chunk-1", new byte[] {1}, Instant.now().plusSeconds(60));
        DynamoDbAttentionIndex index = store.attentionIndex();
        assertEquals(Map.of(parked, Set.of(Attention.PARKED, Attention.FAILING), failing, Set.of(Attention.FAILING)),
                asMap(index.list(100)));

        // the attention written is the attention loaded
        assertEquals(Set.of(Attention.PARKED, Attention.FAILING), store.load(parked).orElseThrow().attention());
        // still parked, rewritten: still listed once; then unparked: gone
        store.commit(parked, 1, record(2, Attention.PARKED));
        assertEquals(Set.of(Attention.PARKED), asMap(index.list(100)).get(parked));
        store.commit(parked, 2, record(3));
        store.commit(failing, 1, record(2));
        assertEquals(Map.of(), asMap(index.list(100)));
        assertEquals(Set.of(), store.load(parked).orElseThrow().attention());
    }

    @Test
    void pagesFollowTheCursorUntilTheIndexEnds() {
        DynamoDbStateStore store = newStore();
        Map<ActorId, Set<Attention>> expected = new TreeMap<>();
        for (int i = 0; i < 23; i++) {
            ActorId id = ActorId.of("account", "a-" + i);
            Attention[] why = i % 3 == 0 ? new Attention[] {Attention.LARGE}
                    : i % 3 == 1 ? new Attention[] {Attention.PARKED} : new Attention[] {Attention.FAILING,
                    Attention.PARKED};
            store.commit(id, 0, record(1, why));
            expected.put(id, Set.of(why));
        }
        for (int i = 0; i < 10; i++) {
            store.commit(ActorId.of("account", "fine-" + i), 0, record(1));
        }
        DynamoDbAttentionIndex index = store.attentionIndex();
        List<ActorAttention> seen = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        int pages = 0;
        do {
            DynamoDbAttentionIndex.Page page = index.page(5, cursor);
            assertTrue(page.actors().size() <= 5, "page of " + page.actors().size());
            seen.addAll(page.actors());
            cursor = page.nextCursor();
            pages++;
            assertTrue(pages <= 10, "the pages end");
        } while (cursor.isPresent());
        assertEquals(23, seen.size(), "each actor once: " + seen);
        assertEquals(expected, asMap(seen));
        assertTrue(pages >= 5, "23 entries in pages of 5: " + pages);
        assertEquals(7, index.list(7).size(), "list stops at its maximum");
    }

    @Test
    void dynaliteCannotAddAnIndexToAnExistingTableAndTheProvisionerSaysSo() {
        // finding: dynalite 4.0.0 refuses a GlobalSecondaryIndexUpdates Create without ProvisionedThroughput (which
        // DynamoDB requires to be absent on an on-demand table), and with it answers and creates no index. AWS
        // creates the index (CREATING, backfilling, then ACTIVE): tested on a fake client.
        String table = DYNALITE.nextTable("attn-old");
        DYNALITE.client().createTable(DynamoDbTableProvisioner.createRequest(table).toBuilder()
                .attributeDefinitions(DynamoDbTableProvisioner.attributeDefinitions().get(0))
                .globalSecondaryIndexes((Collection<GlobalSecondaryIndex>) null)
                .build());
        PermanentFailureException e = assertThrows(PermanentFailureException.class,
                () -> DYNALITE.provisioner().ensure(table));
        assertTrue(e.getMessage().contains("cannot add an index to an existing table")
                && e.getMessage().contains("Recreate the table"), e.getMessage());

        UpdateTableResponse accepted = DYNALITE.client().updateTable(UpdateTableRequest.builder().tableName(table)
                .attributeDefinitions(DynamoDbTableProvisioner.attributeDefinitions())
                .globalSecondaryIndexUpdates(GlobalSecondaryIndexUpdate.builder().create(
                        CreateGlobalSecondaryIndexAction.builder().indexName("attention")
                                .keySchema(DynamoDbTableProvisioner.attentionKeySchema())
                                .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
                                .provisionedThroughput(ProvisionedThroughput.builder().readCapacityUnits(1L)
                                        .writeCapacityUnits(1L).build())
                                .build()).build())
                .build());
        assertTrue(DynamoDbTableProvisioner.attentionIndexOf(accepted.tableDescription()).isEmpty(),
                "accepted, not created");
        TableDescription t = DYNALITE.client().describeTable(DescribeTableRequest.builder().tableName(table).build())
                .table();
        assertTrue(DynamoDbTableProvisioner.attentionIndexOf(t).isEmpty(), "still no index on dynalite");

        // the index reader names the missing index and the way to add it
        DynamoDbAttentionIndex index = DynamoDbAttentionIndex.builder().client(DYNALITE.client()).tableName(table)
                .build();
        PermanentFailureException missing = assertThrows(PermanentFailureException.class, () -> index.list(10));
        assertTrue(missing.getMessage().contains("has no global secondary index 'attention'"), missing.getMessage());
    }

    private static Map<ActorId, Set<Attention>> asMap(List<ActorAttention> list) {
        Map<ActorId, Set<Attention>> m = new TreeMap<>();
        for (ActorAttention a : list) {
            assertTrue(m.put(a.actor(), a.attention()) == null, "listed twice: " + a.actor());
        }
        return m;
    }
}
