package io.fifoactors.property;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class PropertyTest {
    private static final Gen<List<Integer>> LISTS = Gen.integers(0, 100).list(0, 20);

    private static void sumBelow100(List<Integer> list) {
        int sum = list.stream().mapToInt(Integer::intValue).sum();
        assertTrue(sum < 100, "sum " + sum);
    }

    private static void no42Twice(List<Integer> list) {
        assertTrue(Collections.frequency(list, 42) < 2, "42 twice");
    }

    @Test
    void aPassingPropertyRunsItsTriesAndReturns() {
        AtomicInteger runs = new AtomicInteger();
        Property.forAll(LISTS).tries(250).seed(1).check(l -> {
            runs.incrementAndGet();
            assertTrue(l.size() <= 20);
        });
        assertEquals(250, runs.get());
    }

    @Test
    void aSumTooLargeShrinksToTheSingleElementList() {
        int shrunk = 0;
        for (long seed = 0; seed < 10; seed++) {
            long s = seed;
            PropertyFailure f = assertThrows(PropertyFailure.class,
                    () -> Property.forAll(LISTS).seed(s).check(PropertyTest::sumBelow100));
            assertEquals(List.of(List.of(100)), f.shrunk(), f.getMessage());
            @SuppressWarnings("unchecked")
            List<Integer> original = (List<Integer>) f.original().get(0);
            assertTrue(original.stream().mapToInt(Integer::intValue).sum() >= 100, "it failed: " + original);
            if (!original.equals(List.of(100))) {
                assertTrue(f.shrinkSteps() > 0, f.getMessage());
                shrunk++;
            }
        }
        assertTrue(shrunk >= 5, "most tries fail with a longer list (edges aside)");
    }

    @Test
    void aDuplicateShrinksToJustTheTwoEqualElements() {
        Gen<List<Integer>> lists = Gen.integers(0, 50).list(0, 30);
        PropertyFailure f = assertThrows(PropertyFailure.class,
                () -> Property.forAll(lists).seed(7).tries(5000).check(PropertyTest::no42Twice));
        assertEquals(List.of(List.of(42, 42)), f.shrunk(), f.getMessage());
    }

    @Test
    void theMessageTellsSeedsValuesFailuresAndHowToReplay() {
        PropertyFailure f = assertThrows(PropertyFailure.class,
                () -> Property.forAll(LISTS).seed(12345L).tries(300).check(PropertyTest::sumBelow100));
        String m = f.getMessage();
        long trySeed = f.trySeed().orElseThrow();
        assertEquals(12345L, f.seed().orElseThrow());
        assertTrue(m.matches("(?s)Try \\d+ of 300 \\(property seed 12345, try seed " + trySeed + "\\) failed\\..*"), m);
        assertTrue(m.contains("Shrunk in " + f.shrinkSteps() + " steps ("), m);
        assertTrue(m.contains("\n  [100]\n"), m);
        assertTrue(m.contains("Original:\n  " + f.original().get(0) + "\n"), m);
        assertTrue(m.contains("Failure of the shrunk values: org.opentest4j.AssertionFailedError: sum 100"), m);
        assertTrue(m.contains("Failure of the original values: org.opentest4j.AssertionFailedError: sum "), m);
        assertTrue(m.endsWith("\nThe code's .seed(12345L) replays the run; .replay(" + trySeed
                + "L) runs only this try."), m);
        assertTrue(f.getCause().getMessage().startsWith("sum 100"), "the cause is the shrunk case's failure");
        assertEquals(1, f.getSuppressed().length, "the original failure rides along");

        // the same seed, the same failure
        PropertyFailure again = assertThrows(PropertyFailure.class,
                () -> Property.forAll(LISTS).seed(12345L).tries(300).check(PropertyTest::sumBelow100));
        assertEquals(m, again.getMessage());
        // and the try alone, by its seed
        PropertyFailure replayed = assertThrows(PropertyFailure.class,
                () -> Property.forAll(LISTS).replay(trySeed).check(PropertyTest::sumBelow100));
        assertEquals(f.original(), replayed.original());
        assertEquals(f.shrunk(), replayed.shrunk());
        assertTrue(replayed.getMessage().startsWith("The replayed try (try seed " + trySeed + ") failed."));
        assertFalse(replayed.seed().isPresent());
    }

    @Test
    void withoutASeedInTheCodeTheHintNamesTheSystemProperties() {
        String tries = System.getProperty("fa.property.tries");
        try {
            System.setProperty("fa.property.tries", "200");
            PropertyFailure f = assertThrows(PropertyFailure.class,
                    () -> Property.forAll(LISTS).check(PropertyTest::sumBelow100));
            long seed = f.seed().orElseThrow();
            assertTrue(f.getMessage().contains("-Dfa.property.seed=" + seed + " -Dfa.property.tries=200 (or .seed("
                    + seed + "L) in the code) replays the run"), f.getMessage());
            // following the hint reproduces it
            System.setProperty("fa.property.seed", Long.toString(seed));
            PropertyFailure again = assertThrows(PropertyFailure.class,
                    () -> Property.forAll(LISTS).check(PropertyTest::sumBelow100));
            assertEquals(f.getMessage(), again.getMessage());
        } finally {
            restore("fa.property.tries", tries);
            System.clearProperty("fa.property.seed");
        }
    }

    @Test
    void theSameSeedGeneratesTheSameSequenceOfValues() {
        Gen<String> strings = Gen.strings(0, 10);
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        List<String> other = new ArrayList<>();
        Property.forAll(strings).seed(99).tries(100).check(first::add);
        Property.forAll(strings).seed(99).tries(100).check(second::add);
        Property.forAll(strings).seed(100).tries(100).check(other::add);
        assertEquals(100, first.size());
        assertEquals(first, second);
        assertNotEquals(first, other);
    }

    @Test
    void triesComeFromTheSystemPropertyElseAHundred() {
        String tries = System.getProperty("fa.property.tries");
        try {
            AtomicInteger runs = new AtomicInteger();
            System.setProperty("fa.property.tries", "7");
            Property.forAll(Gen.booleans()).check(b -> runs.incrementAndGet());
            assertEquals(7, runs.get());
            runs.set(0);
            Property.forAll(Gen.booleans()).tries(3).check(b -> runs.incrementAndGet());
            assertEquals(3, runs.get(), "the code's number wins");
            runs.set(0);
            System.clearProperty("fa.property.tries");
            Property.forAll(Gen.booleans()).check(b -> runs.incrementAndGet());
            assertEquals(100, runs.get());
            System.setProperty("fa.property.tries", "many");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Property.forAll(Gen.booleans()).check(b -> { }));
            assertEquals("system property fa.property.tries must be a positive integer, was 'many'", e.getMessage());
        } finally {
            restore("fa.property.tries", tries);
        }
    }

    @Test
    void examplesRunFirstAsGivenAndFailWithoutShrinking() {
        List<List<Integer>> seen = new ArrayList<>();
        Property.forAll(LISTS).seed(3).tries(5).example(List.of(1, 2)).example(List.of()).check(seen::add);
        assertEquals(7, seen.size());
        assertEquals(List.of(List.of(1, 2), List.of()), seen.subList(0, 2));

        AtomicInteger runs = new AtomicInteger();
        PropertyFailure f = assertThrows(PropertyFailure.class, () -> Property.forAll(LISTS).seed(3)
                .example(List.of(1)).example(List.of(60, 50)).check(l -> {
                    runs.incrementAndGet();
                    sumBelow100(l);
                }));
        assertEquals(2, runs.get(), "no try runs after a failed example");
        assertEquals(List.of(List.of(60, 50)), f.shrunk());
        assertEquals(0, f.shrinkSteps());
        assertFalse(f.trySeed().isPresent());
        assertTrue(f.getMessage().startsWith("Example 2 of 2 failed (examples run as given, without shrinking):\n"
                + "  [60, 50]\nFailure: org.opentest4j.AssertionFailedError: sum 110"), f.getMessage());
    }

    @Test
    void examplesOfSeveralValuesAndCheckedExceptions() {
        List<String> seen = new ArrayList<>();
        PropertyFailure f = assertThrows(PropertyFailure.class, () -> Property
                .forAll(Gen.integers(0, 9), Gen.strings(0, 3), Gen.booleans())
                .example(1, "a", true)
                .tries(10).seed(5)
                .check((n, s, b) -> {
                    seen.add(n + s + b);
                    if (n > 100) {
                        throw new java.io.IOException("never");
                    }
                    if (!b) {
                        throw new java.io.IOException("false!");
                    }
                }));
        assertEquals("1atrue", seen.get(0));
        assertEquals(List.of(0, "", false), f.shrunk(), "every component shrinks");
        assertTrue(f.getMessage().contains("  #1 = 0\n  #2 = \"\"\n  #3 = false\n"), f.getMessage());
        assertTrue(f.getCause() instanceof java.io.IOException);
    }

    @Test
    void aFilterThatNeverPassesSaysSo() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Property
                .forAll(Gen.integers(0, 10).filter(v -> v > 10)).seed(1).check(v -> fail("never called")));
        assertTrue(e.getMessage().startsWith("Try 1 of "), e.getMessage());
        assertTrue(e.getMessage().contains("try seed"), e.getMessage());
        assertTrue(e.getMessage().contains(
                "filter: the predicate rejected 100 generated values in a row (the last was "), e.getMessage());
    }

    @Test
    void shrinkingStopsAtItsLimit() {
        AtomicInteger runs = new AtomicInteger();
        PropertyFailure f = assertThrows(PropertyFailure.class, () -> Property
                .forAll(Gen.longsAny().list(50, 50)).seed(11).shrinkLimit(25).check(l -> {
                    runs.incrementAndGet();
                    fail("always");
                }));
        assertEquals(26, runs.get(), "the failing try and 25 evaluations while shrinking");
        assertTrue(f.getMessage().contains("(25 evaluations, stopped at the limit of 25)"), f.getMessage());

        runs.set(0);
        PropertyFailure unshrunk = assertThrows(PropertyFailure.class, () -> Property
                .forAll(Gen.longsAny().list(50, 50)).seed(11).shrinkLimit(0).check(l -> {
                    runs.incrementAndGet();
                    fail("always");
                }));
        assertEquals(1, runs.get());
        assertEquals(unshrunk.original(), unshrunk.shrunk());
    }

    @Test
    void shrinkingByDefaultRunsTheCheckAtMostAThousandTimes() {
        AtomicInteger runs = new AtomicInteger();
        // fails for every list: halving 200 non-zero longs one by one down to 1 would take over 10,000 runs
        Gen<List<Long>> lists = Gen.longsAny().filter(v -> v != 0).list(200, 200);
        assertThrows(PropertyFailure.class, () -> Property.forAll(lists).seed(2).check(l -> {
            runs.incrementAndGet();
            fail("always");
        }));
        assertEquals(1001, runs.get(), "the failing try, then 1000 evaluations while shrinking");
    }

    @Test
    void shrinkingKeepsTheFailureOfTheSameClass() {
        // large values fail an assertion, small ones throw another exception: a shrunk case explains the original
        for (long seed = 0; seed < 20; seed++) {
            long s = seed;
            PropertyFailure f = assertThrows(PropertyFailure.class, () -> Property.forAll(Gen.integers(0, 1000))
                    .seed(s).check(v -> {
                        if (v >= 500) {
                            fail("large");
                        } else if (v > 0) {
                            throw new IllegalStateException("small");
                        }
                    }));
            int original = (Integer) f.original().get(0);
            assertEquals(List.of(original >= 500 ? 500 : 1), f.shrunk(), f.getMessage());
        }
    }

    record Pair(int a, int b) {
    }

    @Test
    void everyCombinatorShrinksTowardItsSimplestValue() {
        assertEquals(-5, shrunk(Gen.integers(-100, -5), v -> fail()));
        assertEquals(5, shrunk(Gen.integers(5, 100), v -> fail()));
        assertEquals(0L, shrunk(Gen.longsAny(), v -> fail()));
        assertEquals(1L << 40, shrunk(Gen.longsAny(), v -> assertTrue(Math.abs(v) < 1L << 40)));
        assertEquals(0.0, shrunk(Gen.doubles(-1.5, 2.5), v -> fail()));
        assertEquals(50, shrunk(Gen.integers(0, 100).map(v -> v * 2), v -> assertTrue(v < 50)));
        assertEquals(100, shrunk(Gen.integers(0, 1000).filter(v -> v % 2 == 0), v -> assertTrue(v < 100)));
        assertEquals(new Pair(10, 20), shrunk(Gen.combine(Gen.integers(0, 100), Gen.integers(0, 100), Pair::new),
                p -> assertTrue(p.a() < 10 || p.b() < 20)));
        assertEquals("c", shrunk(Gen.oneOf("a", "b", "c", "d", "e"), v -> assertTrue(v.compareTo("c") < 0)));
        assertEquals("y", shrunk(Gen.frequency(Gen.weighted(5, "x"), Gen.weighted(1, "y"), Gen.weighted(1, "z")),
                v -> assertEquals("x", v)));
        assertEquals("x", shrunk(Gen.strings(0, 20), v -> assertFalse(v.contains("x"))));
        assertEquals(30, shrunk(Gen.integers(0, 20).flatMap(n -> Gen.integers(n, 40)), v -> assertTrue(v < 30)));
        assertEquals(List.of(0, 0, 0), shrunk(Gen.integers(0, 9).list(3, 8), l -> fail()));
    }

    @Test
    void aSizeDrawnByFlatMapShrinksWithItsList() {
        Gen<List<Integer>> sized = Gen.integers(1, 8).flatMap(n -> Gen.integers(0, 100).list(n, n));
        for (long seed = 0; seed < 20; seed++) {
            long s = seed;
            PropertyFailure f = assertThrows(PropertyFailure.class, () -> Property.forAll(sized).seed(s)
                    .check(l -> assertTrue(l.stream().mapToInt(Integer::intValue).sum() < 150)));
            assertEquals(List.of(List.of(50, 100)), f.shrunk(), f.getMessage());
        }
    }

    private static <T> Object shrunk(Gen<T> gen, Property.Check1<T> check) {
        PropertyFailure f = assertThrows(PropertyFailure.class, () -> Property.forAll(gen).seed(4).tries(1000)
                .check(check));
        return f.shrunk().get(0);
    }

    @Test
    void configurationIsImmutableAndChecked() {
        Property.ForAll1<Boolean> base = Property.forAll(Gen.booleans()).seed(1);
        Property.ForAll1<Boolean> fewer = base.tries(2);
        AtomicInteger runs = new AtomicInteger();
        fewer.check(b -> runs.incrementAndGet());
        assertEquals(2, runs.get());
        runs.set(0);
        base.tries(4).check(b -> runs.incrementAndGet());
        assertEquals(4, runs.get(), "tries(2) did not change base");
        assertEquals("tries(0): must be positive",
                assertThrows(IllegalArgumentException.class, () -> base.tries(0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> base.shrinkLimit(-1));
    }

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }
}
