package io.fifoactors.inmemory;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The compact window against the plain model it replaces: a map of (group, id) to expiry and a FIFO of additions. */
class DedupWindowTest {
    private record Key(String group, String id) {
    }

    private record Added(Key key, long until) {
    }

    private static final class Model {
        final Map<Key, Long> until = new HashMap<>();
        final ArrayDeque<Added> order = new ArrayDeque<>();

        void expire(long now) {
            while (!order.isEmpty() && order.peekFirst().until() <= now) {
                Added a = order.removeFirst();
                until.remove(a.key(), a.until());
            }
        }

        boolean addIfAbsent(Key k, long u) {
            if (until.containsKey(k)) {
                return false;
            }
            until.put(k, u);
            order.addLast(new Added(k, u));
            return true;
        }
    }

    @Test
    void agreesWithAMapOfKeysToExpiriesOverManyRandomSequences() {
        for (int seed = 0; seed < 200; seed++) {
            Random random = new Random(seed);
            DedupWindow window = new DedupWindow();
            Model model = new Model();
            // few groups and ids, so keys repeat; sometimes many, so the ring and table grow and wrap
            int groups = 1 + random.nextInt(seed % 2 == 0 ? 4 : 300);
            int ids = 1 + random.nextInt(seed % 3 == 0 ? 5 : 2_000);
            long now = 0;
            int steps = 200 + random.nextInt(3_000);
            for (int step = 0; step < steps; step++) {
                if (random.nextInt(10) == 0) {
                    now += random.nextInt(400);
                    window.expire(now);
                    model.expire(now);
                }
                String g = "g/" + random.nextInt(groups);
                String id = random.nextInt(8) == 0 ? "é-" + random.nextInt(ids) : "m-" + random.nextInt(ids);
                long until = now + 300;
                assertEquals(model.addIfAbsent(new Key(g, id), until), window.addIfAbsent(g, id, until),
                        "seed " + seed + " step " + step);
                assertEquals(model.until.size(), window.size(), "seed " + seed + " step " + step);
            }
            now += 1_000;
            window.expire(now);
            model.expire(now);
            assertEquals(0, window.size());
            assertTrue(window.addIfAbsent("g/0", "m-0", now + 1));
        }
    }

    @Test
    void aKeyIsItsGroupAndIdTogetherNotTheirConcatenation() {
        DedupWindow window = new DedupWindow();
        assertTrue(window.addIfAbsent("ab", "c", 10));
        assertTrue(window.addIfAbsent("a", "bc", 10));
        assertFalse(window.addIfAbsent("ab", "c", 10));
        assertFalse(window.addIfAbsent("a", "bc", 10));
        window.expire(9);
        assertEquals(2, window.size());
        window.expire(10);
        assertEquals(0, window.size());
        assertTrue(window.addIfAbsent("ab", "c", 20));
    }

    @Test
    void holdsAMillionKeysAndForgetsThemInOrder() {
        DedupWindow window = new DedupWindow();
        for (int i = 0; i < 1_000_000; i++) {
            assertTrue(window.addIfAbsent("account/acc-" + (i % 10_000), "m-" + i, i / 1_000));
        }
        assertFalse(window.addIfAbsent("account/acc-5", "m-5", 1_000));
        window.expire(499);
        assertEquals(500_000, window.size());
        assertFalse(window.addIfAbsent("account/acc-0", "m-500000", 1_000));
        assertTrue(window.addIfAbsent("account/acc-0", "m-0", 1_000));
    }
}
