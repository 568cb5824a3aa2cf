package io.fifoactors.core.internal;

import java.util.Optional;

/**
 * A message kept in an actor's record: deferred (with a deadline), held while the actor is parked, or the parked
 * message itself (with the failure reason). Everything needed to handle it later travels with it; its sender was
 * authenticated when it arrived. {@code timerKey} is set for a message a timer fired.
 */
record Stashed(String messageId, String type, byte[] body, Optional<Inbound.From> from,
               Optional<String> timerKey, long enqueuedAtMillis, int receiveCount, long deadlineMillis,
               Optional<String> reason) {

    /** The sending actor's group id, if an actor sent it. */
    Optional<String> sender() {
        return from.map(Inbound.From::senderGroupId);
    }

    Stashed withReason(String newReason) {
        return new Stashed(messageId, type, body, from, timerKey, enqueuedAtMillis, receiveCount,
                deadlineMillis, Optional.of(newReason));
    }

    Stashed withDeadline(long newDeadline) {
        return new Stashed(messageId, type, body, from, timerKey, enqueuedAtMillis, receiveCount,
                newDeadline, reason);
    }

    void writeTo(BinaryWriter out) {
        out.writeString(messageId);
        out.writeString(type);
        out.writeBytes(body);
        writeOrigin(out, from);
        writeOptional(out, timerKey);
        out.writeVarLong(enqueuedAtMillis);
        out.writeVarInt(receiveCount);
        out.writeVarLong(deadlineMillis);
        writeOptional(out, reason);
    }

    static Stashed readFrom(BinaryReader in) {
        return new Stashed(in.readString(), in.readString(), in.readBytes(), readOrigin(in),
                readOptional(in), in.readVarLong(), in.readVarInt(), in.readVarLong(), readOptional(in));
    }

    static void writeOrigin(BinaryWriter out, Optional<Inbound.From> from) {
        out.writeBoolean(from.isPresent());
        from.ifPresent(f -> {
            out.writeString(f.senderGroupId());
            out.writeVarLong(f.seq());
            out.writeVarLong(f.committedAtMillis());
        });
    }

    static Optional<Inbound.From> readOrigin(BinaryReader in) {
        return in.readBoolean() ? Optional.of(new Inbound.From(in.readString(), in.readVarLong(), in.readVarLong()))
                : Optional.empty();
    }

    static void writeOptional(BinaryWriter out, Optional<String> s) {
        out.writeBoolean(s.isPresent());
        s.ifPresent(out::writeString);
    }

    static Optional<String> readOptional(BinaryReader in) {
        return in.readBoolean() ? Optional.of(in.readString()) : Optional.empty();
    }
}
