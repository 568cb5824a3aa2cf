package io.fifoactors.dynamodb;

import io.fifoactors.contract.StateStoreFixture;
import io.fifoactors.contract.StateStoreFuzzContract;
import io.fifoactors.localaws.DynaliteServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The StateStore fuzz on DynamoDbStateStore over dynalite (always fresh, so the clock is not needed), with the same
 * sequences as InMemoryStateStoreFuzzTest in adapter-inmemory: a table per sequence, so a soak run keeps dynalite's
 * memory small.
 */
class DynamoDbStateStoreFuzzTest extends StateStoreFuzzContract {
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static DynaliteServer server;
    private static DynamoDbClient client;
    private static DynamoDbTableProvisioner provisioner;

    @BeforeAll
    static void startDynalite() {
        server = DynaliteServer.start();
        client = server.newClient();
        provisioner = DynamoDbTableProvisioner.builder().client(client).build();
    }

    @AfterAll
    static void stopDynalite() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected StateStoreFixture newStore(Clock clock) {
        String table = "fuzz-" + TABLES.incrementAndGet();
        provisioner.ensureTable(table);
        return StateStoreFixture.of(DynamoDbStateStore.builder().client(client).tableName(table).build(),
                () -> provisioner.deleteTableIfPresent(table));
    }
}
