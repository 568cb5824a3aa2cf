package io.fifoactors.core.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Sender marks read from an actor's archive during one run (for late re-sends of senders not in the record), and
 * marks the run itself moved there. Mutable; confined to one run.
 */
final class ArchivedMarks {
    private final Map<Long, OptionalLong> bySender = new HashMap<>();

    boolean knows(long senderKey) {
        return bySender.containsKey(senderKey);
    }

    /** The archived mark of the sender; empty if the archive has none (only meaningful if {@link #knows}). */
    OptionalLong mark(long senderKey) {
        return bySender.getOrDefault(senderKey, OptionalLong.empty());
    }

    void learn(long senderKey, OptionalLong mark) {
        bySender.merge(senderKey, mark, (a, b) -> a.isPresent() && (b.isEmpty() || a.getAsLong() >= b.getAsLong())
                ? a : b);
    }
}
