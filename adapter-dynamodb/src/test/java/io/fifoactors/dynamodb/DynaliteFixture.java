package io.fifoactors.dynamodb;

import io.fifoactors.localaws.DynaliteServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One dynalite server per test class, with a client and a provisioner on it: register it as a static field,
 * {@code @RegisterExtension static final DynaliteFixture DYNALITE = new DynaliteFixture();}. The server starts before
 * the class's first test and stops (client closed first) after its last.
 */
final class DynaliteFixture implements BeforeAllCallback, AfterAllCallback {
    private final AtomicInteger tables = new AtomicInteger();
    private Class<?> owner;
    private DynaliteServer server;
    private DynamoDbClient client;
    private DynamoDbTableProvisioner provisioner;

    @Override
    public void beforeAll(ExtensionContext context) {
        if (owner != null) {
            return; // a nested class: the enclosing class's server serves it
        }
        owner = context.getRequiredTestClass();
        server = DynaliteServer.start();
        client = server.newClient();
        provisioner = DynamoDbTableProvisioner.builder().client(client).build();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (context.getRequiredTestClass() != owner) {
            return;
        }
        owner = null;
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    DynaliteServer server() {
        return server;
    }

    DynamoDbClient client() {
        return client;
    }

    DynamoDbTableProvisioner provisioner() {
        return provisioner;
    }

    /** A table name not used before on this server: {@code prefix-1}, {@code prefix-2}, ... */
    String nextTable(String prefix) {
        return prefix + "-" + tables.incrementAndGet();
    }

    /** A store on {@code table} of this server. */
    DynamoDbStateStore store(String table) {
        return DynamoDbStateStore.builder().client(client).tableName(table).build();
    }
}
