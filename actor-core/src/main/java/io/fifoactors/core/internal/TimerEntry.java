package io.fifoactors.core.internal;

/**
 * One timer set on an actor: its key, the generation that tells this setting from earlier ones under the same key
 * (a firing of another generation is stale), when it is due, and the message it delivers (wire type and body).
 * The runtime's own timer for the stash's deadlines has the reserved key {@link #STASH_KEY} and no message.
 */
record TimerEntry(String key, long generation, long dueMillis, String type, byte[] body) {
    /** The runtime's timer that expires deferred messages at their deadlines. */
    static final String STASH_KEY = "fa:stash";

    boolean isStashTimer() {
        return key.equals(STASH_KEY);
    }

    void writeTo(BinaryWriter out) {
        out.writeString(key);
        out.writeVarLong(generation);
        out.writeVarLong(dueMillis);
        out.writeString(type);
        out.writeBytes(body);
    }

    static TimerEntry readFrom(BinaryReader in) {
        return new TimerEntry(in.readString(), in.readVarLong(), in.readVarLong(), in.readString(), in.readBytes());
    }
}
