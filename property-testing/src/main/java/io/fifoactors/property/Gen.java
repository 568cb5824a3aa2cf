package io.fifoactors.property;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A generator of values of type {@code T} from a seeded source of randomness, and the way they shrink.
 *
 * <p>Generators are built from the factories and combinators here. Each one reduces to a sequence of random choices
 * in which a smaller number means a simpler value: a number is a side of the value nearest 0 and a distance from it,
 * a list records a "one more" before each element after its minimum size, {@link #oneOf} and {@link #frequency}
 * count from their first choice.
 * {@link Property} records the choices of a failing try and shrinks the recorded sequence, not the values, so every
 * combinator shrinks without doing anything for it: a {@code map} shrinks its source, a {@code combine} each
 * component, a {@code flatMap} its outer value while the inner one reuses what it can of its old choices.
 *
 * <pre>{@code
 * record Op(Kind kind, int actor) {}
 * Gen<Kind> kinds = Gen.frequency(Gen.weighted(10, Kind.APPEND), Gen.weighted(1, Kind.POISON));
 * Gen<List<Op>> workloads = Gen.combine(kinds, Gen.integers(0, 5), Op::new).list(1, 40);
 * }</pre>
 *
 * <p>Thread-safety: generators are immutable and can be shared between threads and tests, provided the functions
 * given to them ({@code map}, {@code filter}, ...) are.
 *
 * @param <T> the type of the generated values
 */
public final class Gen<T> {
    /** How many values in a row {@link #filter} may reject before the generator gives up. */
    static final int FILTER_ATTEMPTS = 100;

    private final Function<Source, ? extends T> draw;

    private Gen(Function<Source, ? extends T> draw) {
        this.draw = draw;
    }

    /** Generates one value, taking every random choice from the source. */
    T generate(Source source) {
        return draw.apply(source);
    }

    /**
     * One value, as a try seeded with {@code seed} would generate it; for looking at what a generator makes.
     *
     * @param seed the seed of the randomness
     * @return the value; the same for the same seed
     */
    public T sample(long seed) {
        return generate(Source.generating(seed));
    }

    // ---------------------------------------------------------------- numbers and simple values

    /**
     * Integers in {@code [min, max]}, uniform but for extra draws of 0 and the bounds; shrink toward 0, or toward the
     * bound nearest 0 when the range does not hold 0.
     *
     * @param min the smallest value, inclusive
     * @param max the largest value, inclusive
     * @return the generator
     * @throws IllegalArgumentException if {@code min > max}
     */
    public static Gen<Integer> integers(int min, int max) {
        Range range = Range.of(min, max, "integers");
        return new Gen<>(s -> (int) range.generate(s));
    }

    /**
     * Longs in {@code [min, max]}, like {@link #integers(int, int)}.
     *
     * @param min the smallest value, inclusive
     * @param max the largest value, inclusive
     * @return the generator
     * @throws IllegalArgumentException if {@code min > max}
     */
    public static Gen<Long> longs(long min, long max) {
        Range range = Range.of(min, max, "longs");
        return new Gen<>(range::generate);
    }

    /**
     * Any long, shrinking toward 0: for seeds handed to the code under test.
     *
     * @return the generator
     */
    public static Gen<Long> longsAny() {
        return longs(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** A double is drawn as a fraction of its side of the range in steps of 2^-53, the precision of a double. */
    private static final long DOUBLE_STEPS = 1L << 53;

    /**
     * Doubles in {@code [min, max]}, uniform but for extra draws of 0 and the bounds; shrink toward 0, or toward the
     * bound nearest 0 when the range does not hold 0.
     *
     * @param min the smallest value, inclusive, finite
     * @param max the largest value, inclusive, finite
     * @return the generator
     * @throws IllegalArgumentException if a bound is not finite or {@code min > max}
     */
    public static Gen<Double> doubles(double min, double max) {
        if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
            throw new IllegalArgumentException("doubles(" + min + ", " + max
                    + "): the bounds must be finite and min <= max");
        }
        double target = min > 0 ? min : max < 0 ? max : 0.0;
        boolean above = max > target;
        boolean below = min < target;
        return new Gen<>(s -> {
            // the side first, then the distance from the target, so that both shrink toward the target
            boolean down = above && below
                    ? side(s, s.unrecorded(DOUBLE_STEPS) < (target - min) / (max - min) * DOUBLE_STEPS)
                    : below;
            double fraction = s.choose(DOUBLE_STEPS) / (double) DOUBLE_STEPS;
            double v = down ? target - fraction * (target - min) : target + fraction * (max - target);
            return Math.min(max, Math.max(min, v));
        });
    }

    /**
     * {@code false} or {@code true}; shrinks to {@code false}.
     *
     * @return the generator
     */
    public static Gen<Boolean> booleans() {
        return new Gen<>(s -> s.choose(1) == 1);
    }

    /**
     * Always {@code value}; takes no random choice.
     *
     * @param value the value
     * @param <T> its type
     * @return the generator
     */
    public static <T> Gen<T> constant(T value) {
        return new Gen<>(s -> value);
    }

    /**
     * One of {@code values}, each as likely; shrinks toward the first.
     *
     * @param values the values, at least one, none null
     * @param <T> their type
     * @return the generator
     * @throws IllegalArgumentException if there is no value
     */
    @SafeVarargs
    public static <T> Gen<T> oneOf(T... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("oneOf(): give at least one value");
        }
        // copied element by element: handing a generic varargs array on to another method could pollute the heap
        List<T> copy = new ArrayList<>(values.length);
        for (T value : values) {
            copy.add(Objects.requireNonNull(value, "oneOf(): a value is null"));
        }
        return new Gen<>(s -> copy.get((int) s.chooseUniformly(copy.size() - 1)));
    }

    /**
     * A choice for {@link #frequency}: a value or a generator, with its weight.
     *
     * <pre>{@code
     * Gen.frequency(Gen.weighted(9, "ok"), Gen.weighted(1, Gen.strings(1, 3)))
     * }</pre>
     *
     * <p>Thread-safety: immutable.
     *
     * @param <T> the type of the values
     */
    public static final class Weighted<T> {
        final int weight;
        final Gen<? extends T> gen;

        private Weighted(int weight, Gen<? extends T> gen) {
            if (weight <= 0) {
                throw new IllegalArgumentException("weighted(" + weight + ", ...): the weight must be positive");
            }
            this.weight = weight;
            this.gen = Objects.requireNonNull(gen, "gen");
        }
    }

    /**
     * {@code value} with {@code weight}, for {@link #frequency}.
     *
     * @param weight how often, relative to the other choices; positive
     * @param value the value
     * @param <T> its type
     * @return the weighted choice
     */
    public static <T> Weighted<T> weighted(int weight, T value) {
        return new Weighted<>(weight, constant(value));
    }

    /**
     * The values of {@code gen} with {@code weight}, for {@link #frequency}.
     *
     * @param weight how often, relative to the other choices; positive
     * @param gen the generator
     * @param <T> the type of its values
     * @return the weighted choice
     */
    public static <T> Weighted<T> weighted(int weight, Gen<? extends T> gen) {
        return new Weighted<>(weight, gen);
    }

    /**
     * A weighted choice: {@code Gen.frequency(Gen.weighted(10, APPEND), Gen.weighted(1, POISON))} gives APPEND ten
     * times as often as POISON. Shrinks toward earlier choices, so list the simplest first.
     *
     * @param choices the choices, at least one
     * @param <T> the type of the values
     * @return the generator
     * @throws IllegalArgumentException if there is no choice
     */
    @SafeVarargs
    public static <T> Gen<T> frequency(Weighted<? extends T>... choices) {
        if (choices.length == 0) {
            throw new IllegalArgumentException("frequency(): give at least one choice");
        }
        List<Weighted<? extends T>> copy = new ArrayList<>(choices.length);
        for (Weighted<? extends T> choice : choices) {
            copy.add(Objects.requireNonNull(choice, "frequency(): a choice is null"));
        }
        long total = copy.stream().mapToLong(w -> w.weight).sum();
        return new Gen<>(s -> {
            long ticket = s.chooseUniformly(total - 1);
            for (Weighted<? extends T> w : copy) {
                if (ticket < w.weight) {
                    return w.gen.generate(s);
                }
                ticket -= w.weight;
            }
            throw new AssertionError("the ticket is below the total weight");
        });
    }

    // ---------------------------------------------------------------- characters and strings

    /**
     * Characters in {@code [first, last]}; shrink toward {@code first}.
     *
     * @param first the first character, inclusive
     * @param last the last character, inclusive
     * @return the generator
     * @throws IllegalArgumentException if {@code first > last}
     */
    public static Gen<Character> chars(char first, char last) {
        Range range = Range.of(first, last, "chars");
        return new Gen<>(s -> (char) range.generate(s));
    }

    /**
     * Characters of {@code alphabet}, each as likely; shrink toward its first character.
     *
     * @param alphabet the characters, at least one
     * @return the generator
     * @throws IllegalArgumentException if the alphabet is empty
     */
    public static Gen<Character> chars(String alphabet) {
        if (alphabet.isEmpty()) {
            throw new IllegalArgumentException("chars(\"\"): the alphabet is empty");
        }
        return new Gen<>(s -> alphabet.charAt((int) s.chooseUniformly(alphabet.length() - 1)));
    }

    /**
     * Strings of printable ASCII ({@code ' '} to {@code '~'}) with a length in {@code [minLength, maxLength]}; shrink
     * to shorter strings of spaces.
     *
     * @param minLength the shortest length, inclusive, not negative
     * @param maxLength the longest length, inclusive
     * @return the generator
     * @throws IllegalArgumentException if the lengths are negative or reversed
     */
    public static Gen<String> strings(int minLength, int maxLength) {
        return strings(chars(' ', '~'), minLength, maxLength);
    }

    /**
     * Strings of the characters {@code chars} generates, with a length in {@code [minLength, maxLength]}.
     *
     * @param chars the characters
     * @param minLength the shortest length, inclusive, not negative
     * @param maxLength the longest length, inclusive
     * @return the generator
     * @throws IllegalArgumentException if the lengths are negative or reversed
     */
    public static Gen<String> strings(Gen<Character> chars, int minLength, int maxLength) {
        return chars.list(minLength, maxLength).map(cs -> {
            StringBuilder b = new StringBuilder(cs.size());
            cs.forEach(b::append);
            return b.toString();
        });
    }

    // ---------------------------------------------------------------- combinators

    /**
     * The values of this generator passed through {@code f}; shrinks as this generator does.
     *
     * @param f the function
     * @param <R> the type of its results
     * @return the generator
     */
    public <R> Gen<R> map(Function<? super T, ? extends R> f) {
        Objects.requireNonNull(f, "f");
        return new Gen<>(s -> f.apply(generate(s)));
    }

    /**
     * A generator chosen by a value of this one, then a value of it: {@code n -> Gen.integers(0, n)}. Shrinks the
     * value of this generator first; the chosen generator then reuses the choices it made before, as far as they
     * still fit.
     *
     * @param f the choice of the next generator; must not return null
     * @param <R> the type of the values of the next generator
     * @return the generator
     */
    public <R> Gen<R> flatMap(Function<? super T, ? extends Gen<? extends R>> f) {
        Objects.requireNonNull(f, "f");
        return new Gen<>(s -> {
            T outer = generate(s);
            Gen<? extends R> next = f.apply(outer);
            if (next == null) {
                throw new NullPointerException("flatMap: the function returned no generator for " + outer);
            }
            return next.generate(s);
        });
    }

    /**
     * The values of this generator that {@code keep} accepts. Draws again on a rejection, at most 100 times in a row,
     * then fails with an {@link IllegalStateException}: a filter that rejects most values wastes the tries, and one
     * that rejects all hides a mistake. Prefer generating the wanted values directly.
     *
     * @param keep which values to keep
     * @return the generator
     */
    public Gen<T> filter(Predicate<? super T> keep) {
        Objects.requireNonNull(keep, "keep");
        return new Gen<>(s -> {
            T rejected = null;
            for (int i = 0; i < FILTER_ATTEMPTS; i++) {
                int start = s.position();
                T v = generate(s);
                if (keep.test(v)) {
                    return v;
                }
                // a rejected draw is useless: the shrinker may delete its choices, moving the next draw up
                s.deletable(start);
                rejected = v;
            }
            throw new GenerationException("filter: the predicate rejected " + FILTER_ATTEMPTS
                    + " generated values in a row (the last was " + rejected
                    + "); generate the wanted values directly (a narrower range, a map) instead of filtering");
        });
    }

    /**
     * Lists of values of this generator with a size in {@code [minSize, maxSize]}, sizes uniform but for extra draws
     * of both bounds; shrink by dropping elements (to {@code minSize}), then by shrinking the elements left.
     *
     * @param minSize the smallest size, inclusive, not negative
     * @param maxSize the largest size, inclusive
     * @return the generator; its lists are unmodifiable
     * @throws IllegalArgumentException if the sizes are negative or reversed
     */
    public Gen<List<T>> list(int minSize, int maxSize) {
        if (minSize < 0 || minSize > maxSize) {
            throw new IllegalArgumentException("list(" + minSize + ", " + maxSize
                    + "): the sizes must be 0 <= minSize <= maxSize");
        }
        return new Gen<>(s -> {
            // Generating, the size is planned now; what is recorded is one "one more" choice (1) before each
            // element past minSize and a 0 after the last. Deleting an element's choices with its "one more" drops
            // exactly that element, and a 0 ends the list, which is how lists shrink.
            int planned = s.generating() ? plannedSize(s, minSize, maxSize) : maxSize;
            List<T> out = new ArrayList<>();
            for (int i = 0; i < maxSize; i++) {
                int start = s.position();
                if (i >= minSize && s.chooseAs(1, i < planned ? 1 : 0) == 0) {
                    return Collections.unmodifiableList(out);
                }
                out.add(generate(s));
                if (i >= minSize) {
                    s.deletable(start);
                }
            }
            if (maxSize > minSize) {
                // a full list records its 0 too (the only possible choice here): when an element is deleted, that
                // 0 ends the list, where the next generator's first choice would be read as "one more" otherwise
                s.chooseAs(0, 0);
            }
            return Collections.unmodifiableList(out);
        });
    }

    private static int plannedSize(Source s, int minSize, int maxSize) {
        long edge = s.unrecorded(15);
        if (edge == 0) {
            return minSize;
        } else if (edge == 1) {
            return maxSize;
        }
        return minSize + (int) s.unrecorded(maxSize - minSize);
    }

    /**
     * Values made by {@code f} from one value of each generator, drawn in argument order; each component shrinks.
     *
     * @param a the first component
     * @param b the second component
     * @param f makes the value, for example a record's constructor {@code Pair::new}
     * @param <A> the type of the first component
     * @param <B> the type of the second component
     * @param <R> the type of the values
     * @return the generator
     */
    public static <A, B, R> Gen<R> combine(Gen<A> a, Gen<B> b, BiFunction<? super A, ? super B, ? extends R> f) {
        Objects.requireNonNull(f, "f");
        // Java evaluates arguments left to right, so the components draw in a fixed order
        return new Gen<>(s -> f.apply(a.generate(s), b.generate(s)));
    }

    /**
     * Like {@link #combine(Gen, Gen, BiFunction)}, of three components.
     *
     * @param a the first component
     * @param b the second component
     * @param c the third component
     * @param f makes the value
     * @param <A> the type of the first component
     * @param <B> the type of the second component
     * @param <C> the type of the third component
     * @param <R> the type of the values
     * @return the generator
     */
    public static <A, B, C, R> Gen<R> combine(Gen<A> a, Gen<B> b, Gen<C> c, Fn3<A, B, C, R> f) {
        Objects.requireNonNull(f, "f");
        return new Gen<>(s -> f.apply(a.generate(s), b.generate(s), c.generate(s)));
    }

    /**
     * Like {@link #combine(Gen, Gen, BiFunction)}, of four components.
     *
     * @param a the first component
     * @param b the second component
     * @param c the third component
     * @param d the fourth component
     * @param f makes the value
     * @param <A> the type of the first component
     * @param <B> the type of the second component
     * @param <C> the type of the third component
     * @param <D> the type of the fourth component
     * @param <R> the type of the values
     * @return the generator
     */
    public static <A, B, C, D, R> Gen<R> combine(Gen<A> a, Gen<B> b, Gen<C> c, Gen<D> d, Fn4<A, B, C, D, R> f) {
        Objects.requireNonNull(f, "f");
        return new Gen<>(s -> f.apply(a.generate(s), b.generate(s), c.generate(s), d.generate(s)));
    }

    /**
     * Like {@link #combine(Gen, Gen, BiFunction)}, of five components.
     *
     * @param a the first component
     * @param b the second component
     * @param c the third component
     * @param d the fourth component
     * @param e the fifth component
     * @param f makes the value
     * @param <A> the type of the first component
     * @param <B> the type of the second component
     * @param <C> the type of the third component
     * @param <D> the type of the fourth component
     * @param <E> the type of the fifth component
     * @param <R> the type of the values
     * @return the generator
     */
    public static <A, B, C, D, E, R> Gen<R> combine(Gen<A> a, Gen<B> b, Gen<C> c, Gen<D> d, Gen<E> e,
                                                    Fn5<A, B, C, D, E, R> f) {
        Objects.requireNonNull(f, "f");
        return new Gen<>(s -> f.apply(a.generate(s), b.generate(s), c.generate(s), d.generate(s), e.generate(s)));
    }

    /**
     * Like {@link #combine(Gen, Gen, BiFunction)}, of six components.
     *
     * @param a the first component
     * @param b the second component
     * @param c the third component
     * @param d the fourth component
     * @param e the fifth component
     * @param g the sixth component
     * @param f makes the value
     * @param <A> the type of the first component
     * @param <B> the type of the second component
     * @param <C> the type of the third component
     * @param <D> the type of the fourth component
     * @param <E> the type of the fifth component
     * @param <G> the type of the sixth component
     * @param <R> the type of the values
     * @return the generator
     */
    public static <A, B, C, D, E, G, R> Gen<R> combine(Gen<A> a, Gen<B> b, Gen<C> c, Gen<D> d, Gen<E> e, Gen<G> g,
                                                       Fn6<A, B, C, D, E, G, R> f) {
        Objects.requireNonNull(f, "f");
        return new Gen<>(s -> f.apply(a.generate(s), b.generate(s), c.generate(s), d.generate(s), e.generate(s),
                g.generate(s)));
    }

    /**
     * Like {@link #combine(Gen, Gen, BiFunction)}, of seven components.
     *
     * @param a the first component
     * @param b the second component
     * @param c the third component
     * @param d the fourth component
     * @param e the fifth component
     * @param g the sixth component
     * @param h the seventh component
     * @param f makes the value
     * @param <A> the type of the first component
     * @param <B> the type of the second component
     * @param <C> the type of the third component
     * @param <D> the type of the fourth component
     * @param <E> the type of the fifth component
     * @param <G> the type of the sixth component
     * @param <H> the type of the seventh component
     * @param <R> the type of the values
     * @return the generator
     */
    public static <A, B, C, D, E, G, H, R> Gen<R> combine(Gen<A> a, Gen<B> b, Gen<C> c, Gen<D> d, Gen<E> e,
                                                          Gen<G> g, Gen<H> h, Fn7<A, B, C, D, E, G, H, R> f) {
        Objects.requireNonNull(f, "f");
        return new Gen<>(s -> f.apply(a.generate(s), b.generate(s), c.generate(s), d.generate(s), e.generate(s),
                g.generate(s), h.generate(s)));
    }

    /**
     * Makes a value of three components, for {@link #combine(Gen, Gen, Gen, Fn3)}; a record constructor fits:
     * {@code Gen.combine(kinds, actors, targets, Op::new)}.
     *
     * <p>Thread-safety: that of the implementation; a generator may call it from any thread that generates.
     *
     * @param <A> the type of the first component
     * @param <B> the type of the second component
     * @param <C> the type of the third component
     * @param <R> the type of the value
     */
    @FunctionalInterface
    public interface Fn3<A, B, C, R> {
        /**
         * Makes the value.
         *
         * @param a the first component
         * @param b the second component
         * @param c the third component
         * @return the value
         */
        R apply(A a, B b, C c);
    }

    /**
     * Makes a value of four components, for {@link #combine(Gen, Gen, Gen, Gen, Fn4)}:
     * {@code Gen.combine(a, b, c, d, Quad::new)}.
     *
     * <p>Thread-safety: that of the implementation.
     *
     * @param <A> the type of the first component
     * @param <B> the type of the second component
     * @param <C> the type of the third component
     * @param <D> the type of the fourth component
     * @param <R> the type of the value
     */
    @FunctionalInterface
    public interface Fn4<A, B, C, D, R> {
        /**
         * Makes the value.
         *
         * @param a the first component
         * @param b the second component
         * @param c the third component
         * @param d the fourth component
         * @return the value
         */
        R apply(A a, B b, C c, D d);
    }

    /**
     * Makes a value of five components, for {@link #combine(Gen, Gen, Gen, Gen, Gen, Fn5)}:
     * {@code Gen.combine(a, b, c, d, e, Five::new)}.
     *
     * <p>Thread-safety: that of the implementation.
     *
     * @param <A> the type of the first component
     * @param <B> the type of the second component
     * @param <C> the type of the third component
     * @param <D> the type of the fourth component
     * @param <E> the type of the fifth component
     * @param <R> the type of the value
     */
    @FunctionalInterface
    public interface Fn5<A, B, C, D, E, R> {
        /**
         * Makes the value.
         *
         * @param a the first component
         * @param b the second component
         * @param c the third component
         * @param d the fourth component
         * @param e the fifth component
         * @return the value
         */
        R apply(A a, B b, C c, D d, E e);
    }

    /**
     * Makes a value of six components, for {@link #combine(Gen, Gen, Gen, Gen, Gen, Gen, Fn6)}:
     * {@code Gen.combine(a, b, c, d, e, g, Six::new)}.
     *
     * <p>Thread-safety: that of the implementation.
     *
     * @param <A> the type of the first component
     * @param <B> the type of the second component
     * @param <C> the type of the third component
     * @param <D> the type of the fourth component
     * @param <E> the type of the fifth component
     * @param <G> the type of the sixth component
     * @param <R> the type of the value
     */
    @FunctionalInterface
    public interface Fn6<A, B, C, D, E, G, R> {
        /**
         * Makes the value.
         *
         * @param a the first component
         * @param b the second component
         * @param c the third component
         * @param d the fourth component
         * @param e the fifth component
         * @param g the sixth component
         * @return the value
         */
        R apply(A a, B b, C c, D d, E e, G g);
    }

    /**
     * Makes a value of seven components, for {@link #combine(Gen, Gen, Gen, Gen, Gen, Gen, Gen, Fn7)}:
     * {@code Gen.combine(a, b, c, d, e, g, h, Setup::new)}.
     *
     * <p>Thread-safety: that of the implementation.
     *
     * @param <A> the type of the first component
     * @param <B> the type of the second component
     * @param <C> the type of the third component
     * @param <D> the type of the fourth component
     * @param <E> the type of the fifth component
     * @param <G> the type of the sixth component
     * @param <H> the type of the seventh component
     * @param <R> the type of the value
     */
    @FunctionalInterface
    public interface Fn7<A, B, C, D, E, G, H, R> {
        /**
         * Makes the value.
         *
         * @param a the first component
         * @param b the second component
         * @param c the third component
         * @param d the fourth component
         * @param e the fifth component
         * @param g the sixth component
         * @param h the seventh component
         * @return the value
         */
        R apply(A a, B b, C c, D d, E e, G g, H h);
    }

    // ---------------------------------------------------------------- ranges

    /**
     * The side of a range's target a number lies on: {@code true} below, {@code false} above, recorded as a choice of
     * its own so that shrinking lowers the distance on one side without crossing to the other (a property may fail
     * for negative numbers only) and crosses to the positive side by lowering this choice. Generating, the side is
     * {@code proportionalBelow}, drawn in proportion to the sides' sizes so that values are uniform over the range,
     * but for one draw in sixteen that picks either side alike: otherwise -3 would all but never come out of
     * {@code [-3, 10^12]}.
     */
    private static boolean side(Source s, boolean proportionalBelow) {
        long planned = 0;
        if (s.generating()) {
            planned = (s.unrecorded(15) == 0 ? s.unrecorded(1) == 1 : proportionalBelow) ? 1 : 0;
        }
        return s.chooseAs(1, planned) == 1;
    }

    /**
     * An inclusive range of longs drawn as a side of its target, the value nearest 0, and a distance from it: both
     * shrink toward the target. The arithmetic is unsigned, as the full range of longs has 2^64 values.
     */
    private static final class Range {
        private final long target;
        private final long up;
        private final long down;

        private Range(long target, long up, long down) {
            this.target = target;
            this.up = up;
            this.down = down;
        }

        static Range of(long min, long max, String name) {
            if (min > max) {
                throw new IllegalArgumentException(name + "(" + min + ", " + max + "): min > max");
            }
            long target = min > 0 ? min : max < 0 ? max : 0;
            return new Range(target, max - target, target - min);
        }

        long generate(Source s) {
            boolean below = up != 0 && down != 0
                    ? side(s, Long.compareUnsigned(s.unrecorded(up + down), down) < 0)
                    : down != 0;
            // the distance favours 0 and the bound of its side, as Source.choose does
            return below ? target - s.choose(down) : target + s.choose(up);
        }
    }
}
