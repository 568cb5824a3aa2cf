package io.fifoactors.examples.demo.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.runtime.Envelope;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Looks at queues from outside, with an admin client (not one whose requests are being counted): how many messages
 * are left, waiting until a queue is drained, and taking what is dead-lettered.
 *
 * <pre>{@code
 * QueueProbe probe = new QueueProbe(adminSqs);
 * probe.awaitDrained(queues.queueUrl(), Duration.ofSeconds(90));
 * List<QueueProbe.Dead> dead = probe.takeDeadLetters(queues.deadLetterQueueUrl(), 3, Duration.ofSeconds(10));
 * }</pre>
 *
 * <p>Waits poll every 20 ms. Thread-safe if the client is (SDK clients are).
 */
public final class QueueProbe {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** The SQS adapter's attribute carrying the message id (a redrive may replace the deduplication id). */
    private static final String ID_ATTRIBUTE = "fa-sqs-id";
    /** The SQS adapter's attribute carrying a dead letter's reason. */
    private static final String REASON_ATTRIBUTE = "fa-sqs-reason";

    /**
     * A message read from a dead-letter queue.
     *
     * @param groupId   its message group (the actor's group id, or whatever a malformed message carried)
     * @param messageId its id as sent
     * @param type      its {@link Envelope#TYPE} attribute, or null
     * @param sender    its {@link Envelope#SENDER} attribute (set on actor-to-actor messages), or null
     * @param reason    why it was given up, or empty if the queue's redrive moved it
     * @param body      its body as SQS holds it
     */
    public record Dead(String groupId, String messageId, String type, String sender, String reason, String body) {
        /** The {@code amount} field of a JSON body, or 0 if there is none. */
        public long amount() {
            try {
                JsonNode n = JSON.readTree(body).get("amount");
                return n == null ? 0 : n.asLong();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The same as a port {@link DeadLetter} (attributes: the type and sender, where present). */
        public DeadLetter toDeadLetter() {
            Map<String, String> attributes = new LinkedHashMap<>();
            if (type != null) {
                attributes.put(Envelope.TYPE, type);
            }
            if (sender != null) {
                attributes.put(Envelope.SENDER, sender);
            }
            return new DeadLetter(groupId == null ? "" : groupId, messageId == null ? "" : messageId, attributes,
                    body.getBytes(StandardCharsets.UTF_8), reason);
        }
    }

    private final SqsClient sqs;

    /** A probe using this client (the caller's; never closed here). */
    public QueueProbe(SqsClient sqs) {
        this.sqs = sqs;
    }

    /** Visible + in flight + delayed messages; 0 only when nothing is left or being processed. */
    public long remaining(String queueUrl) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return a.values().stream().mapToLong(Long::parseLong).sum();
    }

    /**
     * Waits until the queue is empty on two checks in a row; false if {@code timeout} passes first. Outgoing
     * messages are sent before their cause is deleted, so an empty queue means all work, including actor-to-actor
     * messages, is done.
     */
    public boolean drainedWithin(String queueUrl, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int zeros = 0;
        while (true) {
            zeros = remaining(queueUrl) == 0 ? zeros + 1 : 0;
            if (zeros >= 2) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /**
     * Like {@link #drainedWithin} but throws if the queue is not drained in time.
     *
     * @throws IllegalStateException on timeout, with the number of messages left
     */
    public void awaitDrained(String queueUrl, Duration timeout) {
        if (!drainedWithin(queueUrl, timeout)) {
            throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting until queue "
                    + queueUrl + " is drained (" + remaining(queueUrl) + " messages left)");
        }
    }

    /**
     * Takes (receives and deletes) dead letters until at least {@code atLeast} were taken and the queue then looks
     * empty, or until {@code timeout} passes; returns what it took (fewer than {@code atLeast} only on timeout).
     */
    public List<Dead> takeDeadLetters(String dlqUrl, int atLeast, Duration timeout) {
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
                String id = attr(m, ID_ATTRIBUTE);
                String reason = attr(m, REASON_ATTRIBUTE);
                out.add(new Dead(sys.get(MessageSystemAttributeName.MESSAGE_GROUP_ID.toString()),
                        id != null ? id : sys.get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID.toString()),
                        attr(m, Envelope.TYPE), attr(m, Envelope.SENDER), reason == null ? "" : reason, m.body()));
                sqs.deleteMessage(b -> b.queueUrl(dlqUrl).receiptHandle(m.receiptHandle()));
            }
            if ((got.isEmpty() && out.size() >= atLeast) || System.nanoTime() > deadline) {
                return out;
            }
        }
    }

    private static String attr(Message m, String name) {
        MessageAttributeValue v = m.messageAttributes().get(name);
        return v == null ? null : v.stringValue();
    }
}
