package io.fifoactors.core.internal;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.port.ScheduledMessage;
import io.fifoactors.core.runtime.Envelope;
import io.fifoactors.core.runtime.MessageKeys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the runtime's own messages, signed: actor-to-actor messages from outbox entries, timer firings, wakes and
 * unparks. Ids are deterministic, so a re-send is the same message to the mailbox's deduplication. Stateless.
 */
final class Outbound {
    private Outbound() {
    }

    /** A stable, short, collision-resistant prefix for the ids of an actor's messages: 24 hex digits of a SHA-256. */
    static String idPrefix(ActorId id) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.groupId().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    static OutgoingMessage message(ActorId sender, String prefix, OutboxEntry.Message e, MessageKeys keys) {
        return message(sender, prefix, e, keys, null);
    }

    /**
     * An actor-to-actor message carrying {@code traceparent} (if not null) as {@link Envelope#TRACEPARENT}, unless the
     * attribute would make the message too large for the mailbox: tracing never makes a message unsendable.
     */
    static OutgoingMessage message(ActorId sender, String prefix, OutboxEntry.Message e, MessageKeys keys,
                                   String traceparent) {
        String from = new Inbound.From(sender.groupId(), e.outSeq(), e.committedAtMillis()).attribute();
        OutgoingMessage m = signed(e.target(), prefix + "-" + e.outSeq(), e.type(), from, e.body(), keys);
        if (traceparent == null || Mailbox.sizeOf(m) + TRACEPARENT_BYTES > Mailbox.MAX_MESSAGE_BYTES) {
            return m;
        }
        Map<String, String> attrs = new LinkedHashMap<>(m.attributes());
        attrs.put(Envelope.TRACEPARENT, traceparent);
        return new OutgoingMessage(m.groupId(), m.messageId(), attrs, m.body());
    }

    /** What the trace context adds to a message's size as the mailbox counts it (name, data type, 55 characters). */
    private static final long TRACEPARENT_BYTES = Envelope.TRACEPARENT.length() + "String".length() + 55;

    static ScheduledMessage timer(ActorId self, String prefix, OutboxEntry.Timer t, MessageKeys keys) {
        byte[] body = (t.generation() + " " + t.key()).getBytes(StandardCharsets.UTF_8);
        OutgoingMessage m = signed(self.groupId(), "t" + prefix + "-" + t.outSeq(), Envelope.SYSTEM_TIMER, null,
                body, keys);
        return new ScheduledMessage(m, Instant.ofEpochMilli(t.dueMillis()));
    }

    static OutgoingMessage system(ActorId target, String requestId, String type, byte[] body, MessageKeys keys) {
        return signed(target.groupId(), requestId, type, null, body, keys);
    }

    /**
     * The attributes of a message kept in the record when it goes to the dead-letter queue: its type and, for an
     * actor's message, its sender attribute signed again (the runtime authenticated it when it arrived), so that an
     * operator who moves it back hands the actor the same actor's message.
     */
    static Map<String, String> storedLetterAttributes(String group, String messageId, String type,
                                                      java.util.Optional<Inbound.From> from, byte[] body,
                                                      MessageKeys keys) {
        if (from.isEmpty()) {
            return Map.of(Envelope.TYPE, type);
        }
        return signed(group, messageId, type, from.get().attribute(), body, keys).attributes();
    }

    private static OutgoingMessage signed(String group, String id, String type, String from, byte[] body,
                                          MessageKeys keys) {
        String auth = keys.sign(Signing.input(group, id, type, from == null ? "" : from, body));
        // immutable: a mailbox keeps it as it is instead of copying it (the in-memory one does) and it is smaller
        Map<String, String> attrs = from == null ? Map.of(Envelope.TYPE, type, Envelope.AUTH, auth)
                : Map.of(Envelope.TYPE, type, Envelope.FROM, from, Envelope.AUTH, auth);
        return new OutgoingMessage(group, id, attrs, body);
    }

    /** The generation and key of a timer firing's body, or null if it is not one. */
    static TimerFiring parseTimer(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8);
        int space = s.indexOf(' ');
        if (space <= 0) {
            return null;
        }
        try {
            return new TimerFiring(Long.parseLong(s.substring(0, space)), s.substring(space + 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    record TimerFiring(long generation, String key) {
    }
}
