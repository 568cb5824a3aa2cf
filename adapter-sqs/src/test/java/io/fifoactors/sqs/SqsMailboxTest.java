package io.fifoactors.sqs;

import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.MessageTooLargeException;
import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.TransientFailureException;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.port.RedrivePolicy;
import io.fifoactors.sqswire.SqsWire;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SqsException;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
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
        assertEquals(SqsWire.deduplicationId("g/a", "a-0"), first.messageDeduplicationId());
        assertEquals("body of a-0", first.messageBody());
        assertEquals("T", first.messageAttributes().get("fa-type").stringValue());
        assertEquals("String", first.messageAttributes().get("fa-type").dataType());
        assertEquals("a-0", first.messageAttributes().get(SqsWire.ID).stringValue());
        assertTrue(sleeps.isEmpty());
    }

    @Test
    void aFailedEntryIsRetriedAloneBeforeTheNextMessageOfItsGroup() {
        Map<String, Integer> failuresLeft = new HashMap<>(Map.of("a-0", 2));
        sqs.sendScript = e -> failuresLeft.merge(FakeSqsClient.idOf(e), -1, Integer::sum) >= 0
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
        sqs.sendScript = e -> FakeSqsClient.idOf(e).equals("a-1") ? FakeSqsClient.error("InternalError", false)
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
        sqs.sendScript = e -> FakeSqsClient.idOf(e).equals("a-0")
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
        assertThrows(PermanentFailureException.class, () -> mailbox().send(List.of(msg("g/a", "a-0"),
                new OutgoingMessage("g/b", "m", Map.of("Amazon.trace", "x"), new byte[1]))));
        assertTrue(sqs.sendBatches.isEmpty());
    }

    @Test
    void requestsAreSplitSoThatNoneCarriesMoreThanTheBatchPayloadLimit() {
        List<OutgoingMessage> out = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            byte[] body = new byte[100_000];
            Arrays.fill(body, (byte) 'p');
            out.add(new OutgoingMessage("g/" + i, "p-" + i, Map.of(), body));
        }
        mailbox().send(out);
        assertEquals(List.of(List.of("p-0", "p-1"), List.of("p-2", "p-3"), List.of("p-4")), sqs.sentIds());
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
        mailbox.receive(1, Duration.ofMillis(1), Duration.ofMillis(1));
        assertEquals(1, sqs.receives.get(1).visibilityTimeout(), "a fraction of a second counts as one");
        assertEquals(1, sqs.receives.get(1).waitTimeSeconds());
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

    // ------------------------------------------------------------------------------------------------ visibility

    @Test
    void retryAfterAndExtendVisibilityChangeVisibilityInWholeSecondsAndIgnoreStaleReceipts() {
        sqs.visibilityScript = h -> h.equals("rh-m-1") ? FakeSqsClient.error("ReceiptHandleIsInvalid", true) : null;
        mailbox().retryAfter(List.of(delivery("m-0"), delivery("m-1")), Duration.ofMillis(1500));
        mailbox().extendVisibility(List.of(delivery("m-0"), delivery("m-1")), Duration.ofMillis(200));
        assertEquals(List.of(2, 2), sqs.visibilityBatches.get(0).entries().stream()
                .map(ChangeMessageVisibilityBatchRequestEntry::visibilityTimeout).toList());
        assertEquals(List.of(1, 1), sqs.visibilityBatches.get(1).entries().stream()
                .map(ChangeMessageVisibilityBatchRequestEntry::visibilityTimeout).toList());
        assertThrows(IllegalArgumentException.class, () -> mailbox().retryAfter(List.of(delivery("m-0")),
                Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> mailbox().extendVisibility(List.of(delivery("m-0")),
                Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> mailbox().extendVisibility(List.of(delivery("m-0")),
                Duration.ofHours(12).plusSeconds(1)));
        assertEquals(2, sqs.visibilityBatches.size());
    }

    @Test
    void aVisibilityChangeSqsRefusesIsAPermanentFailure() {
        // AWS refuses a total visibility of more than 12 hours (sender fault, not about the receipt)
        sqs.visibilityScript = h -> BatchResultErrorEntry.builder().code("InvalidParameterValue").senderFault(true)
                .message("Value 43200 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for"
                        + " the message is beyond the limit [43200 seconds]").build();
        PermanentFailureException e = assertThrows(PermanentFailureException.class,
                () -> mailbox().extendVisibility(List.of(delivery("m-0")), Duration.ofHours(12)));
        assertTrue(e.getMessage().contains("m-0"), e.getMessage());
    }

    @Test
    void anExpiredReceiptIsReturnedByAcknowledgeInBothOfAwssSpellings() {
        sqs.deleteScript = h -> switch (h) {
            case "rh-m-0" -> BatchResultErrorEntry.builder().code("ReceiptHandleIsInvalid").senderFault(true)
                    .message("The receipt handle has expired").build();
            case "rh-m-1" -> BatchResultErrorEntry.builder().code("InvalidParameterValue").senderFault(true)
                    .message("Value x for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.")
                    .build();
            default -> null;
        };
        List<Delivery> ds = List.of(delivery("m-0"), delivery("m-1"), delivery("m-2"));
        assertEquals(ds.subList(0, 2), mailbox().acknowledge(ds));
    }

    // ------------------------------------------------------------------------------------------------ dead letters

    private static final Delivery POISON = new Delivery("m-1", "g/a", "77", 3, Instant.EPOCH,
            Map.of("fa-type", "T"), new byte[] {(byte) 0xFF}, "rh-m-1");

    @Test
    void aDeadLetterThatFitsIsOneCopyWithItsReasonDeduplicatedByItsDeadLetterId() {
        mailbox().deadLetter(DeadLetter.of(POISON, "bad"));
        assertEquals(1, sqs.sends.size());
        SendMessageRequest r = sqs.sends.get(0);
        assertEquals(DLQ, r.queueUrl());
        assertEquals("g/a", r.messageGroupId());
        assertEquals(DeadLetter.idFor("g/a", "77"), r.messageDeduplicationId());
        assertEquals("/w==", r.messageBody());
        assertEquals("T", r.messageAttributes().get("fa-type").stringValue());
        assertEquals("m-1", r.messageAttributes().get(SqsWire.ID).stringValue());
        assertEquals("bad", r.messageAttributes().get(SqsWire.REASON).stringValue());
        assertEquals(SqsWire.BASE64, r.messageAttributes().get(SqsWire.ENCODING).stringValue());
    }

    @Test
    void aDeadLetterWhoseReasonDoesNotFitSendsANoteFirstThenTheVerbatimCopy() {
        Map<String, String> ten = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            ten.put("a" + i, "v" + i);
        }
        Delivery full = new Delivery("m-2", "g/a", "78", 1, Instant.EPOCH, ten, "{}".getBytes(StandardCharsets.UTF_8),
                "rh");
        mailbox().deadLetter(DeadLetter.of(full, "ten attributes"));
        assertEquals(2, sqs.sends.size());
        SendMessageRequest note = sqs.sends.get(0);
        SendMessageRequest copy = sqs.sends.get(1);
        assertEquals("ten attributes", note.messageBody());
        assertEquals(DeadLetter.idFor("g/a", "78"), note.messageAttributes().get(SqsWire.NOTE).stringValue());
        assertEquals(DeadLetter.idFor("g/a", "78"), copy.messageDeduplicationId());
        assertEquals(ten.keySet(), copy.messageAttributes().keySet());
        assertEquals("g/a", note.messageGroupId());
        assertEquals("g/a", copy.messageGroupId());
    }

    @Test
    void theDeadLetterQueuesSizeLimitDecidesWhetherTheReasonFitsTheCopy() {
        byte[] body = new byte[262_130];
        Arrays.fill(body, (byte) 'x');
        Delivery big = new Delivery("m-3", "g/a", "79", 1, Instant.EPOCH, Map.of(), body, "rh");
        sqs.queueAttributes.put(DLQ, Map.of(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "1048576"));
        mailbox().deadLetter(DeadLetter.of(big, "large"));
        assertEquals(1, sqs.sends.size(), "a 1 MiB dead-letter queue takes the copy with its reason");

        sqs.sends.clear();
        sqs.queueAttributes.put(DLQ, Map.of(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "262144"));
        mailbox().deadLetter(DeadLetter.of(big, "large"));
        assertEquals(2, sqs.sends.size(), "a 256 KiB one gets a note and the copy");
    }

    @Test
    void aFailedNoteSendFailsTheDeadLetterBeforeTheCopyIsSent() {
        Map<String, String> ten = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            ten.put("a" + i, "v");
        }
        sqs.sendThrowsOnce = SqsException.builder().statusCode(500)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("InternalError").build()).build();
        Delivery full = new Delivery("m-4", "g/a", "80", 1, Instant.EPOCH, ten, new byte[] {'x'}, "rh");
        TransientFailureException e = assertThrows(TransientFailureException.class,
                () -> mailbox().deadLetter(DeadLetter.of(full, "r")));
        assertTrue(e.getMessage().contains("SendMessage"), e.getMessage());
        assertEquals(1, sqs.sends.size(), "the copy never goes without its note before it");
    }

    // ------------------------------------------------------------------------------------------------ redrive policy

    @Test
    void theRedrivePolicyIsReadFromTheQueueAndKeptForTheRefreshInterval() {
        MutableClock clock = new MutableClock();
        SqsMailbox mailbox = SqsMailbox.builder().client(sqs).queueUrl(QUEUE).deadLetterQueueUrl(DLQ).clock(clock)
                .settingsRefresh(Duration.ofMinutes(5)).build();
        sqs.queueAttributes.put(QUEUE, Map.of(QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:1:q-dlq.fifo\",\"maxReceiveCount\":\"15\"}"));
        assertEquals(RedrivePolicy.afterReceives(15), mailbox.redrivePolicy());
        assertEquals(RedrivePolicy.afterReceives(15), mailbox.redrivePolicy());
        assertEquals(2, sqs.attributeReads, "one read of each queue");

        sqs.queueAttributes.put(QUEUE, Map.of());
        clock.now = clock.now.plus(Duration.ofMinutes(4));
        assertEquals(RedrivePolicy.afterReceives(15), mailbox.redrivePolicy(), "kept until the refresh");
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        assertEquals(RedrivePolicy.none(), mailbox.redrivePolicy(), "re-read: the policy was removed");

        sqs.attributesThrow = SqsException.builder().statusCode(500)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("InternalError").build()).build();
        clock.now = clock.now.plus(Duration.ofMinutes(5));
        assertEquals(RedrivePolicy.none(), mailbox.redrivePolicy(), "a failed re-read keeps the last value");
        SqsMailbox fresh = SqsMailbox.builder().client(sqs).queueUrl(QUEUE).deadLetterQueueUrl(DLQ).build();
        assertThrows(TransientFailureException.class, fresh::redrivePolicy, "nothing read yet: the failure shows");
    }

    @Test
    void redrivePolicyJsonIsParsedWhateverTheQuoting() {
        assertEquals(RedrivePolicy.afterReceives(5), QueueSettings.parseRedrivePolicy(
                "{\"maxReceiveCount\": 5, \"deadLetterTargetArn\": \"arn\"}"));
        assertEquals(RedrivePolicy.none(), QueueSettings.parseRedrivePolicy(""));
        assertEquals(RedrivePolicy.none(), QueueSettings.parseRedrivePolicy(null));
        assertEquals(RedrivePolicy.none(), QueueSettings.parseRedrivePolicy("{\"redrivePermission\":\"allowAll\"}"));
        assertEquals(262_144, QueueSettings.parseMaxBytes(null));
        assertEquals(1_048_576, QueueSettings.parseMaxBytes("1048576"));
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    // ------------------------------------------------------------------------------------------------ notes

    @Test
    void aDeadLetterNoteMovedIntoTheQueueIsDeletedNotDelivered() {
        Map<MessageSystemAttributeName, String> system = Map.of(
                MessageSystemAttributeName.MESSAGE_GROUP_ID, "g/a",
                MessageSystemAttributeName.SEQUENCE_NUMBER, "7",
                MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID, "m-1");
        Message note = Message.builder().messageId("n").receiptHandle("rh-note").body("why").attributes(system)
                .messageAttributes(Map.of(SqsWire.NOTE, MessageAttributeValue.builder().dataType("String")
                        .stringValue("dl-1").build())).build();
        Message copy = Message.builder().messageId("c").receiptHandle("rh-copy").body("hi").attributes(system).build();
        sqs.receiveScript = r -> ReceiveMessageResponse.builder().messages(note, copy).build();
        List<Delivery> got = mailbox().receive(10, Duration.ofSeconds(30), Duration.ZERO);
        assertEquals(List.of("rh-copy"), got.stream().map(Delivery::receiptHandle).toList());
        assertEquals("rh-note", sqs.deleteBatches.get(0).entries().get(0).receiptHandle());
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
