package io.fifoactors.core.internal;

/** A recent rejection kept in the actor's record: which message, of what type, why, and when. */
record Rejection(String messageId, String type, String reason, long atMillis) {
    void writeTo(BinaryWriter out) {
        out.writeString(messageId);
        out.writeString(type);
        out.writeString(reason);
        out.writeVarLong(atMillis);
    }

    static Rejection readFrom(BinaryReader in) {
        return new Rejection(in.readString(), in.readString(), in.readString(), in.readVarLong());
    }
}
