package io.fifoactors.property;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Shrinks a failing case by editing the random choices that generated it (see {@link Source}) and replaying them.
 *
 * <p>An edit is kept when the replayed choices are smaller than the best so far (fewer choices, or the same number
 * and the first different one lower: "shortlex") and the property still fails with an exception of the same class.
 * The order guarantees progress; the class keeps the shrunk case about the same failure. The passes, repeated until
 * none helps or the budget of evaluations is spent: delete deletable stretches (list elements, rejected draws), lower
 * each choice (to 0, else by bisection), lower equal choices together, move an amount from one choice to a later one
 * (what turns {@code [60, 70]} with "sum &lt; 100" into {@code [100]}) and, when all these fail, delete any run of
 * up to 8 choices, else lower a choice by one and delete up to 8 after it (a size drawn by a flatMap, then an
 * element).
 *
 * <p>Not thread-safe: one shrinker shrinks one failure.
 */
final class Shrinker {
    /** The current best failing case. */
    record Case(long[] choices, List<int[]> deletable, List<Object> values, Throwable failure) {
    }

    private final Runner.Generation generation;
    private final Runner.Evaluation evaluation;
    private final Class<?> failureClass;
    private final int budget;
    private final Set<List<Long>> seen = new HashSet<>();
    private Case best;
    /** The choices the last candidate replayed to (as lowered to fit), or none if it described no value. */
    private long[] replayed = new long[0];
    private int steps;
    private int evaluations;

    Shrinker(Runner.Generation generation, Runner.Evaluation evaluation, Case failing, int budget) {
        this.generation = generation;
        this.evaluation = evaluation;
        this.failureClass = failing.failure().getClass();
        this.best = failing;
        this.budget = budget;
    }

    Case best() {
        return best;
    }

    /** How many edits were kept. */
    int steps() {
        return steps;
    }

    /** How many times the property ran. */
    int evaluations() {
        return evaluations;
    }

    boolean budgetSpent() {
        return evaluations >= budget;
    }

    void shrink() {
        boolean improved = true;
        while (improved && !budgetSpent()) {
            improved = deleteStretches() | lowerEach() | lowerEqualTogether() | moveBetween();
            if (!improved) {
                // the blind passes last, as they cost the most evaluations: they delete what no stretch covers,
                // like a list element below the minimum size together with the next element's "one more", or the
                // first element of a list whose size a flatMap drew just before
                improved = deleteChunks() || lowerAndDelete();
            }
        }
    }

    /**
     * Replays {@code candidate}, leaving the choices it replayed to in {@link #replayed}, and keeps it if it is smaller
     * and still fails the same way. Candidates that describe no value, are not smaller or were tried before cost no
     * evaluation.
     */
    private boolean tryCandidate(long[] candidate) {
        if (budgetSpent()) {
            replayed = new long[0];
            return false;
        }
        Source source = Source.replaying(candidate);
        List<Object> values;
        try {
            values = generation.generate(source);
        } catch (RuntimeException invalid) {
            replayed = new long[0];
            return false;
        }
        long[] used = source.choices();
        replayed = used;
        if (!smaller(used, best.choices()) || !seen.add(key(used))) {
            return false;
        }
        evaluations++;
        Optional<Throwable> failure = evaluation.evaluate(values);
        if (failure.isEmpty() || failure.get().getClass() != failureClass) {
            return false;
        }
        best = new Case(used, source.deletableStretches(), values, failure.get());
        steps++;
        return true;
    }

    private boolean deleteStretches() {
        boolean improved = false;
        // several neighbouring elements at once first: long lists shrink in fewer evaluations
        for (int count : new int[] {8, 4, 2, 1}) {
            for (int i = best.deletable().size() - count; i >= 0 && !budgetSpent(); i--) {
                List<int[]> stretches = best.deletable();
                if (i + count > stretches.size()) {
                    i = stretches.size() - count + 1;
                    continue;
                }
                int start = stretches.get(i)[0];
                int end = stretches.get(i)[1];
                boolean neighbours = true;
                for (int j = i + 1; j < i + count && neighbours; j++) {
                    neighbours = stretches.get(j)[0] == end;
                    end = stretches.get(j)[1];
                }
                if (neighbours) {
                    improved |= tryCandidate(without(best.choices(), start, end));
                }
            }
        }
        return improved;
    }

    private boolean deleteChunks() {
        boolean improved = false;
        for (int size = 8; size >= 1; size--) {
            for (int i = best.choices().length - size; i >= 0 && !budgetSpent(); i--) {
                if (i + size <= best.choices().length) {
                    improved |= tryCandidate(without(best.choices(), i, i + size));
                }
            }
        }
        return improved;
    }

    /** Lowers a choice by one and deletes up to 8 choices after it: a size, then one element less. */
    private boolean lowerAndDelete() {
        boolean improved = false;
        for (int i = 0; i < best.choices().length && !budgetSpent(); i++) {
            for (int size = 1; size <= 8 && i + 1 + size <= best.choices().length && best.choices()[i] != 0; size++) {
                long[] candidate = without(best.choices(), i + 1, i + 1 + size);
                candidate[i]--;
                improved |= tryCandidate(candidate);
            }
        }
        return improved;
    }

    private boolean lowerEach() {
        boolean improved = false;
        for (int i = 0; i < best.choices().length && !budgetSpent(); i++) {
            long[] at = best.choices();
            if (at[i] != 0) {
                improved |= lowerTo(new int[] {i}, at[i]);
            }
        }
        return improved;
    }

    private boolean lowerEqualTogether() {
        Map<Long, List<Integer>> positions = new LinkedHashMap<>();
        long[] c = best.choices();
        for (int i = 0; i < c.length; i++) {
            if (c[i] > 1 || c[i] < 0) { // 0 and 1 are everywhere (list markers, booleans) and go down alone
                positions.computeIfAbsent(c[i], v -> new ArrayList<>()).add(i);
            }
        }
        boolean improved = false;
        for (Map.Entry<Long, List<Integer>> e : positions.entrySet()) {
            if (e.getValue().size() > 1 && !budgetSpent() && best.choices().length == c.length) {
                improved |= lowerTo(e.getValue().stream().mapToInt(Integer::intValue).toArray(), e.getKey());
            }
        }
        return improved;
    }

    /**
     * Lowers the choices at {@code at}, all equal to {@code value}, together: 0 first, else the lowest failing value
     * by bisection (assuming, as usual, that lower values fail less often). Stops when an edit changed the structure.
     */
    private boolean lowerTo(int[] at, long value) {
        long[] original = best.choices();
        if (tryCandidate(with(original, at, 0))) {
            return true;
        }
        boolean improved = false;
        long passes = 0; // unsigned bisection: passes < fails
        long fails = value;
        while (Long.compareUnsigned(fails - passes, 1) > 0 && !budgetSpent()) {
            long mid = passes + ((fails - passes) >>> 1);
            if (tryCandidate(with(original, at, mid))) {
                improved = true;
                fails = mid;
                if (!Arrays.equals(best.choices(), with(original, at, mid))) {
                    break; // the edit changed what later choices mean: bisecting on the old sequence is moot
                }
            } else {
                passes = mid;
            }
        }
        return improved;
    }

    private boolean moveBetween() {
        boolean improved = false;
        for (int i = 0; i < best.choices().length && !budgetSpent(); i++) {
            for (int j = i + 1; j < Math.min(i + 9, best.choices().length) && best.choices()[i] != 0; j++) {
                // All of it first. A choice too big for its place replays as the largest allowed: [60, 70] with
                // "sum < 100" and elements up to 100 becomes [0, 100]. If that passes, as [90, 60] with "sum < 150"
                // ([0, 100]) does, then just what fills the later choice up ([50, 100]). Bisecting would cost more.
                long[] c = best.choices();
                if (tryCandidate(moved(c, i, j, c[i]))) {
                    improved = true;
                } else if (replayed.length == c.length && Long.compareUnsigned(replayed[j], c[j]) > 0
                        && Long.compareUnsigned(replayed[j], c[j] + c[i]) < 0) {
                    improved |= tryCandidate(moved(c, i, j, replayed[j] - c[j]));
                }
            }
        }
        return improved;
    }

    private static long[] without(long[] choices, int start, int end) {
        long[] c = new long[choices.length - (end - start)];
        System.arraycopy(choices, 0, c, 0, start);
        System.arraycopy(choices, end, c, start, choices.length - end);
        return c;
    }

    private static long[] with(long[] choices, int[] at, long value) {
        long[] c = choices.clone();
        for (int i : at) {
            c[i] = value;
        }
        return c;
    }

    private static long[] moved(long[] choices, int from, int to, long amount) {
        long[] c = choices.clone();
        c[from] -= amount;
        long sum = c[to] + amount;
        // an unsigned overflow saturates; replaying lowers a too-big choice to its largest value anyway
        c[to] = Long.compareUnsigned(sum, c[to]) < 0 ? -1L : sum;
        return c;
    }

    /** Shortlex: fewer choices, or as many and the first different one lower (unsigned). */
    static boolean smaller(long[] a, long[] b) {
        if (a.length != b.length) {
            return a.length < b.length;
        }
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                return Long.compareUnsigned(a[i], b[i]) < 0;
            }
        }
        return false;
    }

    private static List<Long> key(long[] choices) {
        List<Long> key = new ArrayList<>(choices.length);
        for (long c : choices) {
            key.add(c);
        }
        return key;
    }
}
