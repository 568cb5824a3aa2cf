package io.fifoactors.sqs;

import io.fifoactors.core.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqsQueueProvisionerTest {
    @RegisterExtension
    static final ElasticMqFixture SQS = new ElasticMqFixture();

    private static Map<QueueAttributeName, String> attributes(String url) {
        return SQS.client().getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL))
                .attributes();
    }

    @Test
    void provisionsAFifoQueueWithARedrivePolicyToItsFifoDeadLetterQueue() {
        SqsQueues q = SQS.provisioner().maxReceiveCount(3)
                .visibilityTimeout(Duration.ofSeconds(45)).build().provision("accounts");
        assertTrue(q.queueUrl().endsWith("/accounts.fifo"), q.queueUrl());
        assertTrue(q.deadLetterQueueUrl().endsWith("/accounts-dlq.fifo"), q.deadLetterQueueUrl());
        assertEquals("arn:aws:sqs:us-east-1:000000000000:accounts.fifo", q.queueArn());
        assertEquals("arn:aws:sqs:us-east-1:000000000000:accounts-dlq.fifo", q.dlqArn());

        Map<QueueAttributeName, String> main = attributes(q.queueUrl());
        assertEquals("true", main.get(QueueAttributeName.FIFO_QUEUE));
        assertEquals("false", main.get(QueueAttributeName.CONTENT_BASED_DEDUPLICATION));
        assertEquals("45", main.get(QueueAttributeName.VISIBILITY_TIMEOUT));
        assertEquals("{\"deadLetterTargetArn\":\"" + q.dlqArn() + "\",\"maxReceiveCount\":3}",
                main.get(QueueAttributeName.REDRIVE_POLICY));
        assertEquals("true", attributes(q.deadLetterQueueUrl()).get(QueueAttributeName.FIFO_QUEUE));
    }

    @Test
    void byDefaultTheQueueHasNoRedrivePolicyAndTheDeadLetterQueueTakesTheLargestMessages() {
        RecordingSqsClient recording = new RecordingSqsClient(SQS.client());
        SqsQueues q = SqsQueueProvisioner.builder().client(recording).build().provision("defaults");
        assertEquals(null, attributes(q.queueUrl()).get(QueueAttributeName.REDRIVE_POLICY));
        assertEquals(2, recording.creates.size());
        Map<QueueAttributeName, String> dlq = recording.creates.get(0).attributes();
        Map<QueueAttributeName, String> main = recording.creates.get(1).attributes();
        assertTrue(recording.creates.get(0).queueName().endsWith("-dlq.fifo"));
        assertEquals("1048576", dlq.get(QueueAttributeName.MAXIMUM_MESSAGE_SIZE));
        assertEquals("messageGroup", dlq.get(QueueAttributeName.DEDUPLICATION_SCOPE));
        assertEquals("262144", main.get(QueueAttributeName.MAXIMUM_MESSAGE_SIZE));
        assertEquals("messageGroup", main.get(QueueAttributeName.DEDUPLICATION_SCOPE));
        assertEquals("1209600", main.get(QueueAttributeName.MESSAGE_RETENTION_PERIOD));
        assertEquals(null, main.get(QueueAttributeName.REDRIVE_POLICY));
    }

    @Test
    void theTimerQueueIsAStandardQueueWithLongPolling() {
        RecordingSqsClient recording = new RecordingSqsClient(SQS.client());
        SqsQueueProvisioner p = SqsQueueProvisioner.builder().client(recording).build();
        String url = p.provisionTimerQueue("ticks");
        assertTrue(url.endsWith("/ticks-timers"), url);
        assertEquals(url, p.provisionTimerQueue("ticks.fifo"), "idempotent");
        Map<QueueAttributeName, String> a = attributes(url);
        assertEquals(null, a.get(QueueAttributeName.FIFO_QUEUE));
        assertEquals("20", a.get(QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS));
        assertEquals("262144", recording.creates.get(0).attributes().get(QueueAttributeName.MAXIMUM_MESSAGE_SIZE));
        p.deleteQueue(url);
        p.deleteQueue(url);
        assertTrue(SQS.client().listQueues(b -> b.queueNamePrefix("ticks")).queueUrls().isEmpty());
    }

    @Test
    void aRedrivePolicyIsAddedToAQueueThatHadNone() {
        SqsQueues q = SQS.provisioner().build().provision("later-redrive");
        SQS.provisioner().maxReceiveCount(6).build().provision("later-redrive");
        assertTrue(attributes(q.queueUrl()).get(QueueAttributeName.REDRIVE_POLICY).contains("\"maxReceiveCount\":6"));
    }

    @Test
    void provisioningAgainIsIdempotentAndConvergesChangedSettings() {
        SqsQueues first = SQS.provisioner().maxReceiveCount(5).build()
                .provision("orders.fifo");
        SqsQueues again = SQS.provisioner().maxReceiveCount(5).build().provision("orders");
        assertEquals(first, again);

        SqsQueues changed = SQS.provisioner().maxReceiveCount(9)
                .visibilityTimeout(Duration.ofSeconds(12)).build().provision("orders");
        assertEquals(first, changed);
        Map<QueueAttributeName, String> main = attributes(changed.queueUrl());
        assertEquals("12", main.get(QueueAttributeName.VISIBILITY_TIMEOUT));
        assertTrue(main.get(QueueAttributeName.REDRIVE_POLICY).contains("\"maxReceiveCount\":9"),
                main.get(QueueAttributeName.REDRIVE_POLICY));
    }

    @Test
    void withoutRedriveTheQueueHasNoPolicyAndAnExistingOneIsRemoved() {
        SqsQueues fresh = SQS.provisioner().noRedrive().build().provision("no-redrive");
        assertEquals(null, attributes(fresh.queueUrl()).get(QueueAttributeName.REDRIVE_POLICY));
        assertEquals("true", attributes(fresh.deadLetterQueueUrl()).get(QueueAttributeName.FIFO_QUEUE));

        // SQS removes a policy set to ""; ElasticMQ 1.7.1 keeps it, and the provisioner then refuses the queue
        SQS.provisioner().maxReceiveCount(4).build().provision("switching");
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> SQS.provisioner().noRedrive().build().provision("switching"));
        assertTrue(e.getMessage().contains("keeps its redrive policy"), e.getMessage());
    }

    @Test
    void deleteRemovesBothQueuesAndToleratesMissingOnes() {
        SqsQueueProvisioner p = SQS.provisioner().build();
        SqsQueues q = p.provision("short-lived");
        p.delete(q);
        p.delete(q);
        assertTrue(SQS.client().listQueues(b -> b.queueNamePrefix("short-lived")).queueUrls().isEmpty());
    }

    @Test
    void queueNamesAreChecked() {
        SqsQueueProvisioner p = SQS.provisioner().build();
        for (String bad : new String[] {"", ".fifo", "with space", "dot.ted", "x".repeat(72)}) {
            assertThrows(IllegalArgumentException.class, () -> p.provision(bad), bad);
        }
        assertEquals("x".repeat(71), SqsQueueProvisioner.baseName("x".repeat(71)));
    }

    @Test
    void theBuilderRefusesMissingOrOutOfRangeSettings() {
        ConfigurationException missing = assertThrows(ConfigurationException.class,
                () -> SqsQueueProvisioner.builder().build());
        assertEquals("SqsQueueProvisioner.builder() is missing client(SqsClient)", missing.getMessage());
        assertThrows(ConfigurationException.class,
                () -> SQS.provisioner().maxReceiveCount(0).build());
        assertThrows(ConfigurationException.class,
                () -> SQS.provisioner().maxReceiveCount(1001).build());
        assertThrows(ConfigurationException.class,
                () -> SQS.provisioner().visibilityTimeout(Duration.ofMillis(1500)).build());
        assertThrows(ConfigurationException.class,
                () -> SQS.provisioner().visibilityTimeout(Duration.ofHours(13)).build());
        assertThrows(ConfigurationException.class,
                () -> SQS.provisioner().deadLetterRetention(Duration.ofDays(15)).build());
    }

    @Test
    void onlyAttributesTheQueueReportsDifferentlyAreChanged() {
        Map<QueueAttributeName, String> current = Map.of(
                QueueAttributeName.FIFO_QUEUE, "true",
                QueueAttributeName.VISIBILITY_TIMEOUT, "30",
                QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "false",
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"arn:d\", \"maxReceiveCount\":\"5\"}");
        Map<QueueAttributeName, String> wanted = Map.of(
                QueueAttributeName.FIFO_QUEUE, "true",
                QueueAttributeName.VISIBILITY_TIMEOUT, "31",
                QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "false",
                QueueAttributeName.DEDUPLICATION_SCOPE, "messageGroup",
                QueueAttributeName.REDRIVE_POLICY, SqsQueueProvisioner.redrivePolicy("arn:d", 5));
        assertEquals(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "31"),
                SqsQueueProvisioner.changes(current, wanted));
    }
}
