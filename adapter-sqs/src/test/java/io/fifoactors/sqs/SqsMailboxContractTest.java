package io.fifoactors.sqs;

import io.fifoactors.contract.MailboxContract;
import io.fifoactors.contract.MailboxFixture;
import io.fifoactors.localaws.ElasticMqServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The shared Mailbox contract, on an embedded ElasticMQ server (one per test class). */
class SqsMailboxContractTest extends MailboxContract {
    private static ElasticMqServer server;
    private static SqsClient client;

    @BeforeAll
    static void startServer() {
        server = ElasticMqServer.start();
        client = server.newClient();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected MailboxFixture newMailbox(int maxReceiveCount) {
        return new SqsMailboxFixture(client, "contract", maxReceiveCount);
    }

    @Override
    protected MailboxFixture newMailboxWithoutRedrive() {
        return new SqsMailboxFixture(client, "contract", 0);
    }
}
