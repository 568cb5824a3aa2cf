package io.fifoactors.examples.demo.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.runtime.Envelope;
import io.fifoactors.sqs.SqsDeadLetters;
import io.fifoactors.sqswire.StoredLetter;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Looks at queues from outside, with an admin client (not one whose requests are being counted): how many messages
 * are left, waiting until queues are drained, and taking what is dead-lettered (through {@link SqsDeadLetters}, which
 * reassembles a letter and its reason however the mailbox wrote them: never read a dead-letter queue raw).
 *
 * <pre>{@code
 * QueueProbe probe = new QueueProbe(adminSqs);
 * probe.awaitDrained(List.of(queues.queueUrl(), timerQueueUrl), Duration.ofSeconds(90));
 * List<QueueProbe.Dead> dead = probe.takeDeadLetters(queues.deadLetterQueueUrl(), 3, Duration.ofSeconds(10));
 * }</pre>
 *
 * <p>Waits poll every 20 ms. Thread-safe if the client is (SDK clients are).
 */
public final class QueueProbe {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** The reason a letter the queue moved by its redrive policy is given (SQS adds none). */
    public static final String REDRIVE_REASON = "moved by the queue's redrive policy (no reason)";

    /**
     * A letter read from a dead-letter queue.
     *
     * @param groupId        its message group (the actor's group id, or whatever a malformed message carried)
     * @param messageId      its id as sent
     * @param deadLetterId   its deduplication id on the dead-letter queue
     * @param attributes     its attributes as sent (the runtime's envelope; the SQS adapter's own left out)
     * @param reason         why it was given up, or empty if the queue's redrive moved it
     * @param body           its body as text
     */
    public record Dead(String groupId, String messageId, String deadLetterId, Map<String, String> attributes,
                       String reason, String body) {
        public Dead {
            attributes = Map.copyOf(attributes);
        }

        static Dead of(StoredLetter l) {
            return new Dead(l.groupId(), l.messageId(), l.deadLetterId(), l.attributes(), l.reason(),
                    new String(l.body(), StandardCharsets.UTF_8));
        }

        /** Its {@link Envelope#TYPE} attribute, or null. */
        public String type() {
            return attributes.get(Envelope.TYPE);
        }

        /** The group id of the actor that sent it ({@link Envelope#FROM}), or null for a producer's message. */
        public String sender() {
            String from = attributes.get(Envelope.FROM);
            return from == null ? null : from.split(" ", 2)[0];
        }

        /** Whether the queue moved it by its redrive policy (it then has no reason). */
        public boolean movedByRedrive() {
            return reason.isEmpty();
        }

        /** The {@code amount} field of a JSON body, or 0 if there is none. */
        public long amount() {
            try {
                JsonNode n = JSON.readTree(body).get("amount");
                return n == null ? 0 : n.asLong();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The same as a port {@link DeadLetter}; a letter the queue moved gets {@link #REDRIVE_REASON}. */
        public DeadLetter toDeadLetter() {
            return new DeadLetter(groupId, messageId, deadLetterId, attributes, body.getBytes(StandardCharsets.UTF_8),
                    reason.isEmpty() ? REDRIVE_REASON : reason);
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

    /** {@link #remaining(String)} of every queue, summed. */
    public long remaining(List<String> queueUrls) {
        long sum = 0;
        for (String url : queueUrls) {
            sum += remaining(url);
        }
        return sum;
    }

    /**
     * Waits until the queue is empty on two checks in a row; false if {@code timeout} passes first. Outgoing
     * messages are sent before their cause is deleted, so an empty queue means all work, including actor-to-actor
     * messages, is done (timers aside: they wait in the timer queue, see {@link #drainedWithin(List, Duration)}).
     */
    public boolean drainedWithin(String queueUrl, Duration timeout) {
        return drainedWithin(List.of(queueUrl), timeout);
    }

    /**
     * Waits until every queue is empty, all at once, on two checks in a row; false if {@code timeout} passes first.
     * With the mailbox queue and its timer queue: every message handled and every timer fired (a timer is scheduled
     * before the message that set it is deleted, and forwarded before its carrier is deleted).
     */
    public boolean drainedWithin(List<String> queueUrls, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int zeros = 0;
        while (true) {
            zeros = remaining(queueUrls) == 0 ? zeros + 1 : 0;
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
     * Like {@link #drainedWithin(String, Duration)} but throws if the queue is not drained in time.
     *
     * @throws IllegalStateException on timeout, with the number of messages left
     */
    public void awaitDrained(String queueUrl, Duration timeout) {
        awaitDrained(List.of(queueUrl), timeout);
    }

    /**
     * Like {@link #drainedWithin(List, Duration)} but throws if the queues are not drained in time.
     *
     * @throws IllegalStateException on timeout, with the number of messages left
     */
    public void awaitDrained(List<String> queueUrls, Duration timeout) {
        if (!drainedWithin(queueUrls, timeout)) {
            throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting until " + queueUrls
                    + " are drained (" + remaining(queueUrls) + " messages left)");
        }
    }

    /**
     * Takes (receives and deletes) dead letters until at least {@code atLeast} were taken and the queue then looks
     * empty, or until {@code timeout} passes; returns what it took (fewer than {@code atLeast} only on timeout).
     * Letters are read with {@link SqsDeadLetters}: a letter whose reason did not fit its copy comes with it.
     */
    public List<Dead> takeDeadLetters(String dlqUrl, int atLeast, Duration timeout) {
        // the reader needs the mailbox queue only to move letters back, which a probe never does
        SqsDeadLetters dlq = SqsDeadLetters.builder().client(sqs).queueUrl(dlqUrl).deadLetterQueueUrl(dlqUrl).build();
        List<Dead> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<StoredLetter> got = dlq.receive(10, Duration.ofSeconds(60),
                    Duration.ofSeconds(out.size() >= atLeast ? 0 : 1));
            for (StoredLetter l : got) {
                out.add(Dead.of(l));
            }
            if (!got.isEmpty()) {
                dlq.delete(got);
            }
            // an empty receive may have held back a note whose copy was not in it: empty means nothing left
            if ((got.isEmpty() && out.size() >= atLeast && remaining(dlqUrl) == 0) || System.nanoTime() > deadline) {
                return out;
            }
        }
    }
}
