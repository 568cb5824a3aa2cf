package io.fifoactors.property;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenTest {
    private static <T> List<T> samples(Gen<T> gen, int count) {
        List<T> out = new ArrayList<>();
        for (long seed = 0; seed < count; seed++) {
            out.add(gen.sample(seed));
        }
        return out;
    }

    @Test
    void integersStayInTheirRangeAndReachEveryValueAndBothBounds() {
        List<Integer> values = samples(Gen.integers(-3, 5), 2000);
        assertTrue(values.stream().allMatch(v -> v >= -3 && v <= 5), "out of range: " + values);
        assertEquals(new TreeSet<>(List.of(-3, -2, -1, 0, 1, 2, 3, 4, 5)), new TreeSet<>(values));
        assertTrue(samples(Gen.integers(10, 20), 500).stream().allMatch(v -> v >= 10 && v <= 20));
        assertTrue(samples(Gen.integers(-20, -10), 500).stream().allMatch(v -> v >= -20 && v <= -10));
        assertEquals(Set.of(7), new HashSet<>(samples(Gen.integers(7, 7), 50)));
        List<Integer> wide = samples(Gen.integers(Integer.MIN_VALUE, Integer.MAX_VALUE), 2000);
        assertTrue(wide.contains(Integer.MIN_VALUE) && wide.contains(Integer.MAX_VALUE) && wide.contains(0),
                "the bounds and 0 are drawn on purpose");
    }

    @Test
    void longsCoverTheFullRangeAndRespectNarrowOnes() {
        List<Long> any = samples(Gen.longsAny(), 2000);
        assertTrue(any.contains(Long.MIN_VALUE) && any.contains(Long.MAX_VALUE) && any.contains(0L));
        assertTrue(any.stream().filter(v -> v < -(1L << 60)).count() > 100, "large negatives too");
        assertTrue(any.stream().filter(v -> v > (1L << 60)).count() > 100, "large positives too");
        assertTrue(samples(Gen.longs(-3, 1_000_000_000_000L), 2000).stream()
                .allMatch(v -> v >= -3 && v <= 1_000_000_000_000L));
        assertTrue(samples(Gen.longs(Long.MIN_VALUE, Long.MIN_VALUE + 2), 200).stream()
                .allMatch(v -> v <= Long.MIN_VALUE + 2));
        assertTrue(samples(Gen.longs(Long.MAX_VALUE - 2, Long.MAX_VALUE), 200).stream()
                .allMatch(v -> v >= Long.MAX_VALUE - 2));
    }

    @Test
    void doublesStayInTheirRangeAndHitZeroAndTheBounds() {
        List<Double> values = samples(Gen.doubles(-1.5, 0.06), 3000);
        assertTrue(values.stream().allMatch(v -> v >= -1.5 && v <= 0.06));
        assertTrue(values.contains(0.0) && values.contains(-1.5) && values.contains(0.06));
        assertTrue(values.stream().filter(v -> v > 0 && v < 0.06).count() > 100, "between the edges too");
        assertTrue(samples(Gen.doubles(2.0, 3.0), 500).stream().allMatch(v -> v >= 2.0 && v <= 3.0));
        assertThrows(IllegalArgumentException.class, () -> Gen.doubles(0, Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> Gen.doubles(Double.NaN, 1));
    }

    @Test
    void listsAndStringsRespectTheirSizesAndReachBoth() {
        List<List<Integer>> lists = samples(Gen.integers(0, 9).list(2, 6), 1000);
        Set<Integer> sizes = new TreeSet<>();
        lists.forEach(l -> sizes.add(l.size()));
        assertEquals(new TreeSet<>(List.of(2, 3, 4, 5, 6)), sizes);
        assertTrue(lists.stream().flatMap(List::stream).allMatch(v -> v >= 0 && v <= 9));
        assertThrows(UnsupportedOperationException.class, () -> lists.get(0).add(1));

        List<String> strings = samples(Gen.strings(1, 120), 1000);
        assertTrue(strings.stream().allMatch(s -> s.length() >= 1 && s.length() <= 120));
        assertTrue(strings.stream().allMatch(s -> s.chars().allMatch(c -> c >= ' ' && c <= '~')));
        assertTrue(strings.stream().anyMatch(s -> s.length() == 120));
        assertTrue(strings.stream().anyMatch(s -> s.length() == 1));
        List<String> alphabet = samples(Gen.strings(Gen.chars("ab\u00e9"), 0, 4), 500);
        assertTrue(alphabet.stream().allMatch(s -> s.matches("[ab\u00e9]{0,4}")));
        assertTrue(alphabet.contains(""));
        assertThrows(IllegalArgumentException.class, () -> Gen.integers(0, 1).list(3, 2));
        assertThrows(IllegalArgumentException.class, () -> Gen.integers(0, 1).list(-1, 2));
    }

    @Test
    void choicesFollowTheirWeights() {
        Map<String, Integer> counts = new HashMap<>();
        Gen<String> gen = Gen.frequency(Gen.weighted(10, "append"), Gen.weighted(1, Gen.oneOf("p", "q")));
        samples(gen, 5500).forEach(v -> counts.merge(v, 1, Integer::sum));
        assertEquals(Set.of("append", "p", "q"), counts.keySet());
        int rare = counts.get("p") + counts.get("q");
        assertTrue(counts.get("append") > 6 * rare && counts.get("append") < 15 * rare, "weights 10:1, got " + counts);
        assertEquals(Set.of(false, true), new HashSet<>(samples(Gen.booleans(), 100)));
        assertEquals(Set.of("c"), new HashSet<>(samples(Gen.constant("c"), 20)));
        assertThrows(IllegalArgumentException.class, () -> Gen.weighted(0, "x"));
        assertThrows(IllegalArgumentException.class, Gen::oneOf);
    }

    record Pair(int a, long b) {
    }

    @Test
    void theSameSeedGivesTheSameValuesAndAnotherSeedOthers() {
        Gen<List<Pair>> gen = Gen.combine(Gen.integers(0, 1000), Gen.longsAny(), Pair::new).list(0, 30);
        for (long seed = 0; seed < 50; seed++) {
            assertEquals(gen.sample(seed), gen.sample(seed));
        }
        List<List<Pair>> first = samples(gen, 20);
        assertEquals(first, samples(gen.map(Function.identity()), 20), "map takes no choice of its own");
        assertNotEquals(gen.sample(1), gen.sample(2));
        assertTrue(new HashSet<>(first).size() > 15, "different seeds give different values: " + first);
    }

    @Test
    void combinatorsComposeValues() {
        Gen<Integer> even = Gen.integers(0, 1000).filter(v -> v % 2 == 0);
        assertTrue(samples(even, 500).stream().allMatch(v -> v % 2 == 0));
        Gen<List<Integer>> sized = Gen.integers(0, 5).flatMap(n -> Gen.constant(n).list(n, n));
        for (List<Integer> l : samples(sized, 200)) {
            assertTrue(l.stream().allMatch(v -> v == l.size()), "a list of n n's: " + l);
        }
        Gen<String> seven = Gen.combine(Gen.constant(1), Gen.constant(2), Gen.constant(3), Gen.constant(4),
                Gen.constant(5), Gen.constant(6), Gen.constant(7),
                (a, b, c, d, e, f, g) -> "" + a + b + c + d + e + f + g);
        assertEquals("1234567", seven.sample(1));
        assertEquals(20, Gen.integers(0, 10).map(v -> 20).sample(3));
    }

    @Test
    void badRangesAreRefusedWithTheirValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gen.integers(5, 1));
        assertEquals("integers(5, 1): min > max", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Gen.longs(0, -1));
        assertThrows(IllegalArgumentException.class, () -> Gen.chars('z', 'a'));
        assertThrows(IllegalArgumentException.class, () -> Gen.chars(""));
    }
}
