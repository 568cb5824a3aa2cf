package io.fifoactors.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fifoactors.core.runtime.Envelope;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Looks at queues from outside, with an admin client: how many messages are left, and what is dead-lettered. */
final class QueueProbe {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A message read from the dead-letter queue. */
    record Dead(String groupId, String messageId, String type, String sender, String reason, String body) {
        long amount() {
            try {
                JsonNode n = JSON.readTree(body).get("amount");
                return n == null ? 0 : n.asLong();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final SqsClient sqs;

    QueueProbe(SqsClient sqs) {
        this.sqs = sqs;
    }

    /** Visible + in flight + delayed messages; 0 only when nothing is left or being processed. */
    long remaining(String queueUrl) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return a.values().stream().mapToLong(Long::parseLong).sum();
    }

    /**
     * Waits until the queue is empty on two checks in a row. Outgoing messages are sent before their cause is
     * deleted, so an empty queue means all work, including actor-to-actor messages, is done.
     */
    void awaitDrained(String queueUrl, Duration timeout) {
        long[] zeros = {0};
        Await.until("queue " + queueUrl + " is drained", timeout, () -> {
            zeros[0] = remaining(queueUrl) == 0 ? zeros[0] + 1 : 0;
            return zeros[0] >= 2;
        }, () -> "(" + remaining(queueUrl) + " messages left)");
    }

    /** Takes (receives and deletes) dead letters until at least {@code atLeast} and then the queue is empty. */
    List<Dead> takeDeadLetters(String dlqUrl, int atLeast, Duration timeout) {
        List<Dead> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(dlqUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(out.size() >= atLeast ? 0 : 1).visibilityTimeout(60)
                    .messageAttributeNames("All")
                    .messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_GROUP_ID,
                            MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID)).messages();
            for (Message m : got) {
                Map<String, String> sys = m.attributesAsStrings();
                String id = attr(m, "fa-sqs-id");
                out.add(new Dead(sys.get(MessageSystemAttributeName.MESSAGE_GROUP_ID.toString()),
                        id != null ? id : sys.get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID.toString()),
                        attr(m, Envelope.TYPE), attr(m, Envelope.SENDER), String.valueOf(attr(m, "fa-sqs-reason")),
                        m.body()));
                sqs.deleteMessage(b -> b.queueUrl(dlqUrl).receiptHandle(m.receiptHandle()));
            }
            if (got.isEmpty() && out.size() >= atLeast) {
                return out;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected at least " + atLeast + " dead letters, found " + out.size()
                        + ": " + out);
            }
        }
    }

    private static String attr(Message m, String name) {
        MessageAttributeValue v = m.messageAttributes().get(name);
        return v == null ? null : v.stringValue();
    }
}
