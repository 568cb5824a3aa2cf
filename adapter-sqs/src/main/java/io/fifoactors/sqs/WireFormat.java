package io.fifoactors.sqs;

import io.fifoactors.core.MessageTooLargeException;
import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.OutgoingMessage;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How messages look on an SQS FIFO queue: the pure encoding and decoding rules of {@link SqsMailbox}, with no I/O.
 *
 * <ul>
 *   <li>Body: sent as text when the bytes are valid UTF-8 and every code point is one SQS accepts; otherwise (and
 *       for an empty body, which SQS refuses) Base64 text with the internal attribute {@value #ENCODING}.</li>
 *   <li>Attributes: String attributes; a value SQS cannot carry as a String (empty, or with a forbidden character)
 *       travels as a Binary attribute holding a zero byte and then the value's UTF-8 bytes.</li>
 *   <li>Internal attributes, all named {@value #INTERNAL_PREFIX}...: the message id ({@value #ID}, because a redrive
 *       to the dead-letter queue may not keep the deduplication id), the body encoding and, on dead-letter copies,
 *       the reason. They are stripped on receive.</li>
 *   <li>Size: body plus, for every attribute, name + data type + value bytes, at most {@link #MAX_MESSAGE_BYTES}
 *       both before encoding ({@link Mailbox#sizeOf}, as every mailbox counts) and as sent.</li>
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
final class WireFormat {
    /** SQS's message size limit (body and attributes), the same for every mailbox. */
    static final long MAX_MESSAGE_BYTES = Mailbox.MAX_MESSAGE_BYTES;
    /** SQS's own limit on a message as sent (body plus attributes). */
    static final long SQS_MAX_MESSAGE_BYTES = 262_144;
    /** SQS accepts at most this many message attributes. */
    static final int MAX_SQS_ATTRIBUTES = 10;
    static final String INTERNAL_PREFIX = "fa-sqs-";
    static final String ID = INTERNAL_PREFIX + "id";
    static final String ENCODING = INTERNAL_PREFIX + "encoding";
    static final String REASON = INTERNAL_PREFIX + "reason";
    /** Room kept for {@link #ID}, {@link #ENCODING} and {@link #REASON}. */
    static final int INTERNAL_ATTRIBUTES = 3;
    /** The most attributes a caller may give one message. */
    static final int MAX_CALLER_ATTRIBUTES = MAX_SQS_ATTRIBUTES - INTERNAL_ATTRIBUTES;
    static final String BASE64 = "base64";
    static final String EMPTY = "empty";
    /** The body sent for an empty message body (SQS refuses an empty body); ignored on receive. */
    static final String EMPTY_PLACEHOLDER = "-";
    static final String STRING = "String";
    static final String BINARY = "Binary";
    /** The first byte of a Binary attribute that carries a string value. */
    private static final byte STRING_IN_BINARY = 0;
    /** SQS group and deduplication ids: 1 to 128 characters, alphanumeric or punctuation. */
    static final int MAX_ID_LENGTH = 128;
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,256}");

    private WireFormat() {
    }

    /** A message ready for SendMessage(Batch). */
    record Encoded(String groupId, String messageId, String body, Map<String, MessageAttributeValue> attributes,
                   long sizeBytes) {
    }

    /** A body as SQS text, and the value of the encoding attribute ({@code null} for plain text). */
    record Body(String text, String encoding) {
    }

    // ---------------------------------------------------------------------------------------------- outgoing

    /**
     * Checks and encodes one message.
     *
     * @throws MessageTooLargeException if it is over {@link #MAX_MESSAGE_BYTES}, either as every mailbox counts
     *         ({@link Mailbox#sizeOf}) or as sent to SQS (Base64 body, values carried as Binary, internal attributes)
     * @throws PermanentFailureException if SQS would refuse an id, an attribute name or value, or the count
     */
    static Encoded encode(OutgoingMessage m) {
        for (Map.Entry<String, String> e : m.attributes().entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new PermanentFailureException("message " + m.messageId() + " has a null attribute name or value");
            }
        }
        long portableSize = Mailbox.sizeOf(m);
        if (portableSize > MAX_MESSAGE_BYTES) {
            throw new MessageTooLargeException(m.messageId(), portableSize, MAX_MESSAGE_BYTES);
        }
        checkId("group id", m.groupId(), m.messageId());
        checkId("message id", m.messageId(), m.messageId());
        Map<String, MessageAttributeValue> attributes = callerAttributes(m.messageId(), m.attributes());
        Body body = encodeBody(m.body());
        attributes.put(ID, stringValue(m.messageId()));
        if (body.encoding() != null) {
            attributes.put(ENCODING, stringValue(body.encoding()));
        }
        long size = size(body.text(), attributes);
        if (size > SQS_MAX_MESSAGE_BYTES) {
            throw new MessageTooLargeException(m.messageId(), size, SQS_MAX_MESSAGE_BYTES);
        }
        return new Encoded(m.groupId(), m.messageId(), body.text(), attributes, size);
    }

    /**
     * Encodes a dead-letter copy: the message as {@link #encode} would, plus the reason, cleaned of characters SQS
     * refuses and cut (at a character boundary) so that the message fits. An empty reason is not sent.
     */
    static Encoded encodeDeadLetter(DeadLetter letter) {
        Encoded plain = encode(new OutgoingMessage(letter.groupId(), letter.messageId(), letter.attributes(),
                letter.body()));
        String reason = sqsSafe(letter.reason());
        long room = MAX_MESSAGE_BYTES - plain.sizeBytes() - utf8Length(REASON) - STRING.length();
        reason = cutToBytes(reason, room);
        if (reason.isEmpty()) {
            return plain;
        }
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>(plain.attributes());
        attributes.put(REASON, stringValue(reason));
        return new Encoded(plain.groupId(), plain.messageId(), plain.body(), attributes, size(plain.body(),
                attributes));
    }

    static Body encodeBody(byte[] body) {
        if (body.length == 0) {
            return new Body(EMPTY_PLACEHOLDER, EMPTY);
        }
        String text = strictUtf8(body);
        if (text != null && isSqsText(text)) {
            return new Body(text, null);
        }
        return new Body(Base64.getEncoder().encodeToString(body), BASE64);
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

    static MessageAttributeValue encodeValue(String messageId, String name, String value) {
        if (!value.isEmpty() && isSqsText(value)) {
            return stringValue(value);
        }
        if (hasUnpairedSurrogate(value)) {
            throw new PermanentFailureException("attribute '" + name + "' of message " + messageId
                    + " has an unpaired surrogate character and cannot be sent as UTF-8");
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[utf8.length + 1];
        payload[0] = STRING_IN_BINARY;
        System.arraycopy(utf8, 0, payload, 1, utf8.length);
        return MessageAttributeValue.builder().dataType(BINARY).binaryValue(SdkBytes.fromByteArrayUnsafe(payload))
                .build();
    }

    static String decodeValue(MessageAttributeValue value) {
        String type = value.dataType() == null ? STRING : value.dataType();
        if (type.startsWith(BINARY)) {
            byte[] bytes = value.binaryValue() == null ? new byte[0] : value.binaryValue().asByteArray();
            if (bytes.length > 0 && bytes[0] == STRING_IN_BINARY) {
                return new String(bytes, 1, bytes.length - 1, StandardCharsets.UTF_8);
            }
            return Base64.getEncoder().encodeToString(bytes);
        }
        return value.stringValue() == null ? "" : value.stringValue();
    }

    /** The size SQS counts: body bytes, and name + data type + value bytes of every attribute. */
    static long size(String body, Map<String, MessageAttributeValue> attributes) {
        long size = utf8Length(body);
        for (Map.Entry<String, MessageAttributeValue> e : attributes.entrySet()) {
            MessageAttributeValue v = e.getValue();
            size += utf8Length(e.getKey()) + utf8Length(v.dataType());
            if (v.binaryValue() != null) {
                size += v.binaryValue().asByteArrayUnsafe().length;
            } else if (v.stringValue() != null) {
                size += utf8Length(v.stringValue());
            }
        }
        return size;
    }

    private static Map<String, MessageAttributeValue> callerAttributes(String messageId, Map<String, String> given) {
        if (given.size() > MAX_CALLER_ATTRIBUTES) {
            throw new PermanentFailureException("message " + messageId + " has " + given.size()
                    + " attributes; SQS allows " + MAX_SQS_ATTRIBUTES + " and the mailbox keeps "
                    + INTERNAL_ATTRIBUTES + " for its own, so at most " + MAX_CALLER_ATTRIBUTES + " are allowed");
        }
        Map<String, MessageAttributeValue> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            String name = e.getKey();
            checkAttributeName(messageId, name);
            out.put(name, encodeValue(messageId, name, e.getValue()));
        }
        return out;
    }

    static void checkAttributeName(String messageId, String name) {
        if (name == null || !ATTRIBUTE_NAME.matcher(name).matches()) {
            throw new PermanentFailureException("attribute name '" + name + "' of message " + messageId
                    + " is not allowed by SQS: use 1 to 256 letters, digits, '_', '-' or '.'");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith("aws.") || lower.startsWith("amazon.") || name.startsWith(".") || name.endsWith(".")
                || name.contains("..")) {
            throw new PermanentFailureException("attribute name '" + name + "' of message " + messageId
                    + " is not allowed by SQS: no 'AWS.' or 'Amazon.' prefix, no leading, trailing or double '.'");
        }
        if (name.startsWith(INTERNAL_PREFIX)) {
            throw new PermanentFailureException("attribute name '" + name + "' of message " + messageId
                    + " uses the prefix '" + INTERNAL_PREFIX + "', which the SQS mailbox keeps for itself");
        }
    }

    /** Checks a group or deduplication id: 1 to 128 printable ASCII characters other than space. */
    static void checkId(String what, String id, String messageIdForError) {
        boolean ok = !id.isEmpty() && id.length() <= MAX_ID_LENGTH;
        for (int i = 0; ok && i < id.length(); i++) {
            char c = id.charAt(i);
            ok = c >= 0x21 && c <= 0x7E;
        }
        if (!ok) {
            String shown = what.equals("message id") ? "" : " of message " + messageIdForError;
            throw new PermanentFailureException(what + shown + " is not allowed by SQS: use 1 to " + MAX_ID_LENGTH
                    + " printable ASCII characters other than space (got " + id.length() + " characters)");
        }
    }

    // ---------------------------------------------------------------------------------------------- incoming

    /** A received message as a delivery: internal attributes stripped, body decoded. */
    static Delivery toDelivery(Message m) {
        Map<String, String> system = m.attributesAsStrings();
        String groupId = requireSystem(m, system, MessageSystemAttributeName.MESSAGE_GROUP_ID);
        String sequence = requireSystem(m, system, MessageSystemAttributeName.SEQUENCE_NUMBER);
        int receiveCount = parseInt(system.get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT.toString()), 1);
        String sent = system.get(MessageSystemAttributeName.SENT_TIMESTAMP.toString());
        Instant sentAt = Instant.ofEpochMilli(parseLong(sent, 0L));
        return new Delivery(messageId(m), groupId, sequence, Math.max(1, receiveCount), sentAt, callerAttributes(m),
                body(m), m.receiptHandle());
    }

    /** A message read from the dead-letter queue; the reason is empty for a message moved there by redrive. */
    static DeadLetter toDeadLetter(Message m) {
        Map<String, String> system = m.attributesAsStrings();
        String groupId = requireSystem(m, system, MessageSystemAttributeName.MESSAGE_GROUP_ID);
        MessageAttributeValue reason = m.messageAttributes().get(REASON);
        return new DeadLetter(groupId, messageId(m), callerAttributes(m), body(m),
                reason == null ? "" : decodeValue(reason));
    }

    private static String messageId(Message m) {
        MessageAttributeValue id = m.messageAttributes().get(ID);
        if (id != null) {
            return decodeValue(id);
        }
        String dedup = m.attributesAsStrings().get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID.toString());
        return dedup != null ? dedup : m.messageId();
    }

    private static byte[] body(Message m) {
        MessageAttributeValue encoding = m.messageAttributes().get(ENCODING);
        return decodeBody(m.body() == null ? "" : m.body(), encoding == null ? null : decodeValue(encoding));
    }

    private static Map<String, String> callerAttributes(Message m) {
        if (!m.hasMessageAttributes() || m.messageAttributes().isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        m.messageAttributes().forEach((name, value) -> {
            if (!name.startsWith(INTERNAL_PREFIX)) {
                out.put(name, decodeValue(value));
            }
        });
        return Collections.unmodifiableMap(out);
    }

    private static String requireSystem(Message m, Map<String, String> system, MessageSystemAttributeName name) {
        String value = system.get(name.toString());
        if (value == null) {
            throw new PermanentFailureException("message " + m.messageId() + " has no " + name
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

    // ---------------------------------------------------------------------------------------------- text rules

    /** True if SQS accepts every code point: #x9 #xA #xD, #x20-#xD7FF, #xE000-#xFFFD, #x10000-#x10FFFF. */
    static boolean isSqsText(CharSequence s) {
        for (int i = 0; i < s.length(); ) {
            int cp = Character.codePointAt(s, i);
            if (!isSqsCodePoint(cp)) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    static boolean isSqsCodePoint(int cp) {
        return cp == 0x9 || cp == 0xA || cp == 0xD
                || (cp >= 0x20 && cp <= 0xD7FF)
                || (cp >= 0xE000 && cp <= 0xFFFD)
                || (cp >= 0x10000 && cp <= 0x10FFFF);
    }

    /** The text with every code point SQS refuses (and every unpaired surrogate) replaced by U+FFFD. */
    static String sqsSafe(String s) {
        if (isSqsText(s)) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = Character.codePointAt(s, i);
            b.appendCodePoint(isSqsCodePoint(cp) ? cp : 0xFFFD);
            i += Character.charCount(cp);
        }
        return b.toString();
    }

    /** The longest prefix of {@code s}, at a code point boundary, of at most {@code maxBytes} UTF-8 bytes. */
    static String cutToBytes(String s, long maxBytes) {
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

    static long utf8Length(String s) {
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
                n += 3; // includes an unpaired surrogate, which Java encodes as '?' but SQS would never see
            }
        }
        return n;
    }

    private static boolean hasUnpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** The text if the bytes are well-formed UTF-8, else {@code null}. */
    private static String strictUtf8(byte[] bytes) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static MessageAttributeValue stringValue(String value) {
        return MessageAttributeValue.builder().dataType(STRING).stringValue(value).build();
    }
}
