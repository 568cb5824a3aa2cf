package io.fifoactors.core.internal;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.port.StoredRecord;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one runtime instance remembers between batches: the records it wrote (used instead of a read when their
 * actors come back, if enabled) and, per actor, how far its outbox is known sent. Both are hints that a conditional
 * commit or a deduplicated re-send makes safe to get wrong. Thread-safe.
 */
public final class Caches {
    private final int recordCapacity;
    private final int sentCapacity;
    private final ConcurrentHashMap<ActorId, StoredRecord> records = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ActorId, Long> sentUpTo = new ConcurrentHashMap<>();

    public Caches(int recordCapacity, int sentCapacity) {
        this.recordCapacity = recordCapacity;
        this.sentCapacity = sentCapacity;
    }

    boolean recordsEnabled() {
        return recordCapacity > 0;
    }

    Optional<StoredRecord> record(ActorId id) {
        return recordCapacity == 0 ? Optional.empty() : Optional.ofNullable(records.get(id));
    }

    void remember(ActorId id, StoredRecord record) {
        if (recordCapacity == 0) {
            return;
        }
        if (records.size() >= recordCapacity && !records.containsKey(id)) {
            var it = records.keySet().iterator();
            if (it.hasNext()) {
                it.next();
                it.remove(); // an arbitrary victim: a miss costs one read, as without the cache
            }
        }
        records.put(id, record);
    }

    void forget(ActorId id) {
        if (recordCapacity > 0) {
            records.remove(id);
        }
    }

    long sentUpTo(ActorId id) {
        return sentUpTo.getOrDefault(id, 0L);
    }

    void markSent(ActorId id, long outSeq) {
        if (sentUpTo.size() >= sentCapacity) {
            sentUpTo.clear(); // forgetting only costs a harmless, deduplicated re-send
        }
        sentUpTo.merge(id, outSeq, Math::max);
    }
}
