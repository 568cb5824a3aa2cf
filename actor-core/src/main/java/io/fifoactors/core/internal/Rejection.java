package io.fifoactors.core.internal;

/** A recent rejection kept in the actor's record: which message, of what type, why, and when. */
record Rejection(String messageId, String type, String reason, long atMillis) {
    /** The longest reason kept in a record; the full reason goes to the outcome listener and the logs. */
    static final int KEPT_REASON_CHARS = 64;

    /** A rejection to keep: the reason cut to {@link #KEPT_REASON_CHARS} characters (never inside a pair). */
    static Rejection kept(String messageId, String type, String reason, long atMillis) {
        String r = reason;
        if (r.length() > KEPT_REASON_CHARS) {
            int end = Character.isHighSurrogate(r.charAt(KEPT_REASON_CHARS - 2)) ? KEPT_REASON_CHARS - 2 : KEPT_REASON_CHARS - 1;
            r = r.substring(0, end) + "\u2026";
        }
        return new Rejection(messageId, type, r, atMillis);
    }

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
