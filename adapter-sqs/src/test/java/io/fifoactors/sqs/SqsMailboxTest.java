package io.fifoactors.sqs;

import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.MessageTooLargeException;
import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.TransientFailureException;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.OutgoingMessage;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SqsException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SqsMailbox against a scripted fake client: request shapes, retries, ordering under failures, error mapping. */
class SqsMailboxTest {
    private static final String QUEUE = "http://local/000000000000/q.fifo";
    private static final String DLQ = "http://local/000000000000/q-dlq.fifo";

    private final FakeSqsClient sqs = new FakeSqsClient();
    private final List<Duration> sleeps = new ArrayList<>();

    private SqsMailbox mailbox() {
        return SqsMailbox.builder().client(sqs).queueUrl(QUEUE).deadLetterQueueUrl(DLQ)
                .sleeper(sleeps::add).build();
    }

    private static OutgoingMessage msg(String group, String id) {
        return new OutgoingMessage(group, id, Map.of("fa-type", "T"), ("body of " + id).getBytes(StandardCharsets.UTF_8));
    }

    private static Delivery delivery(String id) {
        return new Delivery(id, "g/a", "1", 1, Instant.EPOCH, Map.of(), new byte[0], "rh-" + id);
    }

    // ------------------------------------------------------------------------------------------------ send

    @Test
    void sendPutsAtMostOneMessagePerGroupInEachRequestInListOrder() {
        List<OutgoingMessage> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            for (String g : List.of("a", "b", "c")) {
                out.add(msg("g/" + g, g + "-" + i));
            }
        }
        mailbox().send(out);
        assertEquals(List.of(List.of("a-0", "b-0", "c-0"), List.of("a-1", "b-1", "c-1"), List.of("a-2", "b-2", "c-2")),
                sqs.sentIds());
        SendMessageBatchRequestEntry first = sqs.sendBatches.get(0).entries().get(0);
        assertEquals(QUEUE, sqs.sendBatches.get(0).queueUrl());
        assertEquals("g/a", first.messageGroupId());
        assertEquals("a-0", first.messageDeduplicationId());
        assertEquals("body of a-0", first.messageBody());
        assertEquals("T", first.messageAttributes().get("fa-type").stringValue());
        assertEquals("String", first.messageAttributes().get("fa-type").dataType());
        assertEquals("a-0", first.messageAttributes().get(WireFormat.ID).stringValue());
        assertTrue(sleeps.isEmpty());
    }

    @Test
    void aFailedEntryIsRetriedAloneBeforeTheNextMessageOfItsGroup() {
        Map<String, Integer> failuresLeft = new HashMap<>(Map.of("a-0", 2));
        sqs.sendScript = e -> failuresLeft.merge(e.messageDeduplicationId(), -1, Integer::sum) >= 0
                ? FakeSqsClient.error("InternalError", false) : null;
        mailbox().send(List.of(msg("g/a", "a-0"), msg("g/b", "b-0"), msg("g/a", "a-1"), msg("g/b", "b-1")));
        assertEquals(List.of(List.of("a-0", "b-0"), List.of("a-0"), List.of("a-0"), List.of("a-1", "b-1")),
                sqs.sentIds());
        assertEquals(List.of(Duration.ofMillis(50), Duration.ofMillis(100)), sleeps);
    }

    @Test
    void anEntryMissingFromTheResponseIsRetried() {
        sqs.dropFromSendResponseOnce.add("b-0");
        mailbox().send(List.of(msg("g/a", "a-0"), msg("g/b", "b-0"), msg("g/b", "b-1")));
        assertEquals(List.of(List.of("a-0", "b-0"), List.of("b-0"), List.of("b-1")), sqs.sentIds());
    }

    @Test
    void anEntryThatKeepsFailingEndsTheSendAndNoLaterMessageOfItsGroupIsSent() {
        sqs.sendScript = e -> e.messageDeduplicationId().equals("a-1") ? FakeSqsClient.error("InternalError", false)
                : null;
        List<OutgoingMessage> out = List.of(msg("g/a", "a-0"), msg("g/a", "a-1"), msg("g/a", "a-2"),
                msg("g/b", "b-0"), msg("g/b", "b-1"), msg("g/b", "b-2"));
        TransientFailureException e = assertThrows(TransientFailureException.class, () -> mailbox().send(out));
        assertTrue(e.isRetryable());
        assertTrue(e.getMessage().contains("message a-1") && e.getMessage().contains("after 4 attempts"),
                e.getMessage());
        assertFalse(e.getMessage().contains("body of"), "no body in messages");
        assertEquals(List.of(List.of("a-0", "b-0"), List.of("a-1", "b-1"), List.of("a-1"), List.of("a-1"),
                List.of("a-1")), sqs.sentIds());
        assertEquals(3, sleeps.size());
    }

    @Test
    void maxSendRetriesZeroMeansNoRetry() {
        sqs.sendScript = e -> FakeSqsClient.error("ServiceUnavailable", false);
        SqsMailbox mailbox = SqsMailbox.builder().client(sqs).queueUrl(QUEUE).deadLetterQueueUrl(DLQ)
                .maxSendRetries(0).sleeper(sleeps::add).build();
        assertThrows(TransientFailureException.class, () -> mailbox.send(List.of(msg("g/a", "a-0"))));
        assertEquals(1, sqs.sendBatches.size());
    }

    @Test
    void aPermanentEntryFailureIsThrownAtOnce() {
        sqs.sendScript = e -> e.messageDeduplicationId().equals("a-0")
                ? FakeSqsClient.error("InvalidParameterValue", true) : null;
        PermanentFailureException e = assertThrows(PermanentFailureException.class,
                () -> mailbox().send(List.of(msg("g/a", "a-0"), msg("g/b", "b-0"), msg("g/a", "a-1"))));
        assertTrue(e.getMessage().contains("message a-0"), e.getMessage());
        assertEquals(List.of(List.of("a-0", "b-0")), sqs.sentIds());
    }

    @Test
    void aFailedRequestIsMappedAndEndsTheSend() {
        sqs.sendBatchThrows = SqsException.builder().statusCode(500)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("InternalError").build()).build();
        assertThrows(TransientFailureException.class, () -> mailbox().send(List.of(msg("g/a", "a-0"),
                msg("g/a", "a-1"))));
        assertEquals(1, sqs.sendBatches.size());

        sqs.sendBatches.clear();
        sqs.sendBatchThrows = QueueDoesNotExistException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("QueueDoesNotExist").build()).build();
        assertThrows(PermanentFailureException.class, () -> mailbox().send(List.of(msg("g/a", "a-0"))));
    }

    @Test
    void everyMessageIsCheckedBeforeAnythingIsSent() {
        byte[] big = new byte[300 * 1024];
        assertThrows(MessageTooLargeException.class, () -> mailbox().send(List.of(msg("g/a", "a-0"),
                new OutgoingMessage("g/b", "big", Map.of(), big))));
        assertThrows(PermanentFailureException.class, () -> mailbox().send(List.of(msg("g/a", "a-0"),
                new OutgoingMessage("g/b", "bad-name", Map.of("fa-sqs-id", "x"), new byte[1]))));
        assertThrows(PermanentFailureException.class, () -> mailbox().send(List.of(msg("g/a", "a-0"),
                new OutgoingMessage("group with spaces", "m", Map.of(), new byte[1]))));
        assertTrue(sqs.sendBatches.isEmpty());
    }

    @Test
    void sendingNothingMakesNoRequest() {
        mailbox().send(List.of());
        assertTrue(sqs.sendBatches.isEmpty());
    }

    @Test
    void anInterruptDuringBackoffIsTransientAndKeepsTheInterruptFlag() {
        sqs.sendScript = e -> FakeSqsClient.error("InternalError", false);
        SqsMailbox mailbox = SqsMailbox.builder().client(sqs).queueUrl(QUEUE).deadLetterQueueUrl(DLQ)
                .sleeper(d -> {
                    throw new InterruptedException();
                }).build();
        try {
            assertThrows(TransientFailureException.class, () -> mailbox.send(List.of(msg("g/a", "a-0"))));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    // ------------------------------------------------------------------------------------------------ receive

    @Test
    void receiveAsksForEverythingTheDeliveryNeedsWithRoundedTimes() {
        Map<MessageSystemAttributeName, String> system = Map.of(
                MessageSystemAttributeName.MESSAGE_GROUP_ID, "g/a",
                MessageSystemAttributeName.SEQUENCE_NUMBER, "7",
                MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1",
                MessageSystemAttributeName.SENT_TIMESTAMP, "1000",
                MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID, "m-1");
        sqs.receiveScript = r -> ReceiveMessageResponse.builder().messages(Message.builder().messageId("x")
                .receiptHandle("rh").body("hi").attributes(system).build()).build();
        List<Delivery> got = mailbox().receive(7, Duration.ofMillis(1200), Duration.ofMillis(500));
        assertEquals(1, got.size());
        assertEquals("m-1", got.get(0).messageId());
        assertEquals(Instant.ofEpochSecond(1), got.get(0).sentAt());

        ReceiveMessageRequest r = sqs.receives.get(0);
        assertEquals(QUEUE, r.queueUrl());
        assertEquals(7, r.maxNumberOfMessages());
        assertEquals(2, r.visibilityTimeout());
        assertEquals(1, r.waitTimeSeconds());
        assertEquals(List.of("All"), r.messageAttributeNames());
        assertEquals(Set.of(MessageSystemAttributeName.SEQUENCE_NUMBER,
                MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, MessageSystemAttributeName.MESSAGE_GROUP_ID,
                MessageSystemAttributeName.SENT_TIMESTAMP, MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID),
                Set.copyOf(r.messageSystemAttributeNames()));
        assertTrue(r.receiveRequestAttemptId() != null && !r.receiveRequestAttemptId().isEmpty());
    }

    @Test
    void longPollsAreCappedAtTwentySecondsAndBadArgumentsRefused() {
        SqsMailbox mailbox = mailbox();
        mailbox.receive(1, Duration.ZERO, Duration.ofMinutes(5));
        assertEquals(20, sqs.receives.get(0).waitTimeSeconds());
        assertEquals(0, sqs.receives.get(0).visibilityTimeout());
        assertThrows(IllegalArgumentException.class, () -> mailbox.receive(0, Duration.ZERO, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> mailbox.receive(11, Duration.ZERO, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> mailbox.receive(1, Duration.ofSeconds(-1), Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> mailbox.receive(1, Duration.ofHours(13), Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> mailbox.receive(1, Duration.ZERO, Duration.ofMillis(-1)));
    }

    // ------------------------------------------------------------------------------------------------ acknowledge

    @Test
    void acknowledgeDeletesInChunksOfTenAndReturnsStaleReceiptsInOrder() {
        List<Delivery> deliveries = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            deliveries.add(delivery("m-" + i));
        }
        sqs.deleteScript = h -> h.equals("rh-m-3") || h.equals("rh-m-21")
                ? FakeSqsClient.error("ReceiptHandleIsInvalid", true) : null;
        List<Delivery> stale = mailbox().acknowledge(deliveries);
        assertEquals(List.of(deliveries.get(3), deliveries.get(21)), stale);
        assertEquals(List.of(10, 10, 3), sqs.deleteBatches.stream().map(b -> b.entries().size()).toList());
        DeleteMessageBatchRequestEntry e = sqs.deleteBatches.get(2).entries().get(2);
        assertEquals("rh-m-22", e.receiptHandle());
    }

    @Test
    void acknowledgeRetriesTransientEntryFailuresAndThrowsPermanentOnes() {
        Map<String, Integer> failuresLeft = new HashMap<>(Map.of("rh-m-1", 1));
        sqs.deleteScript = h -> failuresLeft.merge(h, -1, Integer::sum) >= 0
                ? FakeSqsClient.error("InternalError", false) : null;
        assertEquals(List.of(), mailbox().acknowledge(List.of(delivery("m-0"), delivery("m-1"))));
        assertEquals(List.of(2, 1), sqs.deleteBatches.stream().map(b -> b.entries().size()).toList());

        sqs.deleteScript = h -> FakeSqsClient.error("AccessDenied", true);
        PermanentFailureException e = assertThrows(PermanentFailureException.class,
                () -> mailbox().acknowledge(List.of(delivery("m-7"))));
        assertTrue(e.getMessage().contains("m-7"), e.getMessage());
    }

    @Test
    void acknowledgingNothingMakesNoRequest() {
        assertEquals(List.of(), mailbox().acknowledge(List.of()));
        assertTrue(sqs.deleteBatches.isEmpty());
    }

    // ------------------------------------------------------------------------------------------------ release

    @Test
    void releaseChangesVisibilityToTheDelayRoundedUpAndIgnoresStaleReceipts() {
        sqs.visibilityScript = h -> h.equals("rh-m-1") ? FakeSqsClient.error("MessageNotInflight", true) : null;
        mailbox().release(List.of(delivery("m-0"), delivery("m-1")), Duration.ofMillis(1500));
        List<ChangeMessageVisibilityBatchRequestEntry> entries = sqs.visibilityBatches.get(0).entries();
        assertEquals(List.of(2, 2), entries.stream().map(ChangeMessageVisibilityBatchRequestEntry::visibilityTimeout)
                .toList());
        assertEquals(1, sqs.visibilityBatches.size());
        assertThrows(IllegalArgumentException.class, () -> mailbox().release(List.of(delivery("m-0")),
                Duration.ofSeconds(-1)));
    }

    // ------------------------------------------------------------------------------------------------ dead letters

    @Test
    void aDeadLetterGoesToTheDeadLetterQueueWithGroupIdAttributesAndReason() {
        mailbox().deadLetter(new DeadLetter("g/a", "m-1", Map.of("fa-type", "T"), new byte[] {(byte) 0xFF}, "bad"));
        SendMessageRequest r = sqs.sends.get(0);
        assertEquals(DLQ, r.queueUrl());
        assertEquals("g/a", r.messageGroupId());
        assertEquals("m-1", r.messageDeduplicationId());
        assertEquals("/w==", r.messageBody());
        assertEquals("T", r.messageAttributes().get("fa-type").stringValue());
        assertEquals("bad", r.messageAttributes().get(WireFormat.REASON).stringValue());
        assertEquals(WireFormat.BASE64, r.messageAttributes().get(WireFormat.ENCODING).stringValue());
    }

    // ------------------------------------------------------------------------------------------------ builder

    @Test
    void theBuilderNamesEveryMissingSetting() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> SqsMailbox.builder().build());
        assertEquals("SqsMailbox.builder() is missing client(SqsClient), queueUrl(String), deadLetterQueueUrl(String)",
                e.getMessage());
        ConfigurationException one = assertThrows(ConfigurationException.class,
                () -> SqsMailbox.builder().client(sqs).queueUrl(QUEUE).build());
        assertEquals("SqsMailbox.builder() is missing deadLetterQueueUrl(String)", one.getMessage());
    }

    @Test
    void theBuilderRefusesNonFifoQueuesTheSameQueueTwiceAndBadRetries() {
        assertThrows(ConfigurationException.class, () -> SqsMailbox.builder().client(sqs)
                .queueUrl("http://local/000000000000/q").deadLetterQueueUrl(DLQ).build());
        assertThrows(ConfigurationException.class, () -> SqsMailbox.builder().client(sqs)
                .queueUrl(QUEUE).deadLetterQueueUrl("http://local/000000000000/dlq").build());
        assertThrows(ConfigurationException.class, () -> SqsMailbox.builder().client(sqs)
                .queueUrl(QUEUE).deadLetterQueueUrl(QUEUE).build());
        assertThrows(ConfigurationException.class, () -> SqsMailbox.builder().client(sqs)
                .queueUrl(QUEUE).deadLetterQueueUrl(DLQ).maxSendRetries(-1).build());
        SqsMailbox fromQueues = SqsMailbox.builder().client(sqs)
                .queues(new SqsQueues(QUEUE, DLQ, "arn:q", "arn:d")).build();
        assertEquals(QUEUE, fromQueues.queueUrl());
        assertEquals(DLQ, fromQueues.deadLetterQueueUrl());
    }
}
