package io.fifoactors.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.port.Delivery;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Turns the records of an SQS event, as Lambda's event source mapping delivers them, into the core's
 * {@link Delivery} objects, decoding them exactly as the SQS mailbox adapter decodes what it receives itself:
 *
 * <ul>
 *   <li>message id: the internal attribute {@value #ID} (the producer's id, kept across a redrive), else the
 *       MessageDeduplicationId, else SQS's own message id;</li>
 *   <li>body: as text (UTF-8), unless the internal attribute {@value #ENCODING} says {@code base64} (decoded; a body
 *       that is not valid Base64 is kept as text) or {@code empty} (no bytes);</li>
 *   <li>attributes: String values as they are; a Binary value whose first byte is zero carries a string in the
 *       remaining UTF-8 bytes (values SQS cannot carry as a String); any other Binary value becomes its Base64 text;
 *       internal attributes ({@value #INTERNAL_PREFIX}...) are removed;</li>
 *   <li>group id, sequence number, receive count (at least 1) and sent time from the record's system attributes.</li>
 * </ul>
 *
 * <p>The rules are duplicated from the SQS adapter on purpose (adapters do not depend on each other); a test of the
 * packaged example function proves, against a live queue, that both decode the same messages identically.
 *
 * <pre>{@code
 * for (SQSEvent.SQSMessage record : event.getRecords()) {
 *     Delivery d = SqsEventDecoder.decode(record);
 * }
 * }</pre>
 *
 * <p>Stateless and thread-safe. Never reads a record's attribute buffers destructively.
 */
public final class SqsEventDecoder {
    /** Prefix of the attributes the SQS mailbox keeps for itself; they never reach the runtime. */
    public static final String INTERNAL_PREFIX = "fa-sqs-";
    /** Internal attribute: the message's id. */
    public static final String ID = INTERNAL_PREFIX + "id";
    /** Internal attribute: how the body is encoded ({@code base64} or {@code empty}; absent for text). */
    public static final String ENCODING = INTERNAL_PREFIX + "encoding";
    static final String BASE64 = "base64";
    static final String EMPTY = "empty";
    static final String BINARY = "Binary";
    private static final byte STRING_IN_BINARY = 0;

    static final String GROUP_ID = "MessageGroupId";
    static final String SEQUENCE_NUMBER = "SequenceNumber";
    static final String RECEIVE_COUNT = "ApproximateReceiveCount";
    static final String SENT_TIMESTAMP = "SentTimestamp";
    static final String DEDUPLICATION_ID = "MessageDeduplicationId";

    private SqsEventDecoder() {
    }

    /**
     * The record as a delivery. The receipt handle is the record's (empty if the event has none).
     *
     * @throws PermanentFailureException if the record lacks the FIFO system attributes (MessageGroupId,
     *         SequenceNumber): the queue is not a FIFO queue, or the event is not from SQS
     */
    public static Delivery decode(SQSEvent.SQSMessage record) {
        Objects.requireNonNull(record, "record");
        Map<String, String> system = record.getAttributes() == null ? Map.of() : record.getAttributes();
        String groupId = requireSystem(record, system, GROUP_ID);
        String sequence = requireSystem(record, system, SEQUENCE_NUMBER);
        int receiveCount = Math.max(1, parseInt(system.get(RECEIVE_COUNT), 1));
        Instant sentAt = Instant.ofEpochMilli(parseLong(system.get(SENT_TIMESTAMP), 0L));
        Map<String, SQSEvent.MessageAttribute> attributes = record.getMessageAttributes() == null
                ? Map.of() : record.getMessageAttributes();
        return new Delivery(messageId(record, system, attributes), groupId, sequence, receiveCount, sentAt,
                callerAttributes(attributes), body(record, attributes),
                record.getReceiptHandle() == null ? "" : record.getReceiptHandle());
    }

    /** The group id of a record, or null if it has none (used to keep FIFO order among undecodable records). */
    static String groupIdOrNull(SQSEvent.SQSMessage record) {
        return record.getAttributes() == null ? null : record.getAttributes().get(GROUP_ID);
    }

    private static String messageId(SQSEvent.SQSMessage record, Map<String, String> system,
                                    Map<String, SQSEvent.MessageAttribute> attributes) {
        SQSEvent.MessageAttribute id = attributes.get(ID);
        if (id != null) {
            return decodeValue(id);
        }
        String dedup = system.get(DEDUPLICATION_ID);
        if (dedup != null) {
            return dedup;
        }
        if (record.getMessageId() == null) {
            throw new PermanentFailureException("an SQS record has no messageId: the event is not from SQS");
        }
        return record.getMessageId();
    }

    private static byte[] body(SQSEvent.SQSMessage record, Map<String, SQSEvent.MessageAttribute> attributes) {
        SQSEvent.MessageAttribute encoding = attributes.get(ENCODING);
        String text = record.getBody() == null ? "" : record.getBody();
        return decodeBody(text, encoding == null ? null : decodeValue(encoding));
    }

    /** The body bytes; a body whose encoding is unknown or broken comes back as its UTF-8 text, unchanged. */
    static byte[] decodeBody(String text, String encoding) {
        if (encoding == null) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        switch (encoding) {
            case EMPTY:
                return new byte[0];
            case BASE64:
                try {
                    return Base64.getDecoder().decode(text);
                } catch (IllegalArgumentException e) {
                    return text.getBytes(StandardCharsets.UTF_8);
                }
            default:
                return text.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** An attribute value as a string (see the class comment for Binary values). */
    static String decodeValue(SQSEvent.MessageAttribute value) {
        String type = value.getDataType() == null ? "String" : value.getDataType();
        if (type.startsWith(BINARY)) {
            byte[] bytes = bytes(value.getBinaryValue());
            if (bytes.length > 0 && bytes[0] == STRING_IN_BINARY) {
                return new String(bytes, 1, bytes.length - 1, StandardCharsets.UTF_8);
            }
            return Base64.getEncoder().encodeToString(bytes);
        }
        return value.getStringValue() == null ? "" : value.getStringValue();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return new byte[0];
        }
        ByteBuffer view = buffer.duplicate(); // never move the caller's position
        byte[] out = new byte[view.remaining()];
        view.get(out);
        return out;
    }

    private static Map<String, String> callerAttributes(Map<String, SQSEvent.MessageAttribute> attributes) {
        if (attributes.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        attributes.forEach((name, value) -> {
            if (name != null && !name.startsWith(INTERNAL_PREFIX) && value != null) {
                out.put(name, decodeValue(value));
            }
        });
        return Collections.unmodifiableMap(out);
    }

    private static String requireSystem(SQSEvent.SQSMessage record, Map<String, String> system, String name) {
        String value = system.get(name);
        if (value == null) {
            throw new PermanentFailureException("SQS record " + record.getMessageId() + " has no " + name
                    + " attribute: is the queue a FIFO queue?");
        }
        return value;
    }

    private static int parseInt(String s, int fallback) {
        try {
            return s == null ? fallback : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static long parseLong(String s, long fallback) {
        try {
            return s == null ? fallback : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
