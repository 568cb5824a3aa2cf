package io.fifoactors.core.internal;

import io.fifoactors.core.ActorId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * One actor's archive of sender marks, as a run sees it: moves the record's marks to a new immutable chunk when the
 * record holds too many, and finds the marks of late re-sends' senders in the chain of chunks, newest first, reading
 * each chunk at most once per run. See docs/semantics.md, section 4. Not thread-safe; one per run.
 */
final class Archive {
    private final Settings settings;
    private final ActorId id;
    private final Consumer<String> events;
    private final Map<String, ArchiveChunk> chunks = new HashMap<>();

    /** @param events told, for the outcome listener, when marks move to a chunk */
    Archive(Settings settings, ActorId id, Consumer<String> events) {
        this.settings = settings;
        this.id = id;
        this.events = events;
    }

    /**
     * Finds, in the actor's archive, the marks of the senders of late re-sends from {@code from} on that the record
     * does not hold. Reads chunks newest first, each at most once per run.
     */
    void lookUp(Working w, List<Inbound> inbound, int from, ArchivedMarks archived) {
        for (int k = from; k < inbound.size(); k++) {
            Inbound ib = inbound.get(k);
            if (ib.from().isEmpty()) {
                continue;
            }
            Inbound.From f = ib.from().get();
            long key = Mark.senderKey(f.senderGroupId());
            if (archived.knows(key) || w.ctl.markOf(key).isPresent()
                    || ib.delivery().sentAt().toEpochMilli() - f.committedAtMillis()
                    <= settings.freshWindow().toMillis()) {
                continue;
            }
            OptionalLong found = OptionalLong.empty();
            Optional<String> next = w.ctl.archive.map(Control.ArchiveHead::chunkId);
            while (next.isPresent()) {
                ArchiveChunk chunk = chunk(next.get());
                if (chunk == null) {
                    break; // expired: everything in it and before it is older than the horizon
                }
                Optional<Mark> m = chunk.markOf(key);
                if (m.isPresent()) {
                    found = OptionalLong.of(m.get().seq());
                    break;
                }
                if (chunk.oldestAppliedAtMillis() < f.committedAtMillis()) {
                    break; // older chunks hold only marks applied before this message was even committed
                }
                next = chunk.previous();
            }
            archived.learn(key, found);
        }
    }

    private ArchiveChunk chunk(String chunkId) {
        ArchiveChunk c = chunks.get(chunkId);
        if (c == null && !chunks.containsKey(chunkId)) {
            c = settings.store().loadArchive(id, chunkId).map(ArchiveChunk::decode).orElse(null);
            chunks.put(chunkId, c);
        }
        return c;
    }

    /**
     * Moves the record's sender marks to a new archive chunk when it holds more than the configured number; returns
     * the marks moved (to be known to this run once the commit that drops them from the record succeeds).
     */
    List<Mark> spillIfNeeded(Working w, Instant now) {
        Control ctl = w.ctl;
        if (ctl.marks.size() <= settings.hotMarks()) {
            return List.of();
        }
        long cutoff = now.toEpochMilli() - settings.horizon().toMillis();
        List<Mark> keep = new ArrayList<>();
        long oldest = Long.MAX_VALUE;
        long newest = 0;
        for (Mark m : ctl.marks) {
            if (m.appliedAtMillis() >= cutoff) {
                keep.add(m);
                oldest = Math.min(oldest, m.appliedAtMillis());
                newest = Math.max(newest, m.appliedAtMillis());
            }
        }
        if (!keep.isEmpty()) {
            String chunkId = HexFormat.of().toHexDigits(settings.nonces().getAsLong());
            ArchiveChunk chunk = new ArchiveChunk(ctl.archive.map(Control.ArchiveHead::chunkId), oldest, newest, keep);
            settings.store().putArchive(id, chunkId, chunk.encode(),
                    Instant.ofEpochMilli(newest).plus(settings.horizon()));
            chunks.put(chunkId, chunk);
            ctl.archive = Optional.of(new Control.ArchiveHead(chunkId, newest));
            events.accept(keep.size() + " sender marks to chunk " + chunkId);
        }
        ctl.marks.clear();
        return keep;
    }
}
