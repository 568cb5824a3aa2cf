package io.fifoactors.sqs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Plans the SendMessageBatch requests of one send so that each group's messages are enqueued in list order even
 * when some entries of a request fail: every request holds at most {@value #MAX_ENTRIES} entries and at most one
 * entry per group. Round {@code r} carries the {@code r}-th message of every group that has one (groups in order of
 * first appearance), split into requests of at most ten; requests run one after another, and a request's failed
 * entries are retried before the next request is sent, so no message is enqueued before an earlier one of its
 * group.
 *
 * <p>Stateless and thread-safe.
 */
final class SendPlanner {
    /** SQS's batch limit. */
    static final int MAX_ENTRIES = 10;

    private SendPlanner() {
    }

    /**
     * The requests, each a list of indexes into {@code items}, in the order they must be sent.
     *
     * @param groupOf the group of an item
     */
    static <T> List<List<Integer>> plan(List<T> items, Function<T, String> groupOf) {
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
            for (List<Integer> group : byGroup.values()) {
                if (round < group.size()) {
                    current.add(group.get(round));
                    if (current.size() == MAX_ENTRIES) {
                        requests.add(List.copyOf(current));
                        current.clear();
                    }
                }
            }
            if (!current.isEmpty()) {
                requests.add(List.copyOf(current));
            }
        }
        return requests;
    }
}
