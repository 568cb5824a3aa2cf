package io.fifoactors.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.sqswire.SqsWire;
import io.fifoactors.sqswire.WireAttribute;
import io.fifoactors.sqswire.WireMessage;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Turns the records of an SQS event, as Lambda's event source mapping delivers them, into the core's
 * {@link Delivery} objects. The rules are the SQS wire format's, shared with the SQS mailbox adapter
 * ({@code io.fifoactors.sqswire.SqsWire}); this class only maps a record to the neutral {@code WireMessage}:
 *
 * <ul>
 *   <li>message id: the internal attribute {@value #ID} if it holds a valid id (another producer may put anything
 *       there), else the MessageDeduplicationId, else SQS's own message id;</li>
 *   <li>body: as text (UTF-8), unless the internal attribute {@value #ENCODING} says {@code base64} (decoded; a body
 *       that is not valid Base64 is kept as text) or {@code empty} (no bytes);</li>
 *   <li>attributes: String values as they are; a Binary value whose first byte is zero carries a string in the
 *       remaining UTF-8 bytes; any other Binary value becomes its Base64 text; internal attributes
 *       ({@value #INTERNAL_PREFIX}...) are removed;</li>
 *   <li>group id, sequence number, receive count (at least 1) and sent time from the record's system attributes.</li>
 * </ul>
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
    /** Prefix of the attributes the SQS wire format keeps for itself; they never reach the runtime. */
    public static final String INTERNAL_PREFIX = SqsWire.INTERNAL_PREFIX;
    /** Internal attribute: the message's id. */
    public static final String ID = SqsWire.ID;
    /** Internal attribute: how the body is encoded ({@code base64} or {@code empty}; absent for text). */
    public static final String ENCODING = SqsWire.ENCODING;
    static final String BASE64 = SqsWire.BASE64;
    static final String EMPTY = SqsWire.EMPTY;
    static final String BINARY = WireAttribute.BINARY;

    static final String GROUP_ID = WireMessage.GROUP_ID;
    static final String SEQUENCE_NUMBER = WireMessage.SEQUENCE_NUMBER;
    static final String RECEIVE_COUNT = WireMessage.RECEIVE_COUNT;
    static final String SENT_TIMESTAMP = WireMessage.SENT_TIMESTAMP;
    static final String DEDUPLICATION_ID = WireMessage.DEDUPLICATION_ID;

    private SqsEventDecoder() {
    }

    /**
     * The record as a delivery. The receipt handle is the record's (empty if the event has none).
     *
     * @throws PermanentFailureException if the record lacks the FIFO system attributes (MessageGroupId,
     *         SequenceNumber): the queue is not a FIFO queue, or the event is not from SQS
     */
    public static Delivery decode(SQSEvent.SQSMessage record) {
        return SqsWire.toDelivery(toWire(Objects.requireNonNull(record, "record")));
    }

    /** The record in the wire format's neutral form (for the wire rules, and for a timer forwarder's batch). */
    public static WireMessage toWire(SQSEvent.SQSMessage record) {
        Map<String, WireAttribute> attributes = new LinkedHashMap<>();
        if (record.getMessageAttributes() != null) {
            record.getMessageAttributes().forEach((name, a) -> {
                if (name != null && a != null) {
                    attributes.put(name, new WireAttribute(a.getDataType() == null ? WireAttribute.STRING
                            : a.getDataType(), a.getStringValue(), bytes(a.getBinaryValue())));
                }
            });
        }
        return new WireMessage(record.getMessageId(), record.getReceiptHandle(), record.getBody(),
                record.getAttributes(), attributes);
    }

    /** The group id of a record, or null if it has none (used to keep FIFO order among undecodable records). */
    static String groupIdOrNull(SQSEvent.SQSMessage record) {
        return record.getAttributes() == null ? null : record.getAttributes().get(GROUP_ID);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        ByteBuffer view = buffer.duplicate(); // never move the caller's position
        byte[] out = new byte[view.remaining()];
        view.get(out);
        return out;
    }
}
