package io.fifoactors.core.internal;

import java.util.Optional;

/**
 * A message kept in an actor's record: deferred (with a deadline), held while the actor is parked, or the parked
 * message itself (with the failure reason). Everything needed to handle it later travels with it; its sender was
 * authenticated when it arrived. {@code timerKey} is set for a message a timer fired.
 */
record Stashed(String messageId, String type, byte[] body, Optional<String> sender, long senderSeq,
               Optional<String> timerKey, long enqueuedAtMillis, int receiveCount, long deadlineMillis,
               Optional<String> reason) {

    Stashed withReason(String newReason) {
        return new Stashed(messageId, type, body, sender, senderSeq, timerKey, enqueuedAtMillis, receiveCount,
                deadlineMillis, Optional.of(newReason));
    }

    Stashed withDeadline(long newDeadline) {
        return new Stashed(messageId, type, body, sender, senderSeq, timerKey, enqueuedAtMillis, receiveCount,
                newDeadline, reason);
    }

    void writeTo(BinaryWriter out) {
        out.writeString(messageId);
        out.writeString(type);
        out.writeBytes(body);
        writeOptional(out, sender);
        out.writeVarLong(senderSeq);
        writeOptional(out, timerKey);
        out.writeVarLong(enqueuedAtMillis);
        out.writeVarInt(receiveCount);
        out.writeVarLong(deadlineMillis);
        writeOptional(out, reason);
    }

    static Stashed readFrom(BinaryReader in) {
        return new Stashed(in.readString(), in.readString(), in.readBytes(), readOptional(in), in.readVarLong(),
                readOptional(in), in.readVarLong(), in.readVarInt(), in.readVarLong(), readOptional(in));
    }

    static void writeOptional(BinaryWriter out, Optional<String> s) {
        out.writeBoolean(s.isPresent());
        s.ifPresent(out::writeString);
    }

    static Optional<String> readOptional(BinaryReader in) {
        return in.readBoolean() ? Optional.of(in.readString()) : Optional.empty();
    }
}
