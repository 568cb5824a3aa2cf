package io.fifoactors.sqs;

import io.fifoactors.contract.MailboxFixture;
import io.fifoactors.contract.MailboxFuzz;
import io.fifoactors.localaws.ElasticMqServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The mailbox fuzz on the SQS mailbox over an embedded ElasticMQ server. Time passing is real (3 s long polls of an
 * empty queue), so sequences run eight at a time; ElasticMQ's documented quirks are followed by the model.
 */
class SqsMailboxFuzzTest extends MailboxFuzz {
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
        return new SqsMailboxFixture(client, "fuzz", maxReceiveCount);
    }

    @Override
    protected int ciSequences() {
        return 24;
    }

    @Override
    protected int threads() {
        return 8;
    }
}
