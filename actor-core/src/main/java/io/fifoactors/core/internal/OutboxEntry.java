package io.fifoactors.core.internal;

/**
 * Something an actor committed to do after its commit and has not yet seen done: send a message to an actor,
 * hand a timer's firing to the scheduler, or dead-letter a message kept in the record. {@code outSeq} orders an actor's entries and names its messages;
 * {@code committedAtMillis} tells receivers how late a re-send is.
 */
sealed interface OutboxEntry permits OutboxEntry.Message, OutboxEntry.Timer, OutboxEntry.DeadLetter {
    long outSeq();

    long committedAtMillis();

    /** A message to the actor with group id {@code target}. */
    record Message(long outSeq, long committedAtMillis, String target, String type, byte[] body)
            implements OutboxEntry {
    }

    /** The firing of the actor's own timer {@code key} of {@code generation}, due at {@code dueMillis}. */
    record Timer(long outSeq, long committedAtMillis, String key, long generation, long dueMillis)
            implements OutboxEntry {
    }

    /**
     * A message kept in the record (a parked message skipped by an operator, a timer's message given up on) to put
     * on the dead-letter queue with {@code reason}; {@code from}: the actor that sent it, whose authenticated
     * sender attributes the letter carries again, so that moved back it is still that actor's message.
     */
    record DeadLetter(long outSeq, long committedAtMillis, String messageId, String type, byte[] body, String reason,
                      java.util.Optional<Inbound.From> from)
            implements OutboxEntry {
    }

    int MESSAGE = 1;
    int TIMER = 2;
    int DEAD_LETTER = 3;

    static void write(BinaryWriter out, OutboxEntry e) {
        if (e instanceof Message m) {
            out.writeByte(MESSAGE);
            out.writeVarLong(m.outSeq());
            out.writeVarLong(m.committedAtMillis());
            out.writeString(m.target());
            out.writeString(m.type());
            out.writeBytes(m.body());
        } else if (e instanceof Timer t) {
            out.writeByte(TIMER);
            out.writeVarLong(t.outSeq());
            out.writeVarLong(t.committedAtMillis());
            out.writeString(t.key());
            out.writeVarLong(t.generation());
            out.writeVarLong(t.dueMillis());
        } else if (e instanceof DeadLetter d) {
            out.writeByte(DEAD_LETTER);
            out.writeVarLong(d.outSeq());
            out.writeVarLong(d.committedAtMillis());
            out.writeString(d.messageId());
            out.writeString(d.type());
            out.writeBytes(d.body());
            out.writeString(d.reason());
            Stashed.writeOrigin(out, d.from());
        }
    }

    static OutboxEntry read(BinaryReader in) {
        int kind = in.readByte();
        if (kind == MESSAGE) {
            return new Message(in.readVarLong(), in.readVarLong(), in.readString(), in.readString(), in.readBytes());
        }
        if (kind == TIMER) {
            return new Timer(in.readVarLong(), in.readVarLong(), in.readString(), in.readVarLong(), in.readVarLong());
        }
        if (kind == DEAD_LETTER) {
            return new DeadLetter(in.readVarLong(), in.readVarLong(), in.readString(), in.readString(), in.readBytes(),
                    in.readString(), Stashed.readOrigin(in));
        }
        throw new io.fifoactors.core.MessageDecodingException("actor record has an outbox entry of unknown kind "
                + kind);
    }
}
