package io.fifoactors.examples;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Counts which paths the tries of a property took, so that a property can check it explored the cases it is about
 * (a property whose generator never reaches a case passes without testing it). The check applies only to runs of at
 * least {@link #MIN_TRIES} tries; fewer prove nothing either way.
 *
 * <p>Not thread-safe; a property's tries run on one thread.
 */
public final class Coverage {
    /** The fewest tries for which the coverage is checked. */
    public static final int MIN_TRIES = 200;

    private final String property;
    private final Map<String, Integer> counts = new TreeMap<>();

    public Coverage(String property) {
        this.property = property;
    }

    public void count(String label) {
        counts.merge(label, 1, Integer::sum);
    }

    /** Fails unless every one of {@code labels} was counted, when the run had at least {@link #MIN_TRIES} tries. */
    public void require(List<String> labels) {
        System.out.println(property + " coverage: " + counts);
        if (tries() < MIN_TRIES) {
            return;
        }
        for (String l : labels) {
            assertTrue(counts.getOrDefault(l, 0) > 0, property + ": no try reached \"" + l + "\" in " + tries()
                    + " tries; reached: " + counts);
        }
    }

    /** The tries of a property that sets none in its code. */
    public static int tries() {
        return Integer.getInteger("fa.property.tries", 100);
    }
}
