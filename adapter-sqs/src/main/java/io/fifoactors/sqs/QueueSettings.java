package io.fifoactors.sqs;

import io.fifoactors.core.FifoActorsException;
import io.fifoactors.core.port.RedrivePolicy;
import io.fifoactors.sqswire.SqsWire;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a mailbox needs to know of its queues' attributes, read with GetQueueAttributes and kept for a while: the
 * mailbox queue's redrive policy (asked by the runtime for every batch) and the dead-letter queue's
 * MaximumMessageSize (how large a dead letter may be before its reason travels in a note). Re-read at most once per
 * {@code refresh}; if a re-read fails, the values read before stay in use until the next attempt.
 *
 * <p>Thread-safe: reads and refreshes are synchronized.
 */
final class QueueSettings {
    private static final Pattern MAX_RECEIVE_COUNT = Pattern.compile("\"maxReceiveCount\"\\s*:\\s*\"?(\\d+)\"?");

    /** One reading. */
    record Values(RedrivePolicy redrivePolicy, long deadLetterMaxBytes) {
    }

    private final SqsClient client;
    private final String queueUrl;
    private final String deadLetterQueueUrl;
    private final Clock clock;
    private final Duration refresh;
    private Values values;
    private long readAtMillis;

    QueueSettings(SqsClient client, String queueUrl, String deadLetterQueueUrl, Clock clock, Duration refresh) {
        this.client = client;
        this.queueUrl = queueUrl;
        this.deadLetterQueueUrl = deadLetterQueueUrl;
        this.clock = clock;
        this.refresh = refresh;
    }

    /**
     * The current values, re-read if older than the refresh interval.
     *
     * @throws FifoActorsException if they were never read and cannot be read now
     */
    synchronized Values get() {
        long now = clock.millis();
        if (values != null && now - readAtMillis < refresh.toMillis()) {
            return values;
        }
        try {
            values = new Values(parseRedrivePolicy(attribute(queueUrl, QueueAttributeName.REDRIVE_POLICY)),
                    parseMaxBytes(attribute(deadLetterQueueUrl, QueueAttributeName.MAXIMUM_MESSAGE_SIZE)));
            readAtMillis = now;
        } catch (FifoActorsException e) {
            if (values == null) {
                throw e;
            }
            readAtMillis = now; // keep what was read; try again after the next interval
        }
        return values;
    }

    private String attribute(String url, QueueAttributeName name) {
        try {
            Map<QueueAttributeName, String> a = client.getQueueAttributes(b -> b.queueUrl(url).attributeNames(name))
                    .attributes();
            return a.get(name);
        } catch (SdkException e) {
            throw SqsErrors.map("GetQueueAttributes", url, e);
        }
    }

    /**
     * The redrive policy in a RedrivePolicy attribute's JSON ({@code {"deadLetterTargetArn":"...",
     * "maxReceiveCount":5}}, the count sometimes quoted); none for an absent or empty attribute.
     */
    static RedrivePolicy parseRedrivePolicy(String json) {
        if (json == null || json.isBlank()) {
            return RedrivePolicy.none();
        }
        Matcher m = MAX_RECEIVE_COUNT.matcher(json);
        if (!m.find()) {
            return RedrivePolicy.none();
        }
        int n = (int) Math.max(1, Math.min(1000, Long.parseLong(m.group(1).length() > 6 ? "1000" : m.group(1))));
        return RedrivePolicy.afterReceives(n);
    }

    /** A MaximumMessageSize attribute; SQS's default when the server does not report one. */
    static long parseMaxBytes(String value) {
        if (value == null || value.isBlank()) {
            return SqsWire.DEFAULT_MAX_MESSAGE_BYTES;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return SqsWire.DEFAULT_MAX_MESSAGE_BYTES;
        }
    }
}
