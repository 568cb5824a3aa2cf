package io.fifoactors.core.runtime;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The FIFO batch-failure rule, as a pure function: when message k of group g fails, k and every later message of g in
 * the batch are failed too (so g's order survives the retry), while every other group's results stand. This is
 * finer than failing the whole rest of the batch, which needlessly redelivers other actors' messages.
 *
 * <pre>{@code
 * List<Delivery> retry = FifoBatchFailures.failedWithSuffix(batch, Delivery::groupId, failedSet::contains);
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class FifoBatchFailures {
    private FifoBatchFailures() {
    }

    /**
     * The messages to report as failed, in batch order: every message for which {@code failed} holds, and every
     * message after it in the batch with the same group.
     */
    public static <T> List<T> failedWithSuffix(List<T> batch, Function<T, String> groupOf, Predicate<T> failed) {
        Set<String> brokenGroups = new HashSet<>();
        List<T> out = new ArrayList<>();
        for (T item : batch) {
            String group = groupOf.apply(item);
            if (brokenGroups.contains(group) || failed.test(item)) {
                brokenGroups.add(group);
                out.add(item);
            }
        }
        return out;
    }
}
