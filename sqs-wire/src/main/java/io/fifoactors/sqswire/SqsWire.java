package io.fifoactors.sqswire;

import io.fifoactors.core.MessageTooLargeException;
import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.MailboxLimits;
import io.fifoactors.core.port.OutgoingMessage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How fifo-actors messages look on SQS: the one definition of the wire format, used by the SQS adapter for what it
 * sends and receives and by the Lambda handler for the records of an SQS event. Pure rules, no I/O, no SDK.
 *
 * <ul>
 *   <li><b>Body</b>: SQS carries text only (the XML character set). A body that is well-formed UTF-8 of characters
 *       SQS accepts is sent as that text; any other body as Base64 text with the attribute {@value #ENCODING} =
 *       {@value #BASE64}; an empty body (SQS refuses one) as {@value #EMPTY_PLACEHOLDER} with {@value #ENCODING} =
 *       {@value #EMPTY}. A body with an unknown or broken encoding comes back as its text's UTF-8 bytes.</li>
 *   <li><b>Attribute values</b>: String attributes; a value SQS cannot carry as a String (empty, or with a character
 *       outside its set) travels as a Binary attribute holding a zero byte and the value's UTF-8 bytes. Any other
 *       Binary value (from another producer) comes back as its Base64 text; Number values as their text.</li>
 *   <li><b>Internal attributes</b>, all named {@value #INTERNAL_PREFIX}... (kept out of what callers may use, and
 *       stripped on receive): {@value #ID} (the message id: it survives a queue's redrive, where a server may give
 *       the message a new deduplication id), {@value #ENCODING}, and on dead-letter and timer carriers
 *       {@value #REASON}, {@value #NOTE}, {@value #TIMER}.</li>
 *   <li><b>Message id on receive</b>: {@value #ID} if it is a valid id (1 to 128 printable ASCII characters other
 *       than space; another producer may set anything there), else the MessageDeduplicationId if valid, else SQS's
 *       own message id. Nothing else trusts {@value #ID}.</li>
 *   <li><b>Deduplication id</b>: {@link #deduplicationId} of the group and the message id, so that deduplication is
 *       per message group on every FIFO queue, whatever its DeduplicationScope (and on servers that ignore it).</li>
 *   <li><b>Size</b>: what {@link io.fifoactors.core.port.Mailbox#sizeOf} counts must fit
 *       {@link io.fifoactors.core.port.Mailbox#MAX_MESSAGE_BYTES}; as sent (with the internal attributes) it is
 *       then within SQS's default 262,144 bytes.</li>
 * </ul>
 *
 * <pre>{@code
 * EncodedMessage e = SqsWire.encode(new OutgoingMessage("account/a1", "m-1", Map.of("fa-type", "Deposit"), body));
 * Delivery d = SqsWire.toDelivery(received);
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class SqsWire {
    /** Attribute names the wire format keeps for itself. */
    public static final String INTERNAL_PREFIX = MailboxLimits.ADAPTER_PREFIX;
    /** Internal attribute: the message id. */
    public static final String ID = INTERNAL_PREFIX + "id";
    /** Internal attribute: how the body is encoded ({@value #BASE64} or {@value #EMPTY}; absent for text). */
    public static final String ENCODING = INTERNAL_PREFIX + "encoding";
    /** Internal attribute of a dead-letter copy: the reason. */
    public static final String REASON = INTERNAL_PREFIX + "reason";
    /** Internal attribute of a dead-letter note: the dead-letter id of the copy that follows it. */
    public static final String NOTE = INTERNAL_PREFIX + "note";
    /** Internal attribute of a timer carrier: {@code "1 <due epoch ms> <group id> <message id>"}. */
    public static final String TIMER = INTERNAL_PREFIX + "timer";
    /** {@value #ENCODING} value of a Base64 body. */
    public static final String BASE64 = "base64";
    /** {@value #ENCODING} value of an empty body. */
    public static final String EMPTY = "empty";
    /** The body sent for an empty message body. */
    public static final String EMPTY_PLACEHOLDER = "-";
    /** SQS's limit on message attributes. */
    public static final int MAX_SQS_ATTRIBUTES = 10;
    /** SQS's default MaximumMessageSize (also the portable mailbox limit plus the adapter's reserve). */
    public static final long DEFAULT_MAX_MESSAGE_BYTES = 262_144;
    /** The largest MaximumMessageSize SQS allows (since 2025); what dead-letter queues are given. */
    public static final long LARGEST_MAX_MESSAGE_BYTES = 1_048_576;
    /**
     * The total payload one SendMessageBatch request may carry as requests are split: 256 KiB, what AWS documented
     * before raising the limit to 1 MiB together with the message size; the smaller figure holds on every queue.
     */
    public static final long MAX_BATCH_PAYLOAD_BYTES = 262_144;
    /** Entries per batch request and messages per receive. */
    public static final int MAX_BATCH_ENTRIES = 10;

    private static final byte STRING_IN_BINARY = 0;
    private static final String STRING = WireAttribute.STRING;

    private SqsWire() {
    }

    /**
     * A body as SQS text and the value of {@value #ENCODING} ({@code null} for plain text).
     *
     * <pre>{@code
     * SqsWire.Body b = SqsWire.encodeBody(new byte[] {(byte) 0xFF});   // Body["/w==", "base64"]
     * }</pre>
     *
     * <p>Immutable and thread-safe.
     */
    public record Body(String text, String encoding) {
    }

    // ------------------------------------------------------------------------------------------------- outgoing

    /**
     * Checks ({@link MailboxLimits#check}) and encodes one message for a FIFO queue.
     *
     * @throws MessageTooLargeException if it is too large
     * @throws PermanentFailureException if an id, an attribute name or value, or the number of attributes is refused
     */
    public static EncodedMessage encode(OutgoingMessage m) {
        MailboxLimits.check(m);
        Map<String, WireAttribute> attributes = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : m.attributes().entrySet()) {
            attributes.put(e.getKey(), encodeValue(e.getValue()));
        }
        Body body = encodeBody(m.body());
        attributes.put(ID, WireAttribute.string(m.messageId()));
        if (body.encoding() != null) {
            attributes.put(ENCODING, WireAttribute.string(body.encoding()));
        }
        long size = size(body.text(), attributes);
        if (size > DEFAULT_MAX_MESSAGE_BYTES) {
            throw new MessageTooLargeException(m.messageId(), size, DEFAULT_MAX_MESSAGE_BYTES);
        }
        return new EncodedMessage(m.groupId(), deduplicationId(m.groupId(), m.messageId()), body.text(),
                Collections.unmodifiableMap(attributes), size);
    }

    /**
     * The MessageDeduplicationId of message {@code messageId} in group {@code groupId}: {@code "<length of the
     * group id>:<group id><message id>"} when that fits SQS's 128 characters, else {@code "h:"} and the SHA-256 of
     * that text in hex. Distinct for distinct (group, id) pairs, so the same id in two groups is two messages on
     * every queue.
     */
    public static String deduplicationId(String groupId, String messageId) {
        String plain = groupId.length() + ":" + groupId + messageId;
        return plain.length() <= MailboxLimits.MAX_ID_LENGTH ? plain : "h:" + sha256Hex(plain, 32);
    }

    /** The SQS text of a body (see the class comment). */
    public static Body encodeBody(byte[] body) {
        if (body.length == 0) {
            return new Body(EMPTY_PLACEHOLDER, EMPTY);
        }
        String text = MailboxLimits.sqsTextOrNull(body);
        if (text != null) {
            return new Body(text, null);
        }
        return new Body(Base64.getEncoder().encodeToString(body), BASE64);
    }

    /** The body bytes; a body whose encoding is unknown or broken comes back as its text's UTF-8 bytes. */
    public static byte[] decodeBody(String text, String encoding) {
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

    /**
     * An attribute value as SQS can carry it: a String attribute, or a Binary one with a zero byte and the UTF-8
     * bytes for an empty value or one with characters SQS refuses.
     *
     * @throws PermanentFailureException if the value has an unpaired surrogate (no UTF-8 form)
     */
    public static WireAttribute encodeValue(String value) {
        if (!value.isEmpty() && MailboxLimits.isSqsText(value)) {
            return WireAttribute.string(value);
        }
        if (MailboxLimits.hasUnpairedSurrogate(value)) {
            throw new PermanentFailureException("an attribute value has an unpaired surrogate character and cannot"
                    + " be sent as UTF-8");
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[utf8.length + 1];
        payload[0] = STRING_IN_BINARY;
        System.arraycopy(utf8, 0, payload, 1, utf8.length);
        return WireAttribute.binary(payload);
    }

    /** As {@link #encodeValue}, but an unpaired surrogate becomes U+FFFD instead of failing (for dead letters). */
    static WireAttribute encodeValueLenient(String value) {
        return encodeValue(MailboxLimits.hasUnpairedSurrogate(value) ? replaceUnpaired(value) : value);
    }

    /** An attribute value as a string (see the class comment for Binary values). */
    public static String decodeValue(WireAttribute value) {
        if (value.isBinary()) {
            byte[] bytes = value.binaryValue() == null ? new byte[0] : value.binaryValue();
            if (bytes.length > 0 && bytes[0] == STRING_IN_BINARY) {
                return new String(bytes, 1, bytes.length - 1, StandardCharsets.UTF_8);
            }
            return Base64.getEncoder().encodeToString(bytes);
        }
        return value.stringValue() == null ? "" : value.stringValue();
    }

    /** The size SQS counts: body bytes, and name + data type + value bytes of every attribute. */
    public static long size(String body, Map<String, WireAttribute> attributes) {
        long size = utf8Length(body);
        for (Map.Entry<String, WireAttribute> e : attributes.entrySet()) {
            size += utf8Length(e.getKey()) + utf8Length(e.getValue().dataType()) + e.getValue().valueBytes();
        }
        return size;
    }

    // ------------------------------------------------------------------------------------------------- incoming

    /**
     * A received message as a delivery: internal attributes stripped, body decoded, message id as the class comment
     * says.
     *
     * @throws PermanentFailureException if the message lacks the FIFO system attributes (MessageGroupId,
     *         SequenceNumber): the queue is not a FIFO queue, or the record is not from SQS
     */
    public static Delivery toDelivery(WireMessage m) {
        String groupId = requireSystem(m, WireMessage.GROUP_ID);
        String sequence = requireSystem(m, WireMessage.SEQUENCE_NUMBER);
        int receiveCount = Math.max(1, parseInt(m.system(WireMessage.RECEIVE_COUNT), 1));
        Instant sentAt = Instant.ofEpochMilli(parseLong(m.system(WireMessage.SENT_TIMESTAMP), 0L));
        return new Delivery(messageId(m), groupId, sequence, receiveCount, sentAt, callerAttributes(m), body(m),
                m.receiptHandle() == null ? "" : m.receiptHandle());
    }

    /**
     * The message id of a received message: {@value #ID} if it holds a valid id, else the deduplication id if valid,
     * else SQS's message id.
     *
     * @throws PermanentFailureException if there is none of them
     */
    public static String messageId(WireMessage m) {
        WireAttribute id = m.attributes().get(ID);
        if (id != null) {
            String value = decodeValue(id);
            if (MailboxLimits.isValidId(value)) {
                return value;
            }
        }
        String dedup = m.system(WireMessage.DEDUPLICATION_ID);
        if (MailboxLimits.isValidId(dedup)) {
            return dedup;
        }
        if (m.sqsMessageId() == null || m.sqsMessageId().isEmpty()) {
            throw new PermanentFailureException("an SQS message has no message id: it is not from SQS");
        }
        return m.sqsMessageId();
    }

    /** The decoded body. */
    public static byte[] body(WireMessage m) {
        WireAttribute encoding = m.attributes().get(ENCODING);
        return decodeBody(m.body(), encoding == null ? null : decodeValue(encoding));
    }

    /** The attributes that are not the wire format's own, decoded. */
    public static Map<String, String> callerAttributes(WireMessage m) {
        if (m.attributes().isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        m.attributes().forEach((name, value) -> {
            if (name != null && !name.startsWith(INTERNAL_PREFIX) && value != null) {
                out.put(name, decodeValue(value));
            }
        });
        return Collections.unmodifiableMap(out);
    }

    /** The attributes that are not the wire format's own, as they travel (for forwarding them unchanged). */
    static Map<String, WireAttribute> callerWireAttributes(Map<String, WireAttribute> attributes) {
        Map<String, WireAttribute> out = new LinkedHashMap<>();
        attributes.forEach((name, value) -> {
            if (name != null && !name.startsWith(INTERNAL_PREFIX) && value != null) {
                out.put(name, value);
            }
        });
        return out;
    }

    /** True for a dead-letter note (see {@link DeadLetterEnvelope}); a mailbox never hands one to the runtime. */
    public static boolean isNote(WireMessage m) {
        return m.attributes().containsKey(NOTE);
    }

    private static String requireSystem(WireMessage m, String name) {
        String value = m.system(name);
        if (value == null) {
            throw new PermanentFailureException("SQS message " + m.sqsMessageId() + " has no " + name
                    + " attribute: is the queue a FIFO queue?");
        }
        return value;
    }

    static int parseInt(String s, int fallback) {
        try {
            return s == null ? fallback : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    static long parseLong(String s, long fallback) {
        try {
            return s == null ? fallback : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    // ------------------------------------------------------------------------------------------------- text

    /** The text with every code point SQS refuses (and every unpaired surrogate) replaced by U+FFFD. */
    public static String sqsSafe(String s) {
        if (MailboxLimits.isSqsText(s)) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = Character.codePointAt(s, i);
            b.appendCodePoint(MailboxLimits.isSqsCodePoint(cp) ? cp : 0xFFFD);
            i += Character.charCount(cp);
        }
        return b.toString();
    }

    private static String replaceUnpaired(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = Character.codePointAt(s, i);
            b.appendCodePoint(cp >= 0xD800 && cp <= 0xDFFF ? 0xFFFD : cp);
            i += Character.charCount(cp);
        }
        return b.toString();
    }

    /** The longest prefix of {@code s}, at a code point boundary, of at most {@code maxBytes} UTF-8 bytes. */
    public static String cutToBytes(String s, long maxBytes) {
        if (maxBytes <= 0) {
            return "";
        }
        long used = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = Character.codePointAt(s, i);
            int bytes = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (used + bytes > maxBytes) {
                break;
            }
            used += bytes;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }

    /** UTF-8 length; an unpaired surrogate counts 3 bytes (it never reaches SQS). */
    public static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** The first {@code bytes} bytes of SHA-256 of the UTF-8 text, in hex. */
    static String sha256Hex(String text, int bytes) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
