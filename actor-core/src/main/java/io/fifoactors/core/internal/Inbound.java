package io.fifoactors.core.internal;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.runtime.Envelope;
import io.fifoactors.core.runtime.MessageKeys;

import java.util.Map;
import java.util.Optional;

/**
 * A delivery's envelope, read and checked before anything in it is trusted: its kind, its wire type and, for
 * actor-to-actor messages, the authenticated sender. A delivery that fails a check carries the reason it is to be
 * dead-lettered with. Pure; immutable.
 */
record Inbound(Delivery delivery, Kind kind, String type, Optional<From> from, Optional<String> problem) {
    enum Kind { DOMAIN, WAKE, UNPARK, TIMER, REFUSED }

    /** The authenticated sender of an actor-to-actor message. */
    record From(String senderGroupId, long seq, long committedAtMillis) {
        String attribute() {
            return senderGroupId + " " + seq + " " + committedAtMillis;
        }
    }

    static Inbound refused(Delivery d, String reason) {
        return new Inbound(d, Kind.REFUSED, "", Optional.empty(), Optional.of(reason));
    }

    /** Reads the delivery's envelope and checks its tag with {@code keys}. */
    static Inbound parse(Delivery d, MessageKeys keys) {
        Map<String, String> attrs = d.attributes();
        for (String name : attrs.keySet()) {
            if (name.startsWith(Envelope.RESERVED_PREFIX) && !name.equals(Envelope.TYPE)
                    && !name.equals(Envelope.FROM) && !name.equals(Envelope.AUTH)) {
                return refused(d, "unauthenticated: the message has the reserved attribute " + name);
            }
        }
        String type = attrs.get(Envelope.TYPE);
        if (type == null || type.isEmpty()) {
            return refused(d, "the message has no " + Envelope.TYPE + " attribute");
        }
        String fromText = attrs.get(Envelope.FROM);
        String auth = attrs.get(Envelope.AUTH);
        boolean system = type.startsWith("fa:");
        if (fromText == null && !system && auth == null) {
            return new Inbound(d, Kind.DOMAIN, type, Optional.empty(), Optional.empty()); // an external producer's
        }
        if (auth == null) {
            return refused(d, "unauthenticated: " + (system ? "a system message" : "an actor-to-actor message")
                    + " without " + Envelope.AUTH);
        }
        byte[] signed = Signing.input(d.groupId(), d.messageId(), type, fromText == null ? "" : fromText, d.body());
        switch (keys.verify(signed, auth)) {
            case VALID -> { }
            case UNKNOWN_KEY -> {
                return refused(d, "unauthenticated: signed with an unknown key");
            }
            case MALFORMED -> {
                return refused(d, "unauthenticated: malformed " + Envelope.AUTH);
            }
            case MISMATCH -> {
                return refused(d, "unauthenticated: the signature does not match the message");
            }
        }
        Optional<From> from = Optional.empty();
        if (fromText != null) {
            Optional<From> parsed = parseFrom(fromText);
            if (parsed.isEmpty()) {
                return refused(d, "malformed " + Envelope.FROM);
            }
            from = parsed;
        }
        Kind kind = switch (type) {
            case Envelope.SYSTEM_WAKE -> Kind.WAKE;
            case Envelope.SYSTEM_UNPARK -> Kind.UNPARK;
            case Envelope.SYSTEM_TIMER -> Kind.TIMER;
            default -> system ? Kind.REFUSED : Kind.DOMAIN;
        };
        if (kind == Kind.REFUSED) {
            return refused(d, "unknown system message type");
        }
        return new Inbound(d, kind, type, from, Optional.empty());
    }

    /** {@code "<sender group id> <seq> <committed at millis>"}, read without splitting (it runs for every message). */
    static Optional<From> parseFrom(String text) {
        int first = text.indexOf(' ');
        int second = first < 0 ? -1 : text.indexOf(' ', first + 1);
        if (second < 0 || text.indexOf(' ', second + 1) >= 0) {
            return Optional.empty();
        }
        String sender = text.substring(0, first);
        if (!ActorId.isGroupId(sender)) {
            return Optional.empty();
        }
        try {
            long seq = Long.parseLong(text, first + 1, second, 10);
            long at = Long.parseLong(text, second + 1, text.length(), 10);
            if (seq < 1 || at < 0) {
                return Optional.empty();
            }
            return Optional.of(new From(sender, seq, at));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
