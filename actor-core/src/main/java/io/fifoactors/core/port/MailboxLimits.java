package io.fifoactors.core.port;

import io.fifoactors.core.MessageTooLargeException;
import io.fifoactors.core.PermanentFailureException;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The rules every {@link Mailbox} applies to what it is given, so that a message one mailbox accepts every other
 * accepts too. They are SQS's documented rules (the strictest mailbox), checked before anything of a call is
 * enqueued:
 * <ul>
 *   <li>group and message ids: 1 to 128 printable ASCII characters other than space (SQS's MessageGroupId and
 *       MessageDeduplicationId);</li>
 *   <li>at most {@link Mailbox#MAX_ATTRIBUTES} attributes; names of 1 to 256 letters, digits, {@code _ - .}, not
 *       starting with {@code AWS.} or {@code Amazon.} in any case, not starting or ending with a dot, no two dots in
 *       a row, and not starting with {@link #ADAPTER_PREFIX}; values without unpaired surrogates (they have no
 *       UTF-8 form);</li>
 *   <li>size: {@link Mailbox#sizeOf} at most {@link Mailbox#MAX_MESSAGE_BYTES}, where a body that is not text SQS
 *       accepts counts as its Base64 form;</li>
 *   <li>durations (visibility, retry delay): whole seconds, a fraction rounded up, 0 to 12 hours.</li>
 * </ul>
 *
 * <pre>{@code
 * MailboxLimits.check(new OutgoingMessage("account/a1", "m-1", Map.of("fa-type", "Deposit"), body));
 * long seconds = MailboxLimits.wholeSeconds("visibility", Duration.ofMillis(500), 0, 43_200);   // 1
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class MailboxLimits {
    /** Longest group id and message id (SQS). */
    public static final int MAX_ID_LENGTH = 128;
    /** Longest attribute name (SQS). */
    public static final int MAX_ATTRIBUTE_NAME_LENGTH = 256;
    /** Attribute names with this prefix are kept for adapters' own attributes on the wire. */
    public static final String ADAPTER_PREFIX = "fa-sqs-";
    /** The longest visibility timeout or retry delay, in seconds (12 hours). */
    public static final long MAX_VISIBILITY_SECONDS = 43_200;

    private MailboxLimits() {
    }

    /**
     * Checks one message against every rule above.
     *
     * @throws MessageTooLargeException if it is over {@link Mailbox#MAX_MESSAGE_BYTES}
     * @throws PermanentFailureException if an id, an attribute name or value, or the number of attributes is refused
     */
    public static void check(OutgoingMessage m) {
        checkId("group id", m.groupId(), m.messageId());
        checkId("message id", m.messageId(), m.messageId());
        Map<String, String> attributes = m.attributes();
        if (attributes.size() > Mailbox.MAX_ATTRIBUTES) {
            throw new PermanentFailureException("message " + m.messageId() + " has " + attributes.size()
                    + " attributes; at most " + Mailbox.MAX_ATTRIBUTES + " are allowed");
        }
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            checkAttributeName(m.messageId(), e.getKey());
            if (e.getValue() == null) {
                throw new PermanentFailureException("attribute '" + e.getKey() + "' of message " + m.messageId()
                        + " has no value");
            }
            if (hasUnpairedSurrogate(e.getValue())) {
                throw new PermanentFailureException("attribute '" + e.getKey() + "' of message " + m.messageId()
                        + " has an unpaired surrogate character and cannot be sent as UTF-8");
            }
        }
        long size = Mailbox.sizeOf(m);
        if (size > Mailbox.MAX_MESSAGE_BYTES) {
            throw new MessageTooLargeException(m.messageId(), size, Mailbox.MAX_MESSAGE_BYTES);
        }
    }

    /** True for 1 to 128 printable ASCII characters other than space. */
    public static boolean isValidId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    /** Refuses an invalid group or message id; {@code what} names it in the message (never the id itself). */
    static void checkId(String what, String id, String messageIdForError) {
        if (!isValidId(id)) {
            String shown = what.equals("message id") || !isValidId(messageIdForError) ? ""
                    : " of message " + messageIdForError;
            throw new PermanentFailureException(what + shown + " is not allowed: use 1 to " + MAX_ID_LENGTH
                    + " printable ASCII characters other than space (got " + (id == null ? "null" : id.length()
                    + " characters") + ")");
        }
    }

    /** True if SQS accepts {@code name} as a message attribute name and it is not an adapter's own name. */
    public static boolean isValidAttributeName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_ATTRIBUTE_NAME_LENGTH) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-' || c == '.';
            if (!ok) {
                return false;
            }
        }
        String lower = name.toLowerCase(Locale.ROOT);
        return !lower.startsWith("aws.") && !lower.startsWith("amazon.") && !name.startsWith(".")
                && !name.endsWith(".") && !name.contains("..") && !name.startsWith(ADAPTER_PREFIX);
    }

    static void checkAttributeName(String messageId, String name) {
        if (!isValidAttributeName(name)) {
            String why = name != null && name.startsWith(ADAPTER_PREFIX)
                    ? "the prefix '" + ADAPTER_PREFIX + "' is kept for the mailbox adapters"
                    : "use 1 to 256 letters, digits, '_', '-' or '.'; no 'AWS.' or 'Amazon.' prefix; no leading,"
                    + " trailing or double '.'";
            throw new PermanentFailureException("an attribute name of message " + messageId + " is not allowed: "
                    + why);
        }
    }

    /** True if SQS accepts every code point: #x9 #xA #xD, #x20-#xD7FF, #xE000-#xFFFD, #x10000-#x10FFFF. */
    public static boolean isSqsText(CharSequence s) {
        for (int i = 0; i < s.length(); ) {
            int cp = Character.codePointAt(s, i);
            if (!isSqsCodePoint(cp)) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    /** One code point of {@link #isSqsText}; an unpaired surrogate is not one. */
    public static boolean isSqsCodePoint(int cp) {
        return cp == 0x9 || cp == 0xA || cp == 0xD
                || (cp >= 0x20 && cp <= 0xD7FF)
                || (cp >= 0xE000 && cp <= 0xFFFD)
                || (cp >= 0x10000 && cp <= 0x10FFFF);
    }

    /** The body as text if it is well-formed UTF-8 of code points SQS accepts, else {@code null}. */
    public static String sqsTextOrNull(byte[] body) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
            return isSqsText(chars) ? chars.toString() : null;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * {@code s.getBytes(UTF_8).length}, counted without encoding (run for every attribute of every message sent): an
     * unpaired surrogate counts 1, as the encoder replaces it with '?'.
     */
    static int utf8Length(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                bytes += 1;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 2; // the pair: 2 chars, 4 bytes
                i++;
            } else if (!Character.isSurrogate(c)) {
                bytes += 2;
            }
        }
        return bytes;
    }

    /**
     * The bytes a body takes on SQS, which carries text only: its length if it is {@linkplain #sqsTextOrNull SQS
     * text}, else the length of its Base64 form.
     */
    public static long bodySize(byte[] body) {
        if (isSqsText(body)) {
            return body.length;
        }
        return 4L * ((body.length + 2) / 3);
    }

    /**
     * Whether {@code body} is well-formed UTF-8 (shortest forms, no encoded surrogates) of code points SQS accepts:
     * the test of {@link #sqsTextOrNull} without decoding (called for every message sent).
     */
    public static boolean isSqsText(byte[] body) {
        int i = 0;
        int n = body.length;
        while (i < n) {
            int b = body[i];
            if (b >= 0x20 && b < 0x7F) { // printable ASCII, the common case
                i++;
                continue;
            }
            int cp;
            int len;
            if (b >= 0) {
                cp = b; // other ASCII: only tab, line feed and carriage return are accepted
                len = 1;
            } else if ((b & 0xE0) == 0xC0) {
                len = 2;
                cp = b & 0x1F;
            } else if ((b & 0xF0) == 0xE0) {
                len = 3;
                cp = b & 0x0F;
            } else if ((b & 0xF8) == 0xF0) {
                len = 4;
                cp = b & 0x07;
            } else {
                return false;
            }
            if (i + len > n) {
                return false;
            }
            for (int k = 1; k < len; k++) {
                int c = body[i + k];
                if ((c & 0xC0) != 0x80) {
                    return false;
                }
                cp = (cp << 6) | (c & 0x3F);
            }
            int min = len == 1 ? 0 : len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
            if (cp < min || !isSqsCodePoint(cp)) { // overlong forms and surrogates (never code points) refused
                return false;
            }
            i += len;
        }
        return true;
    }

    /** True if {@code s} has a high surrogate not followed by a low one, or a low one not after a high one. */
    public static boolean hasUnpairedSurrogate(String s) {
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

    /**
     * A duration in whole seconds as SQS counts it (a fraction rounded up), checked against {@code min} and
     * {@code max} seconds.
     *
     * @throws IllegalArgumentException if it is null, negative, or outside the range
     */
    public static long wholeSeconds(String what, Duration d, long min, long max) {
        if (d == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, was " + d);
        }
        long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        if (s < min || s > max) {
            throw new IllegalArgumentException(what + " must be " + min + " to " + max + " seconds, was " + d);
        }
        return s;
    }
}
