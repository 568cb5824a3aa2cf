package io.fifoactors.property;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Where generators take their randomness from, and the record of every choice they took.
 *
 * <p>Every generator reduces to a sequence of choices, each an unsigned number in {@code [0, maxIndex]}, where a
 * smaller choice means a simpler value. A generating source draws the choices at random and records them; a replaying
 * source reads them back from a given sequence, which is how a try is replayed and how shrinking works: the shrinker
 * edits the recorded sequence (deletes parts, lowers numbers) and replays it through the same generators, so shrinking
 * goes through {@code map}, {@code flatMap} and {@code filter} without any of them knowing about it.
 *
 * <p>Not thread-safe: one source serves one try on one thread.
 */
final class Source {
    /** More choices than this in one try means a runaway generator (a recursion through flatMap, say). */
    static final int MAX_CHOICES = 100_000;

    /** Present when generating; a replaying source has none and takes 0 (the simplest choice) past its sequence. */
    private final SplittableRandom random;
    private final long[] replayed;
    private long[] choices = new long[32];
    private int size;
    /** Stretches of choices that can go as a whole: a list element past the minimum size, a rejected draw. */
    private final List<int[]> deletable = new ArrayList<>();

    private Source(SplittableRandom random, long[] replayed) {
        this.random = random;
        this.replayed = replayed;
    }

    static Source generating(long seed) {
        return new Source(new SplittableRandom(seed), new long[0]);
    }

    static Source replaying(long[] choices) {
        return new Source(null, choices.clone());
    }

    boolean generating() {
        return random != null;
    }

    /**
     * A choice in {@code [0, maxIndex]} (unsigned). When generating, about one draw in eleven is 0 or
     * {@code maxIndex}, because bugs live at the edges (0, the bounds) and uniform
     * draws over a wide range almost never hit them.
     */
    long choose(long maxIndex) {
        if (size < replayed.length) {
            // an edited sequence may hold a number too big for this choice: the largest allowed is the closest
            return record(Long.compareUnsigned(replayed[size], maxIndex) <= 0 ? replayed[size] : maxIndex);
        }
        if (random == null) {
            return record(0);
        }
        int edge = random.nextInt(32);
        if (edge == 0) {
            return record(0);
        } else if (edge <= 2) {
            return record(maxIndex);
        }
        return record(uniform(maxIndex));
    }

    /** A choice in {@code [0, maxIndex]} (unsigned), uniform when generating: for choices with weights. */
    long chooseUniformly(long maxIndex) {
        return random != null ? record(uniform(maxIndex)) : choose(maxIndex);
    }

    /**
     * When generating, records {@code generated} as the choice (its caller decided it, e.g. from a planned list
     * length); when replaying, reads the choice like {@link #choose(long)}.
     */
    long chooseAs(long maxIndex, long generated) {
        return generating() ? record(generated) : choose(maxIndex);
    }

    /**
     * A random number in {@code [0, maxIndex]} that is not recorded, for plans that the recorded choices encode (see
     * {@link #chooseAs}); replaying, where the plan does not matter, 0.
     */
    long unrecorded(long maxIndex) {
        return random == null ? 0 : uniform(maxIndex);
    }

    private long uniform(long maxIndex) {
        if (maxIndex == -1L) {
            return random.nextLong();
        }
        if (maxIndex >= 0) {
            return maxIndex == Long.MAX_VALUE ? random.nextLong() >>> 1 : random.nextLong(maxIndex + 1);
        }
        // above 2^63 (unsigned): at least half of all longs are in range, so this loop ends quickly
        long v;
        do {
            v = random.nextLong();
        } while (Long.compareUnsigned(v, maxIndex) > 0);
        return v;
    }

    private long record(long choice) {
        if (size == MAX_CHOICES) {
            throw new GenerationException("one try took more than " + MAX_CHOICES
                    + " random choices: a generator does not terminate (a flatMap recursing without a bound?)");
        }
        if (size == choices.length) {
            choices = Arrays.copyOf(choices, size * 2);
        }
        choices[size++] = choice;
        return choice;
    }

    /** How many choices were taken so far: where the next one will be. */
    int position() {
        return size;
    }

    /** The choices from {@code start} to now describe something the value still makes sense without. */
    void deletable(int start) {
        if (start < size) {
            deletable.add(new int[] {start, size});
        }
    }

    /** The deletable stretches, each {@code {start, end}}, by start, the outer before the inner. */
    List<int[]> deletableStretches() {
        List<int[]> sorted = new ArrayList<>(deletable);
        sorted.sort(Comparator.<int[]>comparingInt(r -> r[0]).thenComparingInt(r -> -r[1]));
        return sorted;
    }

    /** The choices taken so far, in order. */
    long[] choices() {
        return Arrays.copyOf(choices, size);
    }
}
