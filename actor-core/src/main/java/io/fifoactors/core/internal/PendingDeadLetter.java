package io.fifoactors.core.internal;

/**
 * A delivered message the actor decided to dead-letter, committed before the dead-letter send so that the decision
 * is checked by the commit (a consumer that lost a race never dead-letters a message another applied) and survives a
 * crash before the send (the redelivery finds it and sends it).
 */
record PendingDeadLetter(String seq, String messageId, String reason) {
    void writeTo(BinaryWriter out) {
        out.writeSequence(seq);
        out.writeString(messageId);
        out.writeString(reason);
    }

    static PendingDeadLetter readFrom(BinaryReader in) {
        return new PendingDeadLetter(in.readSequence(), in.readString(), in.readString());
    }
}
