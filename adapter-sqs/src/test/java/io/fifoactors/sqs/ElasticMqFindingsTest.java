package io.fifoactors.sqs;

import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.sqswire.SqsWire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.model.InvalidAttributeValueException;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where ElasticMQ 1.7.1 differs from SQS as AWS documents it, pinned so that docs/semantics.md section 8 stays true
 * (a new ElasticMQ that changes one of them fails here). Each test also shows what the adapter does about it: the
 * in-memory mailbox keeps the AWS behaviour, and the rules the server cannot show are asserted there.
 */
class ElasticMqFindingsTest {
    @RegisterExtension
    static final ElasticMqFixture SQS = new ElasticMqFixture();
    private SqsMailboxFixture fixture;

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private String queue() {
        fixture = new SqsMailboxFixture(SQS.client(), "finding", 0);
        return fixture.queues().queueUrl();
    }

    private static List<Message> receive(String url, int visibility) {
        return SQS.client().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(visibility)
                .waitTimeSeconds(1).messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                .messageAttributeNames("All")).messages();
    }

    private static void send(String url, String group, String dedup) {
        SQS.client().sendMessage(b -> b.queueUrl(url).messageGroupId(group).messageDeduplicationId(dedup)
                .messageBody("b"));
    }

    @Test
    void deduplicationScopeIsIgnoredSoTheAdapterQualifiesDeduplicationIdsWithTheGroup() {
        String url = queue(); // provisioned with DeduplicationScope=messageGroup
        send(url, "g1", "same");
        send(url, "g2", "same");
        assertEquals(1, receive(url, 0).size(), "ElasticMQ deduplicates queue-wide; AWS would deliver both");
        fixture.mailbox().send(List.of(new OutgoingMessage("g1", "x", Map.of(), new byte[] {1}),
                new OutgoingMessage("g2", "x", Map.of(), new byte[] {1})));
        assertEquals(2, fixture.mailbox().receive(10, Duration.ofSeconds(30), Duration.ofSeconds(1)).stream()
                .filter(d -> d.messageId().equals("x")).count(), "the adapter's ids make it per group anyway");
    }

    @Test
    void anExpiredReceiptStillDeletesAndStillChangesVisibility() {
        String url = queue();
        send(url, "g", "d-1");
        send(url, "h", "d-2");
        List<Message> got = receive(url, 1);
        assertEquals(2, got.size());
        fixture.letTimePass(Duration.ofSeconds(2));
        Delivery expired = delivery(got.get(0));
        assertEquals(List.of(), fixture.mailbox().acknowledge(List.of(expired)),
                "ElasticMQ deletes with an expired receipt; AWS FIFO refuses it (the in-memory mailbox does)");
        fixture.mailbox().extendVisibility(List.of(delivery(got.get(1))), Duration.ofSeconds(30));
        assertEquals(List.of(), receive(url, 30), "ElasticMQ hid both again; AWS would change nothing and deliver h");
    }

    @Test
    void aGroupDeliversItsFirstMessageAgainWhileALaterOneIsInFlight() {
        fixture = new SqsMailboxFixture(SQS.client(), "finding", 0);
        fixture.mailbox().send(List.of(new OutgoingMessage("g/l", "a1", Map.of(), new byte[] {1}),
                new OutgoingMessage("g/l", "a2", Map.of(), new byte[] {2})));
        List<Delivery> both = fixture.mailbox().receive(10, Duration.ofSeconds(30), Duration.ofSeconds(1));
        assertEquals(2, both.size());
        fixture.mailbox().retryAfter(both.subList(0, 1), Duration.ZERO);
        List<Delivery> again = fixture.mailbox().receive(10, Duration.ofSeconds(30), Duration.ZERO);
        assertEquals(List.of("a1"), again.stream().map(Delivery::messageId).toList(),
                "ElasticMQ delivers a1 while a2 is in flight; AWS delivers nothing of the group (the runtime only"
                        + " ever makes a whole suffix of a group visible again)");
    }

    @Test
    void visibilityIsNotCappedAtTwelveHoursInTotal() {
        String url = queue();
        send(url, "g", "d-1");
        Message m = receive(url, 43_000).get(0);
        SQS.client().changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(m.receiptHandle())
                .visibilityTimeout(43_200));
        SQS.client().receiveMessage(b -> b.queueUrl(url).visibilityTimeout(43_201)); // AWS: refused
        assertThrows(IllegalArgumentException.class, () -> fixture.mailbox().receive(1, Duration.ofSeconds(43_201),
                Duration.ZERO), "the adapter checks the range itself");
    }

    @Test
    void reservedAttributeNamesAreAcceptedAndMaximumMessageSizeIsNeitherReportedNorEnforced() {
        String url = queue();
        SQS.client().sendMessage(b -> b.queueUrl(url).messageGroupId("g").messageDeduplicationId("aws").messageBody("b")
                .messageAttributes(Map.of("AWS.trace", MessageAttributeValue.builder().dataType("String")
                        .stringValue("v").build())));
        assertThrows(PermanentFailureException.class, () -> fixture.mailbox().send(List.of(
                new OutgoingMessage("g", "m", Map.of("AWS.trace", "v"), new byte[1]))), "the adapter refuses it");
        assertNull(SQS.client().getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL))
                .attributes().get(QueueAttributeName.MAXIMUM_MESSAGE_SIZE), "provisioned with 262144, not reported");
        send(url, "big", "d-big");
        SQS.client().sendMessage(b -> b.queueUrl(url).messageGroupId("big").messageDeduplicationId("1m")
                .messageBody("x".repeat(1_048_576)));
        assertThrows(InvalidAttributeValueException.class, () -> SQS.client().sendMessage(b -> b.queueUrl(url)
                .messageGroupId("big").messageDeduplicationId("1m+1").messageBody("x".repeat(1_048_577))),
                "its own limit is 1 MiB");
    }

    @Test
    void aBatchOverOneMebibyteIsRefusedWholeAndReturnsNoSequenceNumbers() {
        String url = queue();
        List<SendMessageBatchRequestEntry> five = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            five.add(SendMessageBatchRequestEntry.builder().id("e" + i).messageGroupId("g" + i)
                    .messageDeduplicationId("d" + i).messageBody("w".repeat(250_000)).build());
        }
        assertThrows(InvalidAttributeValueException.class, () -> SQS.client().sendMessageBatch(b -> b.queueUrl(url)
                .entries(five)), "the adapter splits requests at 256 KiB");
        SendMessageBatchResponse r = SQS.client().sendMessageBatch(b -> b.queueUrl(url).entries(five.subList(0, 1)));
        assertNull(r.successful().get(0).sequenceNumber());
    }

    @Test
    void aRedriveMoveGetsANewDeduplicationIdAndCountsOneMoreReceive() {
        fixture = new SqsMailboxFixture(SQS.client(), "finding", 1);
        fixture.mailbox().send(List.of(new OutgoingMessage("g/r", "kept-id", Map.of("fa-type", "T"), new byte[] {1})));
        Delivery d = fixture.mailbox().receive(1, Duration.ZERO, Duration.ofSeconds(1)).get(0);
        assertEquals(1, d.receiveCount());
        assertEquals(List.of(), fixture.mailbox().receive(1, Duration.ZERO, Duration.ofSeconds(1)), "moved");
        List<Message> dlq = receive(fixture.queues().deadLetterQueueUrl(), 0);
        assertEquals(1, dlq.size());
        Map<String, String> system = dlq.get(0).attributesAsStrings();
        assertNotEquals(SqsWire.deduplicationId("g/r", "kept-id"),
                system.get("MessageDeduplicationId"));
        assertEquals("2", system.get("ApproximateReceiveCount"));
        assertEquals("kept-id", fixture.deadLetters(1, Duration.ofSeconds(5)).get(0).messageId(),
                "fa-sqs-id keeps the id");
        assertTrue(system.containsKey("DeadLetterQueueSourceArn"));
    }

    /** A received SDK message as a delivery (the mailbox's own mapping). */
    private static Delivery delivery(Message m) {
        return SqsWire.toDelivery(SdkWire.toWire(m));
    }
}
