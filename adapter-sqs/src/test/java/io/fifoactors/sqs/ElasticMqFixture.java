package io.fifoactors.sqs;

import io.fifoactors.localaws.ElasticMqServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * One embedded ElasticMQ server per test class, with a client on it: register it as a static field,
 * {@code @RegisterExtension static final ElasticMqFixture SQS = new ElasticMqFixture();}. The server starts before
 * the class's first test and stops (closing the client) after its last.
 */
final class ElasticMqFixture implements BeforeAllCallback, AfterAllCallback {
    private Class<?> owner;
    private ElasticMqServer server;
    private SqsClient client;

    @Override
    public void beforeAll(ExtensionContext context) {
        if (owner != null) {
            return; // a nested class: the enclosing class's server serves it
        }
        owner = context.getRequiredTestClass();
        server = ElasticMqServer.start();
        client = server.newClient();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (context.getRequiredTestClass() != owner) {
            return;
        }
        owner = null;
        if (server != null) {
            server.close(); // closes the client too
        }
    }

    SqsClient client() {
        return client;
    }

    /** A provisioner builder on this server. */
    SqsQueueProvisioner.Builder provisioner() {
        return SqsQueueProvisioner.builder().client(client);
    }
}
