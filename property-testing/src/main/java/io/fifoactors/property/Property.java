package io.fifoactors.property;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A property: a check that must pass for every value of some generators, run on many generated values.
 *
 * <pre>{@code
 * Property.forAll(workloads, setups)
 *         .example(List.of(new Op(APPEND, 0)), Setup.SIMPLE)   // a regression, run first
 *         .check((workload, setup) -> assertEquals(expected(workload), run(workload, setup)));
 * }</pre>
 *
 * <p>{@code check} runs the examples as given, then the tries: {@code tries} sets of generated values, each from a
 * seed drawn from the property's seed. The first failure (an {@link AssertionError} or an exception thrown by the
 * check) is shrunk to the smallest values that still fail with the same exception class, and reported as a
 * {@link PropertyFailure} that tells how to replay it. The number of tries comes from {@code .tries(n)}, else the
 * system property {@code fa.property.tries}, else 100; the seed from {@code .seed(s)}, else the system property
 * {@code fa.property.seed}, else a random one, and it is always reported. The same seed generates the same values.
 *
 * <p>Thread-safety: the configuration objects are immutable and can be shared; {@code check} runs on the calling
 * thread.
 */
public final class Property {
    private Property() {
    }

    /**
     * A property of one generated value.
     *
     * @param a the generator
     * @param <A> the type of its values
     * @return the property, to configure and check
     */
    public static <A> ForAll1<A> forAll(Gen<A> a) {
        return new ForAll1<>(Runner.Settings.DEFAULT, Objects.requireNonNull(a, "a"));
    }

    /**
     * A property of two generated values.
     *
     * @param a the first generator
     * @param b the second generator
     * @param <A> the type of the first values
     * @param <B> the type of the second values
     * @return the property, to configure and check
     */
    public static <A, B> ForAll2<A, B> forAll(Gen<A> a, Gen<B> b) {
        return new ForAll2<>(Runner.Settings.DEFAULT, Objects.requireNonNull(a, "a"), Objects.requireNonNull(b, "b"));
    }

    /**
     * A property of three generated values.
     *
     * @param a the first generator
     * @param b the second generator
     * @param c the third generator
     * @param <A> the type of the first values
     * @param <B> the type of the second values
     * @param <C> the type of the third values
     * @return the property, to configure and check
     */
    public static <A, B, C> ForAll3<A, B, C> forAll(Gen<A> a, Gen<B> b, Gen<C> c) {
        return new ForAll3<>(Runner.Settings.DEFAULT, Objects.requireNonNull(a, "a"), Objects.requireNonNull(b, "b"),
                Objects.requireNonNull(c, "c"));
    }

    /**
     * A property of four generated values.
     *
     * @param a the first generator
     * @param b the second generator
     * @param c the third generator
     * @param d the fourth generator
     * @param <A> the type of the first values
     * @param <B> the type of the second values
     * @param <C> the type of the third values
     * @param <D> the type of the fourth values
     * @return the property, to configure and check
     */
    public static <A, B, C, D> ForAll4<A, B, C, D> forAll(Gen<A> a, Gen<B> b, Gen<C> c, Gen<D> d) {
        return new ForAll4<>(Runner.Settings.DEFAULT, Objects.requireNonNull(a, "a"), Objects.requireNonNull(b, "b"),
                Objects.requireNonNull(c, "c"), Objects.requireNonNull(d, "d"));
    }

    /**
     * The configuration every property has, whatever the number of its generators.
     *
     * @param <S> the type of the property
     */
    abstract static class Configured<S> {
        final Runner.Settings settings;

        Configured(Runner.Settings settings) {
            this.settings = settings;
        }

        abstract S with(Runner.Settings settings);

        /**
         * How many sets of values to generate and check; overrides the system property {@code fa.property.tries}.
         *
         * @param tries the number, positive
         * @return the property so configured
         * @throws IllegalArgumentException if {@code tries} is not positive
         */
        public final S tries(int tries) {
            if (tries <= 0) {
                throw new IllegalArgumentException("tries(" + tries + "): must be positive");
            }
            return with(new Runner.Settings(OptionalInt.of(tries), settings.seed(), settings.replay(),
                    settings.shrinkLimit(), settings.examples()));
        }

        /**
         * The seed of the run: the same seed generates the same values. Overrides the system property
         * {@code fa.property.seed}; leave it out to get a new seed each run.
         *
         * @param seed the seed
         * @return the property so configured
         */
        public final S seed(long seed) {
            return with(new Runner.Settings(settings.tries(), OptionalLong.of(seed), settings.replay(),
                    settings.shrinkLimit(), settings.examples()));
        }

        /**
         * Runs only the try with this seed, as a {@link PropertyFailure} reports it, and no example: to debug one
         * failure.
         *
         * @param trySeed the seed of the try
         * @return the property so configured
         */
        public final S replay(long trySeed) {
            return with(new Runner.Settings(settings.tries(), settings.seed(), OptionalLong.of(trySeed),
                    settings.shrinkLimit(), settings.examples()));
        }

        /**
         * How many times shrinking may run the check; 1000 unless set. 0 reports the failing values unshrunk.
         *
         * @param evaluations the limit, not negative
         * @return the property so configured
         * @throws IllegalArgumentException if {@code evaluations} is negative
         */
        public final S shrinkLimit(int evaluations) {
            if (evaluations < 0) {
                throw new IllegalArgumentException("shrinkLimit(" + evaluations + "): must not be negative");
            }
            return with(new Runner.Settings(settings.tries(), settings.seed(), settings.replay(), evaluations,
                    settings.examples()));
        }

        final Runner.Settings withExample(Object... values) {
            List<List<Object>> examples = new ArrayList<>(settings.examples());
            // Arrays.asList: an example may hold null, which List.of refuses
            examples.add(Collections.unmodifiableList(Arrays.asList(values)));
            return new Runner.Settings(settings.tries(), settings.seed(), settings.replay(), settings.shrinkLimit(),
                    List.copyOf(examples));
        }
    }

    /**
     * A property of one generated value; see {@link Property}.
     *
     * <pre>{@code
     * Property.forAll(Gen.integers(0, 9).list(0, 10)).check(list -> assertTrue(list.size() <= 10));
     * }</pre>
     *
     * <p>Thread-safety: immutable.
     *
     * @param <A> the type of the values
     */
    public static final class ForAll1<A> extends Configured<ForAll1<A>> {
        private final Gen<A> a;

        ForAll1(Runner.Settings settings, Gen<A> a) {
            super(settings);
            this.a = a;
        }

        @Override
        ForAll1<A> with(Runner.Settings settings) {
            return new ForAll1<>(settings, a);
        }

        /**
         * A value to check before the generated ones, as given: a regression once found, an edge worth naming.
         *
         * @param value the value
         * @return the property with the example added
         */
        public ForAll1<A> example(A value) {
            return with(withExample(value));
        }

        /**
         * Runs the property.
         *
         * @param check the check; fails by throwing
         * @throws PropertyFailure if it fails for an example or generated values
         */
        public void check(Check1<? super A> check) {
            Objects.requireNonNull(check, "check");
            Runner.run(settings, List.of(a), v -> check.check(cast(v.get(0))));
        }
    }

    /**
     * A property of two generated values; see {@link Property}.
     *
     * <pre>{@code
     * Property.forAll(Gen.integers(0, 9), Gen.integers(0, 9)).check((x, y) -> assertEquals(x + y, y + x));
     * }</pre>
     *
     * <p>Thread-safety: immutable.
     *
     * @param <A> the type of the first values
     * @param <B> the type of the second values
     */
    public static final class ForAll2<A, B> extends Configured<ForAll2<A, B>> {
        private final Gen<A> a;
        private final Gen<B> b;

        ForAll2(Runner.Settings settings, Gen<A> a, Gen<B> b) {
            super(settings);
            this.a = a;
            this.b = b;
        }

        @Override
        ForAll2<A, B> with(Runner.Settings settings) {
            return new ForAll2<>(settings, a, b);
        }

        /**
         * Values to check before the generated ones, as given.
         *
         * @param first the first value
         * @param second the second value
         * @return the property with the example added
         */
        public ForAll2<A, B> example(A first, B second) {
            return with(withExample(first, second));
        }

        /**
         * Runs the property.
         *
         * @param check the check; fails by throwing
         * @throws PropertyFailure if it fails for an example or generated values
         */
        public void check(Check2<? super A, ? super B> check) {
            Objects.requireNonNull(check, "check");
            Runner.run(settings, List.of(a, b), v -> check.check(cast(v.get(0)), cast(v.get(1))));
        }
    }

    /**
     * A property of three generated values; see {@link Property}.
     *
     * <pre>{@code
     * Property.forAll(ints, ints, ints).check((x, y, z) -> assertEquals((x + y) + z, x + (y + z)));
     * }</pre>
     *
     * <p>Thread-safety: immutable.
     *
     * @param <A> the type of the first values
     * @param <B> the type of the second values
     * @param <C> the type of the third values
     */
    public static final class ForAll3<A, B, C> extends Configured<ForAll3<A, B, C>> {
        private final Gen<A> a;
        private final Gen<B> b;
        private final Gen<C> c;

        ForAll3(Runner.Settings settings, Gen<A> a, Gen<B> b, Gen<C> c) {
            super(settings);
            this.a = a;
            this.b = b;
            this.c = c;
        }

        @Override
        ForAll3<A, B, C> with(Runner.Settings settings) {
            return new ForAll3<>(settings, a, b, c);
        }

        /**
         * Values to check before the generated ones, as given.
         *
         * @param first the first value
         * @param second the second value
         * @param third the third value
         * @return the property with the example added
         */
        public ForAll3<A, B, C> example(A first, B second, C third) {
            return with(withExample(first, second, third));
        }

        /**
         * Runs the property.
         *
         * @param check the check; fails by throwing
         * @throws PropertyFailure if it fails for an example or generated values
         */
        public void check(Check3<? super A, ? super B, ? super C> check) {
            Objects.requireNonNull(check, "check");
            Runner.run(settings, List.of(a, b, c), v -> check.check(cast(v.get(0)), cast(v.get(1)), cast(v.get(2))));
        }
    }

    /**
     * A property of four generated values; see {@link Property}.
     *
     * <pre>{@code
     * Property.forAll(ops, consumers, faults, seeds).check((o, n, f, s) -> assertTrue(run(o, n, f, s).ok()));
     * }</pre>
     *
     * <p>Thread-safety: immutable.
     *
     * @param <A> the type of the first values
     * @param <B> the type of the second values
     * @param <C> the type of the third values
     * @param <D> the type of the fourth values
     */
    public static final class ForAll4<A, B, C, D> extends Configured<ForAll4<A, B, C, D>> {
        private final Gen<A> a;
        private final Gen<B> b;
        private final Gen<C> c;
        private final Gen<D> d;

        ForAll4(Runner.Settings settings, Gen<A> a, Gen<B> b, Gen<C> c, Gen<D> d) {
            super(settings);
            this.a = a;
            this.b = b;
            this.c = c;
            this.d = d;
        }

        @Override
        ForAll4<A, B, C, D> with(Runner.Settings settings) {
            return new ForAll4<>(settings, a, b, c, d);
        }

        /**
         * Values to check before the generated ones, as given.
         *
         * @param first the first value
         * @param second the second value
         * @param third the third value
         * @param fourth the fourth value
         * @return the property with the example added
         */
        public ForAll4<A, B, C, D> example(A first, B second, C third, D fourth) {
            return with(withExample(first, second, third, fourth));
        }

        /**
         * Runs the property.
         *
         * @param check the check; fails by throwing
         * @throws PropertyFailure if it fails for an example or generated values
         */
        public void check(Check4<? super A, ? super B, ? super C, ? super D> check) {
            Objects.requireNonNull(check, "check");
            Runner.run(settings, List.of(a, b, c, d),
                    v -> check.check(cast(v.get(0)), cast(v.get(1)), cast(v.get(2)), cast(v.get(3))));
        }
    }

    /**
     * The body of a property of one value; fails by throwing, checked exceptions included:
     * {@code list -> assertTrue(list.size() <= 10)}.
     *
     * <p>Thread-safety: {@code check} calls it on its own thread only.
     *
     * @param <A> the type of the value
     */
    @FunctionalInterface
    public interface Check1<A> {
        /**
         * Checks the property for one value.
         *
         * @param a the value
         * @throws Exception when the property fails (as does an {@link AssertionError})
         */
        void check(A a) throws Exception;
    }

    /**
     * The body of a property of two values: {@code (x, y) -> assertEquals(x + y, y + x)}.
     *
     * <p>Thread-safety: {@code check} calls it on its own thread only.
     *
     * @param <A> the type of the first value
     * @param <B> the type of the second value
     */
    @FunctionalInterface
    public interface Check2<A, B> {
        /**
         * Checks the property for two values.
         *
         * @param a the first value
         * @param b the second value
         * @throws Exception when the property fails (as does an {@link AssertionError})
         */
        void check(A a, B b) throws Exception;
    }

    /**
     * The body of a property of three values: {@code (x, y, z) -> assertEquals(x * (y + z), x * y + x * z)}.
     *
     * <p>Thread-safety: {@code check} calls it on its own thread only.
     *
     * @param <A> the type of the first value
     * @param <B> the type of the second value
     * @param <C> the type of the third value
     */
    @FunctionalInterface
    public interface Check3<A, B, C> {
        /**
         * Checks the property for three values.
         *
         * @param a the first value
         * @param b the second value
         * @param c the third value
         * @throws Exception when the property fails (as does an {@link AssertionError})
         */
        void check(A a, B b, C c) throws Exception;
    }

    /**
     * The body of a property of four values: {@code (ops, n, faults, seed) -> assertTrue(run(ops, n, seed).ok())}.
     *
     * <p>Thread-safety: {@code check} calls it on its own thread only.
     *
     * @param <A> the type of the first value
     * @param <B> the type of the second value
     * @param <C> the type of the third value
     * @param <D> the type of the fourth value
     */
    @FunctionalInterface
    public interface Check4<A, B, C, D> {
        /**
         * Checks the property for four values.
         *
         * @param a the first value
         * @param b the second value
         * @param c the third value
         * @param d the fourth value
         * @throws Exception when the property fails (as does an {@link AssertionError})
         */
        void check(A a, B b, C c, D d) throws Exception;
    }

    /** The values come from the generators (or the typed examples) of the same position, so the cast holds. */
    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }
}
