package io.fifoactors.sqs;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SendPlannerTest {
    private static final Function<String, String> GROUP = s -> s.substring(0, s.indexOf(':'));

    @Test
    void roundRCarriesTheRthMessageOfEveryGroup() {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            items.add("a:" + i);
            items.add("b:" + i);
        }
        items.add("c:0");
        List<List<Integer>> plan = SendPlanner.plan(items, GROUP);
        assertEquals(List.of(List.of(0, 1, 6), List.of(2, 3), List.of(4, 5)), plan);
    }

    @Test
    void aRoundWithMoreThanTenGroupsIsSplitIntoRequestsOfTen() {
        List<String> items = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (int g = 0; g < 23; g++) {
                items.add("g" + g + ":" + round);
            }
        }
        List<List<Integer>> plan = SendPlanner.plan(items, GROUP);
        assertEquals(List.of(10, 10, 3, 10, 10, 3), plan.stream().map(List::size).toList());
        checkPlan(items, plan);
    }

    @Test
    void aSingleGroupCostsOneRequestPerMessage() {
        List<String> items = List.of("a:0", "a:1", "a:2");
        assertEquals(List.of(List.of(0), List.of(1), List.of(2)), SendPlanner.plan(items, GROUP));
    }

    @Test
    void noRequestCarriesMoreThanThePayloadLimitAndAnOversizedItemGoesAlone() {
        List<String> items = List.of("a:0", "b:0", "c:0", "d:0", "a:1", "e:0");
        Map<String, Long> size = Map.of("a:0", 100L, "b:0", 100L, "c:0", 60L, "d:0", 300L, "a:1", 10L, "e:0", 10L);
        List<List<Integer>> plan = SendPlanner.plan(items, GROUP, size::get, 250);
        assertEquals(List.of(List.of(0, 1), List.of(2), List.of(3), List.of(5), List.of(4)), plan);
        checkPlan(items, plan);
    }

    @Test
    void randomSizesGiveValidPlansWithinThePayloadLimit() {
        Random random = new Random(11);
        for (int trial = 0; trial < 300; trial++) {
            int n = random.nextInt(60);
            Map<String, Integer> next = new HashMap<>();
            List<String> items = new ArrayList<>();
            Map<String, Long> sizes = new HashMap<>();
            for (int i = 0; i < n; i++) {
                String g = "g" + random.nextInt(12);
                String item = g + ":" + (next.merge(g, 1, Integer::sum) - 1);
                items.add(item);
                sizes.put(item, (long) random.nextInt(120_000));
            }
            List<List<Integer>> plan = SendPlanner.plan(items, GROUP, sizes::get, 262_144);
            checkPlan(items, plan);
            for (List<Integer> request : plan) {
                long total = request.stream().mapToLong(i -> sizes.get(items.get(i))).sum();
                assertTrue(total <= 262_144 || request.size() == 1, "request of " + total + " bytes");
            }
        }
    }

    @Test
    void nothingToSendMeansNoRequest() {
        assertEquals(List.of(), SendPlanner.plan(List.<String>of(), GROUP));
    }

    @Test
    void randomListsGiveValidPlans() {
        Random random = new Random(42);
        for (int trial = 0; trial < 300; trial++) {
            int groups = 1 + random.nextInt(30);
            int n = random.nextInt(120);
            Map<String, Integer> next = new HashMap<>();
            List<String> items = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String g = "g" + random.nextInt(groups);
                int k = next.merge(g, 1, Integer::sum) - 1;
                items.add(g + ":" + k);
            }
            checkPlan(items, SendPlanner.plan(items, GROUP));
        }
    }

    /** Every item once; at most 10 per request and one per group; each group's items in list order. */
    private static void checkPlan(List<String> items, List<List<Integer>> plan) {
        Set<Integer> seen = new HashSet<>();
        Map<String, Integer> lastIndexOfGroup = new HashMap<>();
        for (List<Integer> request : plan) {
            assertTrue(!request.isEmpty() && request.size() <= SendPlanner.MAX_ENTRIES, "request size " + request);
            Set<String> groups = new HashSet<>();
            for (int index : request) {
                assertTrue(seen.add(index), "item " + index + " planned twice");
                String group = GROUP.apply(items.get(index));
                assertTrue(groups.add(group), "two entries of group " + group + " in one request");
                Integer before = lastIndexOfGroup.put(group, index);
                assertTrue(before == null || before < index, "group " + group + " out of order");
            }
        }
        assertEquals(items.size(), seen.size());
    }
}
