package io.fifoactors.dynamodb;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.VersionConflictException;
import io.fifoactors.core.port.Consistency;
import io.fifoactors.core.port.StoredRecord;
import io.fifoactors.dynamodb.DynamoDbStateStore.CapacitySource;
import io.fifoactors.dynamodb.DynamoDbStateStore.CapacityUsage;
import io.fifoactors.dynamodb.DynamoDbTableProvisioner.TableSetup;
import io.fifoactors.dynamodb.DynamoDbTableProvisioner.TtlStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What dynalite 4.0.0 does about capacity and Time To Live, and what the store and provisioner make of it: it reports
 * ConsumedCapacity (so benchmarks on it see REPORTED units, equal to what the store would compute), it ignores
 * ReturnValuesOnConditionCheckFailure (so a lost commit is a 1-unit LOWER_BOUND there), and it has no UpdateTimeToLive.
 */
class DynamoDbDynaliteCapacityAndTtlTest {
    @RegisterExtension
    static final DynaliteFixture DYNALITE = new DynaliteFixture();

    private static String newTable() {
        String table = DYNALITE.nextTable("cap");
        DYNALITE.provisioner().ensureTable(table);
        return table;
    }

    @Test
    void theProvisionerCreatesTheTableAndReportsThatDynaliteHasNoTimeToLive() {
        StderrCapture.Captured<TableSetup> first =
                StderrCapture.capture(() -> DYNALITE.provisioner().ensure("ttl-probe"));
        assertEquals(new TableSetup(true, TtlStatus.UNSUPPORTED,
                DynamoDbTableProvisioner.IndexStatus.CREATED_WITH_TABLE), first.value());
        String log = first.stderr();
        assertTrue(log.contains("WARN") && log.contains("UpdateTimeToLive answered UnknownOperationException")
                && log.contains("ttl-probe"), log);
        assertEquals(new TableSetup(false, TtlStatus.UNSUPPORTED, DynamoDbTableProvisioner.IndexStatus.ALREADY_PRESENT),
                DYNALITE.provisioner().ensure("ttl-probe"));
        // The store works all the same; the chunk just never expires there.
        DynamoDbStateStore store = DYNALITE.store("ttl-probe");
        ActorId id = ActorId.of("account", "a-1");
        store.putArchive(id, "m-1", new byte[] {1}, Instant.ofEpochSecond(1_000_000_000L, 1));
        Map<String, AttributeValue> raw = DYNALITE.client().getItem(GetItemRequest.builder().tableName("ttl-probe")
                .key(Map.of("pk", AttributeValue.fromS("account/a-1 archive m-1"))).consistentRead(true).build())
                .item();
        assertEquals(AttributeValue.fromN("1000000001"), raw.get("ttl"), "epoch seconds, rounded up");
        assertEquals(3, raw.size(), "pk, a and ttl: " + raw.keySet());
        assertTrue(DYNALITE.provisioner().deleteTableIfPresent("ttl-probe"));
    }

    @Test
    void dynaliteReportsConsumedCapacityForEveryOperationTheStoreUses() {
        String table = newTable();
        List<CapacityUsage> seen = new ArrayList<>();
        DynamoDbStateStore store = DynamoDbStateStore.builder().client(DYNALITE.client()).tableName(table)
                .capacityListener(seen::add).build();
        ActorId a = ActorId.of("account", "a-1");
        ActorId b = ActorId.of("account", "a-2");

        assertEquals(java.util.Optional.empty(), store.load(a));
        StoredRecord big = new StoredRecord(1, new byte[5000], new byte[0]);
        store.commit(a, 0, big);
        store.load(a);
        store.loadAll(List.of(a, b), Consistency.STRONG);
        store.loadAll(List.of(a, b), Consistency.EVENTUAL);
        store.putArchive(a, "m-1", new byte[1500], Instant.parse("2100-01-01T00:00:00Z"));
        store.loadArchive(a, "m-1");

        long size = DynamoDbStateStore.itemSizeBytes(a, big);
        assertEquals(List.of(
                new CapacityUsage("load", "GetItem", 1, 0, CapacitySource.REPORTED),
                new CapacityUsage("commit", "PutItem", 0, Math.ceil(size / 1024.0), CapacitySource.REPORTED),
                new CapacityUsage("load", "GetItem", 2, 0, CapacitySource.REPORTED),
                // 2 units for a's 5 KB, 1 for b, which does not exist
                new CapacityUsage("loadAll", "BatchGetItem", 3, 0, CapacitySource.REPORTED),
                new CapacityUsage("loadAll", "BatchGetItem", 1.5, 0, CapacitySource.REPORTED),
                new CapacityUsage("putArchive", "PutItem", 0, 2, CapacitySource.REPORTED),
                new CapacityUsage("loadArchive", "GetItem", 1, 0, CapacitySource.REPORTED)), seen);
    }

    @Test
    void dynaliteIgnoresReturnValuesOnConditionCheckFailureSoALostCommitIsALowerBound() {
        String table = newTable();
        List<CapacityUsage> seen = new ArrayList<>();
        DynamoDbStateStore store = DynamoDbStateStore.builder().client(DYNALITE.client()).tableName(table)
                .capacityListener(seen::add).build();
        ActorId a = ActorId.of("account", "a-1");
        store.commit(a, 0, new StoredRecord(1, new byte[3000], new byte[0]));
        seen.clear();
        assertThrows(VersionConflictException.class,
                () -> store.commit(a, 0, new StoredRecord(1, new byte[10], new byte[0])));
        // DynamoDB would return the 3 KB item and bill 3 units; dynalite returns nothing, so 1 is all we know.
        assertEquals(List.of(new CapacityUsage("commit", "PutItem", 0, 1, CapacitySource.LOWER_BOUND)), seen);
    }

    @Test
    void computedUnitsEqualWhatDynaliteReportsAtEveryUnitBoundary() {
        // Items whose computed size is exactly at, or one byte past, a 1 KB (write) or 4 KB (read) boundary, with
        // numbers of many shapes: if the computed size were off by a byte, one side of a boundary would disagree.
        String table = newTable();
        List<String> numbers = List.of("0", "1", "9", "10", "12", "99", "100", "120", "1000", "1200", "12345",
                "123456", "1767225600", "1767225601", "9223372036854775807", "-5", "-120", "0.5", "1.25",
                "0.001", "1E+10", "123.456");
        int checked = 0;
        for (int i = 0; i < numbers.size(); i++) {
            for (int boundary : new int[] {1024, 2048, 4096, 8192}) {
                for (int delta : new int[] {0, 1}) {
                    Map<String, AttributeValue> item = new LinkedHashMap<>();
                    item.put("pk", AttributeValue.fromS("n-" + i + "-" + boundary + "-" + delta));
                    item.put("n", AttributeValue.fromN(numbers.get(i)));
                    item.put("b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[0])));
                    long without = ItemSizes.itemSize(item);
                    int fill = (int) (boundary + delta - without);
                    item.put("b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[fill])));
                    long size = ItemSizes.itemSize(item);
                    assertEquals(boundary + delta, size);
                    PutItemResponse put = DYNALITE.client().putItem(PutItemRequest.builder().tableName(table).item(item)
                            .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
                    assertEquals(ItemSizes.writeUnits(size), put.consumedCapacity().capacityUnits(),
                            "write units of " + numbers.get(i) + " at " + size + " B");
                    for (boolean strong : new boolean[] {true, false}) {
                        double read = DYNALITE.client().getItem(GetItemRequest.builder().tableName(table)
                                .key(Map.of("pk", item.get("pk"))).consistentRead(strong)
                                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build())
                                .consumedCapacity().capacityUnits();
                        assertEquals(ItemSizes.readUnits(size, strong), read,
                                "read units of " + numbers.get(i) + " at " + size + " B, strong " + strong);
                    }
                    checked++;
                }
            }
        }
        assertEquals(numbers.size() * 8, checked);
    }

    @Test
    void aRecordItemSizeIsWhatDynaliteBillsForIt() {
        String table = newTable();
        List<CapacityUsage> seen = new ArrayList<>();
        DynamoDbStateStore store = DynamoDbStateStore.builder().client(DYNALITE.client()).tableName(table)
                .capacityListener(seen::add).build();
        ActorId id = ActorId.of("account", "sized");
        long version = 0;
        for (int state : new int[] {0, 1000, 1009, 1010, 4070, 4080, 100_000}) {
            StoredRecord next = new StoredRecord(version + 1, new byte[state], new byte[] {1, 2});
            long size = DynamoDbStateStore.itemSizeBytes(id, next);
            seen.clear();
            store.commit(id, version, next);
            store.load(id);
            version++;
            // PutItem bills the larger of before and after; the sizes only grow here, so it is the new item.
            assertEquals(ItemSizes.writeUnits(size), seen.get(0).writeUnits(), "write units at " + size + " B");
            assertEquals(ItemSizes.readUnits(size, true), seen.get(1).readUnits(), "read units at " + size + " B");
        }
    }
    @Test
    void dynaliteBillsAUnitForEveryKeyItLeavesUnprocessed() {
        // dynalite stops a BatchGetItem response at about 1.4 MB and adds 1 unit per key it did not read; DynamoDB
        // bills only what it read. So a loadAll of big records over dynalite reports a little more than AWS would.
        String table = newTable();
        List<CapacityUsage> seen = new ArrayList<>();
        DynamoDbStateStore store = DynamoDbStateStore.builder().client(DYNALITE.client()).tableName(table)
                .capacityListener(seen::add).build();
        List<ActorId> ids = new ArrayList<>();
        long perRecord = 0;
        for (int i = 0; i < 20; i++) {
            ActorId id = ActorId.of("account", "big-" + (100 + i));
            ids.add(id);
            StoredRecord r = new StoredRecord(1, new byte[150 * 1024], new byte[0]);
            perRecord = DynamoDbStateStore.itemSizeBytes(id, r);
            store.commit(id, 0, r);
        }
        seen.clear();
        assertEquals(20, store.loadAll(ids, Consistency.STRONG).size());
        double perItem = ItemSizes.readUnits(perRecord, true);   // 38 units for a 150 KB record
        // Each round reports perItem per record read plus 1 per key left: reported = (perItem - 1) * read + asked.
        int asked = 20;
        double total = 0;
        for (CapacityUsage round : seen) {
            assertEquals(CapacitySource.REPORTED, round.source());
            double read = (round.readUnits() - asked) / (perItem - 1);
            assertTrue(read >= 1 && read == Math.rint(read), "round " + round + " with " + asked + " keys asked");
            asked -= (int) read;
            total += round.readUnits();
        }
        assertEquals(0, asked, "all read in " + seen.size() + " rounds");
        assertTrue(seen.size() >= 3, "the size cap split the read: " + seen);
        assertTrue(total > 20 * perItem, "dynalite reported " + total + ", DynamoDB would bill " + 20 * perItem);
    }
}
