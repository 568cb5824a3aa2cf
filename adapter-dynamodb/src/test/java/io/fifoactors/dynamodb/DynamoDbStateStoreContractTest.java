package io.fifoactors.dynamodb;

import io.fifoactors.contract.StateStoreContract;
import io.fifoactors.contract.StateStoreFixture;
import io.fifoactors.localaws.DynaliteServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.concurrent.atomic.AtomicInteger;

/** The shared StateStore contract against dynalite: one server per class, a fresh table per store. */
class DynamoDbStateStoreContractTest extends StateStoreContract {
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
    protected StateStoreFixture newStore() {
        String table = "actors-" + TABLES.incrementAndGet();
        provisioner.ensure(table);
        return StateStoreFixture.of(DynamoDbStateStore.builder().client(client).tableName(table).build(),
                () -> provisioner.deleteTableIfPresent(table));
    }
}
