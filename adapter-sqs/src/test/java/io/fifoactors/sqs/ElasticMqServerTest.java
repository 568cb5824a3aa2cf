package io.fifoactors.sqs;

import io.fifoactors.localaws.ElasticMqServer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded ElasticMQ server of the local-servers module (tested here, where it is used). */
class ElasticMqServerTest {
    @Test
    void startsOnALoopbackPortAndAnswersItsClient() {
        try (ElasticMqServer server = ElasticMqServer.start()) {
            assertEquals("127.0.0.1", server.endpoint().getHost());
            assertTrue(server.port() > 0);
            SqsClient client = server.newClient();
            String url = client.createQueue(b -> b.queueName("probe.fifo")
                    .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl();
            assertEquals(server.endpoint() + "/000000000000/probe.fifo", url);
            assertEquals(List.of(url), client.listQueues().queueUrls());
        }
    }

    @Test
    void serversAreIndependent() {
        try (ElasticMqServer one = ElasticMqServer.start(); ElasticMqServer two = ElasticMqServer.start()) {
            one.newClient().createQueue(b -> b.queueName("only-in-one"));
            assertTrue(two.newClient().listQueues().queueUrls().isEmpty());
            assertTrue(one.port() != two.port());
        }
    }

    @Test
    void closeIsIdempotentAndAClosedServerMakesNoClients() {
        ElasticMqServer server = ElasticMqServer.start();
        server.close();
        server.close();
        assertThrows(IllegalStateException.class, server::newClient);
    }
}
