package io.fifoactors.sqs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Plans the SendMessageBatch requests of one send so that each group's messages are enqueued in list order even
 * when some entries of a request fail, and no request exceeds SQS's limits: every request holds at most
 * {@value #MAX_ENTRIES} entries, at most one entry per group, and at most {@code maxPayload} bytes in total (SQS
 * refuses a whole request whose messages add up to more than its batch limit). Round {@code r} carries the
 * {@code r}-th message of every group that has one (groups in order of first appearance), split into requests;
 * requests run one after another, and a request's failed entries are retried before the next request is sent, so no
 * message is enqueued before an earlier one of its group.
 *
 * <p>Stateless and thread-safe.
 */
final class SendPlanner {
    /** SQS's batch limit. */
    static final int MAX_ENTRIES = 10;

    private SendPlanner() {
    }

    /** As {@link #plan(List, Function, ToLongFunction, long)} with no payload limit. */
    static <T> List<List<Integer>> plan(List<T> items, Function<T, String> groupOf) {
        return plan(items, groupOf, t -> 0, Long.MAX_VALUE);
    }

    /**
     * The requests, each a list of indexes into {@code items}, in the order they must be sent.
     *
     * @param groupOf    the group of an item
     * @param sizeOf     an item's size as the batch limit counts it
     * @param maxPayload the most bytes one request may carry (an item larger than that goes alone)
     */
    static <T> List<List<Integer>> plan(List<T> items, Function<T, String> groupOf, ToLongFunction<T> sizeOf,
                                        long maxPayload) {
        Map<String, List<Integer>> byGroup = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            byGroup.computeIfAbsent(groupOf.apply(items.get(i)), g -> new ArrayList<>()).add(i);
        }
        int rounds = 0;
        for (List<Integer> group : byGroup.values()) {
            rounds = Math.max(rounds, group.size());
        }
        List<List<Integer>> requests = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            List<Integer> current = new ArrayList<>(MAX_ENTRIES);
            long payload = 0;
            for (List<Integer> group : byGroup.values()) {
                if (round >= group.size()) {
                    continue;
                }
                int index = group.get(round);
                long size = sizeOf.applyAsLong(items.get(index));
                if (!current.isEmpty() && (current.size() == MAX_ENTRIES || payload + size > maxPayload)) {
                    requests.add(List.copyOf(current));
                    current.clear();
                    payload = 0;
                }
                current.add(index);
                payload += size;
            }
            if (!current.isEmpty()) {
                requests.add(List.copyOf(current));
            }
        }
        return requests;
    }
}
