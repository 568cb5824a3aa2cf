package io.fifoactors.inmemory;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.VersionConflictException;
import io.fifoactors.core.port.Consistency;
import io.fifoactors.core.port.StateStore;
import io.fifoactors.core.port.StoredRecord;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link StateStore} in memory with DynamoDB's single-item semantics: strongly consistent reads, eventually
 * consistent ones that may return any state of the record that a commit replaced within {@link #STALE_WINDOW},
 * including "no record yet" right after the first commit (DynamoDB's eventually consistent reads "may not reflect the
 * results of a recently completed write"; off unless {@link Builder#staleReads} turns it on), a conditional write on
 * the version, the same record size limit
 * as every adapter ({@link StateStore#MAX_RECORD_BYTES}), archive chunks kept at least until they expire (like
 * DynamoDB's TTL, which deletes expired items only eventually), and copies of all bytes in and out, so a caller that
 * keeps or changes an array cannot corrupt what is stored.
 *
 * <pre>{@code
 * InMemoryStateStore store = InMemoryStateStore.create();
 * store.commit(id, 0, new StoredRecord(1, state, control));
 * }</pre>
 *
 * <p>Thread-safe; each commit is atomic.
 */
public final class InMemoryStateStore implements StateStore {
    /** How long after a commit an eventually consistent read may still return the record it replaced. */
    public static final Duration STALE_WINDOW = Duration.ofSeconds(1);

    /** How many replaced states an actor keeps for stale reads (those replaced within the window, newest first). */
    static final int MAX_STALE_STATES = 8;

    /** A state the record had until {@code replacedAtMillis}; a null record: no record yet. */
    private record Replaced(StoredRecord record, long replacedAtMillis) {
    }

    private record Versions(StoredRecord current, List<Replaced> replaced) {
    }

    private record Chunk(byte[] data, Instant expiresAt) {
    }

    private static final byte[] NO_BYTES = new byte[0];

    private final ConcurrentHashMap<ActorId, Versions> records = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Chunk> archive = new ConcurrentHashMap<>();
    private final Clock clock;
    private final double staleRate;
    private final SplittableRandom random;
    // adders, not atomics: concurrent consumers would otherwise all bump the same cache line on every load and commit
    private final LongAdder loads = new LongAdder();
    private final LongAdder eventualLoads = new LongAdder();
    private final LongAdder commits = new LongAdder();
    private final LongAdder archiveWrites = new LongAdder();
    private final LongAdder archiveReads = new LongAdder();

    private InMemoryStateStore(Builder b) {
        this.clock = b.clock;
        this.staleRate = b.staleRate;
        this.random = new SplittableRandom(b.seed);
    }

    /** A store whose eventually consistent reads are always fresh. */
    public static InMemoryStateStore create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Optional<StoredRecord> load(ActorId id) {
        loads.increment();
        Versions v = records.get(id);
        return v == null ? Optional.empty() : Optional.of(copy(v.current()));
    }

    @Override
    public Map<ActorId, StoredRecord> loadAll(Collection<ActorId> ids, Consistency consistency) {
        Objects.requireNonNull(consistency, "consistency");
        Map<ActorId, StoredRecord> found = new LinkedHashMap<>();
        for (ActorId id : ids) {
            if (consistency == Consistency.EVENTUAL) {
                eventualLoads.increment();
            } else {
                loads.increment();
            }
            Versions v = records.get(id);
            if (v == null) {
                continue;
            }
            StoredRecord r = v.current();
            if (consistency == Consistency.EVENTUAL && staleRate > 0) {
                List<Replaced> recent = recent(v.replaced(), clock.millis());
                if (!recent.isEmpty()) {
                    int pick = stalePick(recent.size());
                    if (pick >= 0) {
                        r = recent.get(pick).record();
                    }
                }
            }
            if (r != null) {
                found.put(id, copy(r));
            }
        }
        return found;
    }

    /** With probability staleRate, the index of the replaced state to return; else -1. */
    private synchronized int stalePick(int candidates) {
        return random.nextDouble() < staleRate ? random.nextInt(candidates) : -1;
    }

    private static List<Replaced> recent(List<Replaced> replaced, long nowMillis) {
        List<Replaced> recent = new ArrayList<>(replaced.size());
        for (Replaced r : replaced) {
            if (nowMillis - r.replacedAtMillis() < STALE_WINDOW.toMillis()) {
                recent.add(r);
            }
        }
        return recent;
    }

    @Override
    public void commit(ActorId id, long expectedVersion, StoredRecord next) {
        StateStore.checkCommit(id, expectedVersion, next);
        StoredRecord stored = copy(next);
        commits.increment();
        records.compute(id, (k, current) -> {
            long currentVersion = current == null ? 0 : current.current().version();
            if (currentVersion != expectedVersion) {
                throw new VersionConflictException(id, expectedVersion);
            }
            if (staleRate == 0) {
                return new Versions(stored, List.of()); // no stale reads: replaced states are never served
            }
            long now = clock.millis();
            List<Replaced> replaced = new ArrayList<>(MAX_STALE_STATES);
            replaced.add(new Replaced(current == null ? null : current.current(), now));
            if (current != null) {
                for (Replaced r : recent(current.replaced(), now)) {
                    if (replaced.size() == MAX_STALE_STATES) {
                        break;
                    }
                    replaced.add(r);
                }
            }
            return new Versions(stored, List.copyOf(replaced));
        });
    }

    @Override
    public void putArchive(ActorId id, String chunkId, byte[] data, Instant expiresAt) {
        Objects.requireNonNull(id, "id");
        StateStore.checkArchive(chunkId, data);
        Objects.requireNonNull(expiresAt, "expiresAt");
        archiveWrites.increment();
        archive.put(id.groupId() + " " + chunkId, new Chunk(data.clone(), expiresAt));
    }

    @Override
    public Optional<byte[]> loadArchive(ActorId id, String chunkId) {
        Objects.requireNonNull(id, "id");
        StateStore.checkArchive(chunkId, NO_BYTES);
        archiveReads.increment();
        Chunk c = archive.get(id.groupId() + " " + chunkId);
        return c == null ? Optional.empty() : Optional.of(c.data().clone());
    }

    /** Deletes the archive chunks expired by now, as DynamoDB's TTL eventually does. Returns how many. */
    public int deleteExpiredArchive() {
        Instant now = clock.instant();
        int before = archive.size();
        archive.values().removeIf(c -> !c.expiresAt().isAfter(now));
        return before - archive.size();
    }

    /** Every actor that has a record, in no particular order. */
    public List<ActorId> actorIds() {
        return List.copyOf(records.keySet());
    }

    /** Strongly consistent load calls so far (each id of a loadAll counts once). */
    public long loadCount() {
        return loads.sum();
    }

    /** Eventually consistent loads so far (each id counts once). */
    public long eventualLoadCount() {
        return eventualLoads.sum();
    }

    /** Commit calls so far, including those that conflicted. */
    public long commitCount() {
        return commits.sum();
    }

    /** Archive chunks written so far. */
    public long archiveWriteCount() {
        return archiveWrites.sum();
    }

    /** Archive chunk reads so far. */
    public long archiveReadCount() {
        return archiveReads.sum();
    }

    /** Archive chunks kept now. */
    public int archiveSize() {
        return archive.size();
    }

    private static StoredRecord copy(StoredRecord r) {
        return new StoredRecord(r.version(), r.state().clone(), r.control().clone(), r.attention());
    }

    /** Builds an {@link InMemoryStateStore}; not thread-safe. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private double staleRate;
        private long seed = 1;

        private Builder() {
        }

        /** The time source for the stale-read window and archive expiry (default system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Makes an eventually consistent read return, with probability {@code rate}, one of the states the record
         * had in the last {@link #STALE_WINDOW} instead of the current one (possibly no record, right after the first
         * commit); draws from a random source seeded with {@code seed}.
         */
        public Builder staleReads(double rate, long seed) {
            if (!(rate >= 0 && rate <= 1)) {
                throw new ConfigurationException("stale read rate must be 0 to 1, was " + rate);
            }
            this.staleRate = rate;
            this.seed = seed;
            return this;
        }

        public InMemoryStateStore build() {
            return new InMemoryStateStore(this);
        }
    }
}
