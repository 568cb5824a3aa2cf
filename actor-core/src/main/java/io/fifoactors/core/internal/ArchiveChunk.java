package io.fifoactors.core.internal;

import io.fifoactors.core.MessageDecodingException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One immutable chunk of an actor's archive of sender marks: the marks moved out of the record at one spill, when the
 * oldest and newest of them were applied, and the id of the chunk before it (the archive is a chain, newest first).
 * Every mark in an older chunk was applied before every mark of a newer one, so a search for a re-send committed at
 * time t stops at the first chunk whose oldest mark is older than t.
 */
record ArchiveChunk(Optional<String> previous, long oldestAppliedAtMillis, long newestAppliedAtMillis,
                    List<Mark> marks) {
    private static final int FORMAT = 1;

    byte[] encode() {
        BinaryWriter out = new BinaryWriter(32 + marks.size() * 16);
        out.writeByte(FORMAT);
        Stashed.writeOptional(out, previous);
        out.writeVarLong(oldestAppliedAtMillis);
        out.writeVarLong(newestAppliedAtMillis);
        out.writeVarInt(marks.size());
        for (Mark m : marks) {
            m.writeTo(out);
        }
        return out.toByteArray();
    }

    static ArchiveChunk decode(byte[] bytes) {
        BinaryReader in = new BinaryReader(bytes, "archive chunk");
        if (in.readByte() != FORMAT) {
            throw new MessageDecodingException("archive chunk has an unknown format");
        }
        Optional<String> previous = Stashed.readOptional(in);
        long oldest = in.readVarLong();
        long newest = in.readVarLong();
        int n = in.readCount(10);
        List<Mark> marks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            marks.add(Mark.readFrom(in));
        }
        return new ArchiveChunk(previous, oldest, newest, marks);
    }

    Optional<Mark> markOf(long senderKey) {
        for (Mark m : marks) {
            if (m.senderKey() == senderKey) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
