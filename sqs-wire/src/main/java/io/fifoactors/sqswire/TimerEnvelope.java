package io.fifoactors.sqswire;

import io.fifoactors.core.MessageTooLargeException;
import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.port.MailboxLimits;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.port.ScheduledMessage;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a timer firing travels to its FIFO mailbox: SQS FIFO queues have no per-message delay, so a
 * {@link ScheduledMessage} rides a <b>standard</b> queue whose messages can be delayed up to 15 minutes each, hop by
 * hop, until it is due; then it is forwarded into the FIFO queue.
 *
 * <ul>
 *   <li>The carrier is the message as the FIFO queue would get it (body text and encoding, attributes encoded by
 *       {@link SqsWire}) plus {@value SqsWire#TIMER} = {@code "1 <due epoch ms> <group id> <message id>"} (ids
 *       are printable ASCII without spaces, so the fields split unambiguously). At most 7 caller attributes, the
 *       encoding and the timer attribute: 9 of SQS's 10.</li>
 *   <li>Forwarding sends the carrier's body and caller attributes exactly as they travel (no decode and re-encode:
 *       the runtime authenticates group, id, type, sender and body), with {@value SqsWire#ID} instead of the timer
 *       attribute, to the FIFO queue with {@link SqsWire#deduplicationId} of the group and id, so a carrier
 *       forwarded twice is one message.</li>
 *   <li>{@link #decide}: forward when due, else wait again for the time left, at most a hop, in whole seconds
 *       rounded up: never early.</li>
 * </ul>
 *
 * <pre>{@code
 * EncodedMessage carrier = TimerEnvelope.encode(scheduled);
 * TimerEnvelope.Decision d = TimerEnvelope.decide(timer.dueAt(), clock.instant(), TimerEnvelope.MAX_HOP);
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class TimerEnvelope {
    /** SQS's longest per-message delay (DelaySeconds 900). */
    public static final Duration MAX_HOP = Duration.ofMinutes(15);
    private static final String VERSION = "1";

    private TimerEnvelope() {
    }

    /**
     * A timer carrier read back: when it is due, where it goes, and the carrier as received.
     *
     * <pre>{@code
     * TimerEnvelope.Timer t = TimerEnvelope.read(carrier);   // t.dueAt(), t.groupId(), t.messageId()
     * }</pre>
     *
     * <p>Immutable by convention (the carrier is shared). Thread-safe under that convention.
     *
     * @param dueAt     when to deliver it
     * @param groupId   the FIFO group
     * @param messageId the message id (its deduplication id in the mailbox)
     * @param carrier   the carrier as received from the timer queue
     */
    public record Timer(Instant dueAt, String groupId, String messageId, WireMessage carrier) {
        public Timer {
            Objects.requireNonNull(dueAt, "dueAt");
            Objects.requireNonNull(groupId, "groupId");
            Objects.requireNonNull(messageId, "messageId");
            Objects.requireNonNull(carrier, "carrier");
        }
    }

    /**
     * What to do with a carrier now.
     *
     * <pre>{@code
     * TimerEnvelope.decide(due, now, TimerEnvelope.MAX_HOP);   // Decision[forwardNow=false, delaySeconds=900]
     * }</pre>
     *
     * <p>Immutable and thread-safe.
     *
     * @param forwardNow   true: send it into the FIFO queue
     * @param delaySeconds otherwise: re-send it to the timer queue with this DelaySeconds (1 to 900)
     */
    public record Decision(boolean forwardNow, int delaySeconds) {
        static final Decision FORWARD = new Decision(true, 0);
    }

    /**
     * Forward if due ({@code now} at or after {@code dueAt}), else wait {@code min(time left, hop)} rounded up to a
     * whole second.
     */
    public static Decision decide(Instant dueAt, Instant now, Duration hop) {
        Duration left = Duration.between(now, dueAt);
        if (left.isNegative() || left.isZero()) {
            return Decision.FORWARD;
        }
        long seconds = left.getSeconds() + (left.getNano() > 0 ? 1 : 0);
        return new Decision(false, (int) Math.min(seconds, hopSeconds(hop)));
    }

    /** The DelaySeconds for a first send at {@code now}: 0 if already due, else as {@link #decide}. */
    public static int firstDelaySeconds(Instant dueAt, Instant now, Duration hop) {
        Decision d = decide(dueAt, now, hop);
        return d.forwardNow() ? 0 : d.delaySeconds();
    }

    /** A hop in whole seconds, 1 to 900. */
    public static long hopSeconds(Duration hop) {
        return MailboxLimits.wholeSeconds("hop", hop, 1, MAX_HOP.getSeconds());
    }

    /**
     * The carrier of {@code s} for the timer queue (no group, no deduplication id).
     *
     * @throws MessageTooLargeException if the message is too large for a mailbox
     * @throws PermanentFailureException if a mailbox would refuse the message
     */
    public static EncodedMessage encode(ScheduledMessage s) {
        OutgoingMessage m = s.message();
        EncodedMessage fifo = SqsWire.encode(m);
        Map<String, WireAttribute> attributes = new LinkedHashMap<>(fifo.attributes());
        attributes.remove(SqsWire.ID);
        attributes.put(SqsWire.TIMER, WireAttribute.string(VERSION + " " + s.dueAt().toEpochMilli() + " "
                + m.groupId() + " " + m.messageId()));
        long size = SqsWire.size(fifo.body(), attributes);
        if (size > SqsWire.DEFAULT_MAX_MESSAGE_BYTES) {
            throw new MessageTooLargeException(m.messageId(), size, SqsWire.DEFAULT_MAX_MESSAGE_BYTES);
        }
        return new EncodedMessage(null, null, fifo.body(), Collections.unmodifiableMap(attributes), size);
    }

    /**
     * Reads a carrier.
     *
     * @throws PermanentFailureException if it is not a timer carrier or its timer attribute is malformed
     */
    public static Timer read(WireMessage carrier) {
        WireAttribute a = carrier.attributes().get(SqsWire.TIMER);
        if (a == null) {
            throw new PermanentFailureException("SQS message " + carrier.sqsMessageId() + " on the timer queue has no "
                    + SqsWire.TIMER + " attribute");
        }
        String[] f = SqsWire.decodeValue(a).split(" ", -1);
        if (f.length != 4 || !f[0].equals(VERSION) || !MailboxLimits.isValidId(f[2])
                || !MailboxLimits.isValidId(f[3])) {
            throw new PermanentFailureException("SQS message " + carrier.sqsMessageId() + " has a malformed "
                    + SqsWire.TIMER + " attribute");
        }
        long due;
        try {
            due = Long.parseLong(f[1]);
        } catch (NumberFormatException e) {
            throw new PermanentFailureException("SQS message " + carrier.sqsMessageId() + " has a malformed "
                    + SqsWire.TIMER + " attribute", e);
        }
        return new Timer(Instant.ofEpochMilli(due), f[2], f[3], carrier);
    }

    /** The FIFO message for a due timer: the carrier's body and attributes unchanged, the id instead of the timer. */
    public static EncodedMessage forward(Timer t) {
        Map<String, WireAttribute> attributes = new LinkedHashMap<>(t.carrier().attributes());
        attributes.remove(SqsWire.TIMER);
        attributes.put(SqsWire.ID, WireAttribute.string(t.messageId()));
        return new EncodedMessage(t.groupId(), SqsWire.deduplicationId(t.groupId(), t.messageId()), t.carrier().body(),
                Collections.unmodifiableMap(attributes), SqsWire.size(t.carrier().body(), attributes));
    }

    /** The carrier to send again to the timer queue for the next hop: unchanged. */
    public static EncodedMessage again(Timer t) {
        Map<String, WireAttribute> attributes = new LinkedHashMap<>(t.carrier().attributes());
        return new EncodedMessage(null, null, t.carrier().body(), Collections.unmodifiableMap(attributes),
                SqsWire.size(t.carrier().body(), attributes));
    }
}
