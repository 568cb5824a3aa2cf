package io.fifoactors.contract;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.RecordTooLargeException;
import io.fifoactors.core.VersionConflictException;
import io.fifoactors.core.port.Consistency;
import io.fifoactors.core.port.StateStore;
import io.fifoactors.core.port.StoredRecord;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Seeded random operation sequences on a {@link StateStore}, each step checked against an executable model of
 * DynamoDB's single-item semantics. Every adapter runs the same sequences (the operations depend only on the seed and
 * the model, never on what the store answered), so two adapters that both pass agree with each other step by step:
 * same records, same outcomes, same exception types.
 *
 * <p>What each step must return:
 * <ul>
 *   <li>{@code load} and {@code loadAll(STRONG)}: exactly the model's latest records (absent actors missing).</li>
 *   <li>{@code loadAll(EVENTUAL)}: for each requested actor, one of its <em>allowed</em> states at the time of the
 *       read: the latest state, or any state a commit replaced less than {@link #EVENTUAL_WINDOW} ago (by the clock
 *       given to the fixture), "no record" included if the first commit was that recent. Byte for byte, so never a
 *       torn record, and never a write that failed. DynamoDB documents no bound on staleness; the window is the
 *       in-memory model's ({@code InMemoryStateStore.STALE_WINDOW}), and a store that is always fresh (dynalite)
 *       always passes. Eventual reads are not required to be monotonic, nor to be as new as an earlier strong read:
 *       DynamoDB promises neither.</li>
 *   <li>{@code commit}: success, or exactly {@link VersionConflictException} (wrong expected version),
 *       {@link RecordTooLargeException} (over {@link StateStore#MAX_RECORD_BYTES}) or
 *       {@link IllegalArgumentException} (next version not expected + 1); records up to the limit.</li>
 *   <li>{@code putArchive} and {@code loadArchive}: success or exactly {@link IllegalArgumentException} (bad chunk
 *       id, chunk over {@link StateStore#MAX_ARCHIVE_BYTES}); a chunk reads back byte for byte until it expires, and
 *       after that either byte for byte or not at all.</li>
 * </ul>
 *
 * <p>{@value #SEQUENCES_PROPERTY} sequences of {@value #OPERATIONS} operations run (default
 * {@value #DEFAULT_SEQUENCES}; the Maven profile {@code soak} sets 1000), each on a fresh store, from the seed
 * {@value #SEED_PROPERTY} (default fixed). A failure names the seed, the sequence and the step, and
 * {@value #SEQUENCE_PROPERTY} replays that one sequence.
 *
 * <pre>{@code
 * class MyStoreFuzzTest extends StateStoreFuzzContract {
 *     protected StateStoreFixture newStore(Clock clock) {
 *         return StateStoreFixture.of(MyStore.create(clock), () -> { });
 *     }
 * }
 * }</pre>
 *
 * <p>Runs single-threaded.
 */
public abstract class StateStoreFuzzContract {
    /** System property: how many sequences to run. */
    public static final String SEQUENCES_PROPERTY = "fa.fuzz.sequences";
    /** System property: the seed of the run. */
    public static final String SEED_PROPERTY = "fa.fuzz.seed";
    /** System property: run only the sequence of this index (a replay). */
    public static final String SEQUENCE_PROPERTY = "fa.fuzz.sequence";
    public static final int DEFAULT_SEQUENCES = 12;
    public static final long DEFAULT_SEED = 0x5EEDF1F0L;
    public static final int OPERATIONS = 60;
    /** How old a replaced state an eventually consistent read may still return. */
    public static final Duration EVENTUAL_WINDOW = Duration.ofSeconds(1);
    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private static final int ACTORS = 4;
    private static final List<String> CHUNK_IDS = List.of("m-0", "m-1", "m-2", "!#/:~", "x".repeat(62) + "-z");
    private static final List<String> BAD_CHUNK_IDS = List.of("", "x".repeat(65), "a b", "caf\u00e9", "tab\t");

    /**
     * A fresh, empty store (its own table or namespace). A store with a notion of time (stale reads, archive expiry)
     * takes it from {@code clock}, which the fuzz advances; others ignore it.
     */
    protected abstract StateStoreFixture newStore(Clock clock);

    @Test
    void randomOperationSequencesBehaveLikeDynamoDb() {
        int sequences = Integer.getInteger(SEQUENCES_PROPERTY, DEFAULT_SEQUENCES);
        long seed = Long.getLong(SEED_PROPERTY, DEFAULT_SEED);
        Integer only = Integer.getInteger(SEQUENCE_PROPERTY);
        int ran = 0;
        for (int i = 0; i < sequences; i++) {
            if (only != null && i != only) {
                continue;
            }
            MutableClock clock = new MutableClock(START);
            try (StateStoreFixture fixture = newStore(clock)) {
                new Sequence(fixture.store(), clock, seed, i).run();
            }
            ran++;
        }
        if (ran == 0) {
            throw new AssertionError("no sequence ran: " + SEQUENCE_PROPERTY + "=" + only + " is not below "
                    + SEQUENCES_PROPERTY + "=" + sequences);
        }
        System.out.println(getClass().getSimpleName() + ": " + ran + " StateStore fuzz sequences of " + OPERATIONS
                + " operations from seed " + seed + " behaved like DynamoDB");
    }

    /** The random source of sequence {@code index} of a run: the same on every adapter. */
    static SplittableRandom randomOf(long seed, int index) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (index + 1)));
    }

    /** A clock the fuzz moves forward by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(long millis) {
            now = now.plusMillis(millis);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("a fuzz clock has one zone");
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** A state an actor's record had until {@code replacedAt}; a null record: no record yet. */
    private record Replaced(StoredRecord record, Instant replacedAt) {
    }

    private static final class ActorModel {
        StoredRecord current;
        final List<Replaced> replaced = new ArrayList<>();
    }

    private record Chunk(byte[] data, Instant expiresAt) {
    }

    /** One sequence: the store under test, the model, the random source and a short trace for failure messages. */
    private static final class Sequence {
        private final StateStore store;
        private final MutableClock clock;
        private final long seed;
        private final int index;
        private final SplittableRandom random;
        private final List<ActorId> actors = new ArrayList<>();
        private final ActorId neverCommitted;
        private final Map<ActorId, ActorModel> records = new HashMap<>();
        private final Map<String, Chunk> chunks = new HashMap<>();
        private final Map<String, byte[]> chunkBytes = new HashMap<>();
        private final Deque<String> trace = new ArrayDeque<>();
        private int step;

        Sequence(StateStore store, MutableClock clock, long seed, int index) {
            this.store = store;
            this.clock = clock;
            this.seed = seed;
            this.index = index;
            this.random = randomOf(seed, index);
            for (int k = 0; k < ACTORS - 1; k++) {
                actors.add(ActorId.of("fuzz", "s" + index + "-a" + k));
            }
            actors.add(ActorId.of("fuzz", "s" + index + "-!#:/~" + (ACTORS - 1)));
            neverCommitted = ActorId.of("fuzz", "s" + index + "-nobody");
            for (ActorId id : actors) {
                records.put(id, new ActorModel());
            }
            records.put(neverCommitted, new ActorModel());
        }

        void run() {
            for (step = 0; step < OPERATIONS; step++) {
                clock.advance(random.nextInt(30));
                int op = random.nextInt(100);
                try {
                    if (op < 12) {
                        load();
                    } else if (op < 22) {
                        loadAll(Consistency.STRONG);
                    } else if (op < 36) {
                        loadAll(Consistency.EVENTUAL);
                    } else if (op < 66) {
                        commit();
                    } else if (op < 78) {
                        putArchive();
                    } else if (op < 90) {
                        loadArchive();
                    } else {
                        long millis = random.nextInt(700);
                        note("advance " + millis + " ms");
                        clock.advance(millis);
                    }
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError("StateStore fuzz failed at sequence " + index + " of seed " + seed
                            + ", step " + step + ": " + e.getMessage() + "\n  last steps: " + String.join("; ", trace)
                            + "\n  replay: -D" + SEED_PROPERTY + "=" + seed + " -D" + SEQUENCE_PROPERTY + "=" + index,
                            e);
                }
            }
        }

        private void note(String what) {
            trace.addLast(step + " " + what);
            if (trace.size() > 8) {
                trace.removeFirst();
            }
        }

        private ActorId anyActor() {
            return random.nextInt(10) == 0 ? neverCommitted : actors.get(random.nextInt(actors.size()));
        }

        // -------------------------------------------------------------- records

        private void load() {
            ActorId id = anyActor();
            note("load " + id);
            Optional<StoredRecord> got = store.load(id);
            StoredRecord expected = records.get(id).current;
            check(expected == null ? got.isEmpty() : got.isPresent() && same(expected, got.get()),
                    "load " + id + " returned " + got.map(StoredRecord::toString).orElse("nothing") + ", expected "
                            + (expected == null ? "nothing" : expected));
        }

        private void loadAll(Consistency consistency) {
            List<ActorId> asked = new ArrayList<>();
            int n = 1 + random.nextInt(6);
            for (int i = 0; i < n; i++) {
                asked.add(anyActor());
            }
            note("loadAll " + consistency + " " + asked);
            Map<ActorId, StoredRecord> got = store.loadAll(asked, consistency);
            Set<ActorId> distinct = new LinkedHashSet<>(asked);
            for (ActorId id : got.keySet()) {
                check(distinct.contains(id), "loadAll returned " + id + ", which was not asked for");
            }
            Instant now = clock.instant();
            for (ActorId id : distinct) {
                StoredRecord r = got.get(id);
                ActorModel m = records.get(id);
                if (consistency == Consistency.STRONG) {
                    check(m.current == null ? r == null : r != null && same(m.current, r), "strong loadAll of " + id
                            + " returned " + r + ", expected " + m.current);
                } else {
                    check(allowed(m, now, r), "eventual loadAll of " + id + " returned " + r + ", which was not its"
                            + " state at any time in the last " + EVENTUAL_WINDOW + " (latest " + m.current + ")");
                }
            }
        }

        private static boolean allowed(ActorModel m, Instant now, StoredRecord r) {
            if (m.current == null ? r == null : r != null && same(m.current, r)) {
                return true;
            }
            for (Replaced old : m.replaced) {
                boolean recent = Duration.between(old.replacedAt(), now).compareTo(EVENTUAL_WINDOW) < 0;
                boolean match = old.record() == null ? r == null : r != null && same(old.record(), r);
                if (recent && match) {
                    return true;
                }
            }
            return false;
        }

        private void commit() {
            ActorId id = actors.get(random.nextInt(actors.size()));
            ActorModel m = records.get(id);
            long current = m.current == null ? 0 : m.current.version();
            int kind = random.nextInt(100);
            long expected = current;
            long nextVersion;
            int size = smallOrMediumSize();
            if (kind < 65) {
                nextVersion = expected + 1;
            } else if (kind < 85) {
                long[] wrong = {current + 1, current + 2, Math.max(0, current - 1), 0};
                expected = wrong[random.nextInt(wrong.length)];
                if (expected == current) {
                    expected = current + 1;
                }
                nextVersion = expected + 1;
            } else if (kind < 91) {
                nextVersion = random.nextBoolean() ? expected + 2 : Math.max(1, expected);
                if (nextVersion == expected + 1) {
                    nextVersion = expected + 3;
                }
            } else if (kind < 95) {
                nextVersion = expected + 1;
                size = (int) StateStore.MAX_RECORD_BYTES + 1 + random.nextInt(3);
            } else {
                nextVersion = expected + 1;
                size = (int) StateStore.MAX_RECORD_BYTES - random.nextInt(3);
            }
            int stateSize = size == 0 ? 0 : random.nextInt(size + 1);
            StoredRecord next = new StoredRecord(nextVersion, bytes(stateSize), bytes(size - stateSize));
            Class<? extends Throwable> outcome;
            if (nextVersion != expected + 1) {
                outcome = IllegalArgumentException.class;
            } else if (next.sizeBytes() > StateStore.MAX_RECORD_BYTES) {
                outcome = RecordTooLargeException.class;
            } else if (expected != current) {
                outcome = VersionConflictException.class;
            } else {
                outcome = null;
            }
            note("commit " + id + " expected " + expected + " next " + next + " -> "
                    + (outcome == null ? "ok" : outcome.getSimpleName()));
            long expectedVersion = expected;
            expectOutcome(outcome, () -> store.commit(id, expectedVersion, next));
            if (outcome == null) {
                m.replaced.add(new Replaced(m.current, clock.instant()));
                m.current = new StoredRecord(next.version(), next.state().clone(), next.control().clone());
            }
        }

        private int smallOrMediumSize() {
            int r = random.nextInt(100);
            if (r < 70) {
                return random.nextInt(41);
            }
            if (r < 95) {
                return 100 + random.nextInt(6000);
            }
            return 30_000 + random.nextInt(70_000);
        }

        private byte[] bytes(int n) {
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) {
                b[i] = (byte) random.nextInt(256);
            }
            return b;
        }

        // -------------------------------------------------------------- archive

        private void putArchive() {
            ActorId id = anyActor();
            Instant expiresAt = clock.instant().plusMillis(random.nextInt(15_000) - 5_000);
            int kind = random.nextInt(100);
            if (kind < 8) {
                String bad = BAD_CHUNK_IDS.get(random.nextInt(BAD_CHUNK_IDS.size()));
                note("putArchive " + id + " bad chunk id '" + bad + "'");
                expectOutcome(IllegalArgumentException.class, () -> store.putArchive(id, bad, new byte[] {1},
                        expiresAt));
                return;
            }
            if (kind < 13) {
                // A chunk over the limit, under an id nobody wrote: refused, and nothing is stored.
                String chunkId = "big-" + step;
                byte[] over = bytes(StateStore.MAX_ARCHIVE_BYTES + 1 + random.nextInt(3));
                note("putArchive " + id + " " + chunkId + " " + over.length + " B -> IllegalArgumentException");
                expectOutcome(IllegalArgumentException.class, () -> store.putArchive(id, chunkId, over, expiresAt));
                Optional<byte[]> after = store.loadArchive(id, chunkId);
                check(after.isEmpty(), "a refused chunk was stored");
                return;
            }
            String chunkId = CHUNK_IDS.get(random.nextInt(CHUNK_IDS.size()));
            String key = id.groupId() + " " + chunkId;
            // A chunk id always carries the same bytes, as the port requires.
            byte[] data = chunkBytes.computeIfAbsent(key, k -> bytes(chunkSize()));
            note("putArchive " + id + " " + chunkId + " " + data.length + " B until " + expiresAt);
            byte[] given = data.clone();
            expectOutcome(null, () -> store.putArchive(id, chunkId, given, expiresAt));
            Arrays.fill(given, (byte) 7); // the store must have copied
            chunks.put(key, new Chunk(data, expiresAt));
        }

        private int chunkSize() {
            int r = random.nextInt(100);
            if (r < 40) {
                return random.nextInt(101);
            }
            if (r < 80) {
                return 100 + random.nextInt(4000);
            }
            if (r < 95) {
                return 4000 + random.nextInt(56_000);
            }
            return StateStore.MAX_ARCHIVE_BYTES;
        }

        private void loadArchive() {
            ActorId id = anyActor();
            if (random.nextInt(100) < 8) {
                String bad = BAD_CHUNK_IDS.get(random.nextInt(BAD_CHUNK_IDS.size()));
                note("loadArchive " + id + " bad chunk id '" + bad + "'");
                expectOutcome(IllegalArgumentException.class, () -> store.loadArchive(id, bad));
                return;
            }
            String chunkId = CHUNK_IDS.get(random.nextInt(CHUNK_IDS.size()));
            note("loadArchive " + id + " " + chunkId);
            Optional<byte[]> got = store.loadArchive(id, chunkId);
            Chunk c = chunks.get(id.groupId() + " " + chunkId);
            if (c == null) {
                check(got.isEmpty(), "loadArchive " + id + " " + chunkId + " returned a chunk never written");
            } else if (clock.instant().isBefore(c.expiresAt())) {
                check(got.isPresent() && Arrays.equals(c.data(), got.get()), "loadArchive " + id + " " + chunkId
                        + " before it expired returned " + got.map(b -> b.length + " B").orElse("nothing")
                        + ", expected its " + c.data().length + " B");
            } else {
                check(got.isEmpty() || Arrays.equals(c.data(), got.get()), "loadArchive " + id + " " + chunkId
                        + " after it expired returned other bytes");
            }
        }

        // -------------------------------------------------------------- checks

        private void expectOutcome(Class<? extends Throwable> expected, Runnable call) {
            Throwable thrown = null;
            try {
                call.run();
            } catch (RuntimeException e) {
                thrown = e;
            }
            if (expected == null && thrown != null) {
                throw new AssertionError("expected success, got " + thrown, thrown);
            }
            if (expected != null && (thrown == null || thrown.getClass() != expected)) {
                throw new AssertionError("expected " + expected.getSimpleName() + ", got "
                        + (thrown == null ? "success" : thrown.toString()), thrown);
            }
        }

        private static void check(boolean ok, String message) {
            if (!ok) {
                throw new AssertionError(message);
            }
        }

        private static boolean same(StoredRecord a, StoredRecord b) {
            return a.version() == b.version() && Arrays.equals(a.state(), b.state())
                    && Arrays.equals(a.control(), b.control());
        }
    }
}
