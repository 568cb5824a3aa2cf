package io.fifoactors.sqs;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A scriptable in-process {@link SqsClient} for unit tests: it records every request and answers through a
 * replaceable function per operation (by default: every entry succeeds). Operations not scripted here throw
 * UnsupportedOperationException (the interface's default).
 */
final class FakeSqsClient implements SqsClient {
    final List<SendMessageBatchRequest> sendBatches = new ArrayList<>();
    final List<DeleteMessageBatchRequest> deleteBatches = new ArrayList<>();
    final List<ChangeMessageVisibilityBatchRequest> visibilityBatches = new ArrayList<>();
    final List<ReceiveMessageRequest> receives = new ArrayList<>();
    final List<SendMessageRequest> sends = new ArrayList<>();

    /** For SendMessageBatch, per entry: {@code null} for success, or the error to report. */
    Function<SendMessageBatchRequestEntry, BatchResultErrorEntry> sendScript = e -> null;
    /** When set, SendMessageBatch throws this instead of answering. */
    RuntimeException sendBatchThrows;
    /** For DeleteMessageBatch: by receipt handle. */
    Function<String, BatchResultErrorEntry> deleteScript = h -> null;
    /** For ChangeMessageVisibilityBatch: by receipt handle. */
    Function<String, BatchResultErrorEntry> visibilityScript = h -> null;
    /** Answers ReceiveMessage. */
    Function<ReceiveMessageRequest, ReceiveMessageResponse> receiveScript = r -> ReceiveMessageResponse.builder().build();
    /** Entries whose message id is listed are left out of the SendMessageBatch response altogether (once each). */
    final List<String> dropFromSendResponseOnce = new ArrayList<>();
    /** Queue attributes by queue URL, for GetQueueAttributes. */
    final Map<String, Map<QueueAttributeName, String>> queueAttributes = new HashMap<>();
    /** When set, GetQueueAttributes throws this. */
    RuntimeException attributesThrow;
    int attributeReads;

    /** The message id an entry carries (fa-sqs-id). */
    static String idOf(SendMessageBatchRequestEntry e) {
        MessageAttributeValue id = e.messageAttributes().get("fa-sqs-id");
        return id == null ? e.messageDeduplicationId() : id.stringValue();
    }

    static BatchResultErrorEntry error(String code, boolean senderFault) {
        return BatchResultErrorEntry.builder().code(code).senderFault(senderFault).message(code + " (fake)").build();
    }

    @Override
    public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request) {
        sendBatches.add(request);
        if (sendBatchThrows != null) {
            throw sendBatchThrows;
        }
        List<SendMessageBatchResultEntry> ok = new ArrayList<>();
        List<BatchResultErrorEntry> failed = new ArrayList<>();
        for (SendMessageBatchRequestEntry e : request.entries()) {
            if (dropFromSendResponseOnce.remove(idOf(e))) {
                continue;
            }
            BatchResultErrorEntry error = sendScript.apply(e);
            if (error == null) {
                ok.add(SendMessageBatchResultEntry.builder().id(e.id()).messageId("sqs-" + e.id()).build());
            } else {
                failed.add(error.toBuilder().id(e.id()).build());
            }
        }
        return SendMessageBatchResponse.builder().successful(ok).failed(failed).build();
    }

    @Override
    public DeleteMessageBatchResponse deleteMessageBatch(DeleteMessageBatchRequest request) {
        deleteBatches.add(request);
        List<DeleteMessageBatchResultEntry> ok = new ArrayList<>();
        List<BatchResultErrorEntry> failed = new ArrayList<>();
        request.entries().forEach(e -> {
            BatchResultErrorEntry error = deleteScript.apply(e.receiptHandle());
            if (error == null) {
                ok.add(DeleteMessageBatchResultEntry.builder().id(e.id()).build());
            } else {
                failed.add(error.toBuilder().id(e.id()).build());
            }
        });
        return DeleteMessageBatchResponse.builder().successful(ok).failed(failed).build();
    }

    @Override
    public ChangeMessageVisibilityBatchResponse changeMessageVisibilityBatch(ChangeMessageVisibilityBatchRequest request) {
        visibilityBatches.add(request);
        List<ChangeMessageVisibilityBatchResultEntry> ok = new ArrayList<>();
        List<BatchResultErrorEntry> failed = new ArrayList<>();
        request.entries().forEach(e -> {
            BatchResultErrorEntry error = visibilityScript.apply(e.receiptHandle());
            if (error == null) {
                ok.add(ChangeMessageVisibilityBatchResultEntry.builder().id(e.id()).build());
            } else {
                failed.add(error.toBuilder().id(e.id()).build());
            }
        });
        return ChangeMessageVisibilityBatchResponse.builder().successful(ok).failed(failed).build();
    }

    @Override
    public ReceiveMessageResponse receiveMessage(ReceiveMessageRequest request) {
        receives.add(request);
        return receiveScript.apply(request);
    }

    /** When set, SendMessage throws this (once). */
    RuntimeException sendThrowsOnce;

    @Override
    public SendMessageResponse sendMessage(SendMessageRequest request) {
        sends.add(request);
        if (sendThrowsOnce != null) {
            RuntimeException e = sendThrowsOnce;
            sendThrowsOnce = null;
            throw e;
        }
        return SendMessageResponse.builder().messageId("sqs-dlq").sequenceNumber("1").build();
    }

    /** All message ids sent by SendMessageBatch, in request order (retries included). */
    List<List<String>> sentIds() {
        List<List<String>> out = new ArrayList<>();
        for (SendMessageBatchRequest r : sendBatches) {
            List<String> ids = new ArrayList<>();
            r.entries().forEach(e -> ids.add(idOf(e)));
            out.add(ids);
        }
        return out;
    }

    @Override
    public GetQueueAttributesResponse getQueueAttributes(GetQueueAttributesRequest request) {
        attributeReads++;
        if (attributesThrow != null) {
            throw attributesThrow;
        }
        Map<QueueAttributeName, String> all = queueAttributes.getOrDefault(request.queueUrl(), Map.of());
        Map<QueueAttributeName, String> asked = new HashMap<>();
        for (QueueAttributeName n : request.attributeNames()) {
            if (all.containsKey(n)) {
                asked.put(n, all.get(n));
            }
        }
        return GetQueueAttributesResponse.builder().attributes(asked).build();
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
    }
}
