package io.fifoactors.property;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/** Runs a property: its examples, then its tries, and on a failure shrinks it and reports it. */
final class Runner {
    static final String TRIES_PROPERTY = "fa.property.tries";
    static final String SEED_PROPERTY = "fa.property.seed";
    static final int DEFAULT_TRIES = 100;
    static final int DEFAULT_SHRINK_LIMIT = 1000;

    /** The configuration of a property; every field as given in code, the system properties are read at run time. */
    record Settings(OptionalInt tries, OptionalLong seed, OptionalLong replay, int shrinkLimit,
                    List<List<Object>> examples) {
        static final Settings DEFAULT = new Settings(OptionalInt.empty(), OptionalLong.empty(), OptionalLong.empty(),
                DEFAULT_SHRINK_LIMIT, List.of());
    }

    /** The property's body over the values of all its generators, in order. */
    interface Check {
        void check(List<Object> values) throws Exception;
    }

    interface Generation {
        List<Object> generate(Source source);
    }

    interface Evaluation {
        /** The failure of the property for these values, if it fails. */
        Optional<Throwable> evaluate(List<Object> values);
    }

    private final Settings settings;
    private final Generation generation;
    private final Evaluation evaluation;

    private Runner(Settings settings, List<Gen<?>> gens, Check check) {
        this.settings = settings;
        this.generation = source -> {
            List<Object> values = new ArrayList<>(gens.size());
            for (Gen<?> gen : gens) {
                values.add(gen.generate(source));
            }
            return Collections.unmodifiableList(values);
        };
        this.evaluation = values -> {
            try {
                check.check(values);
                return Optional.empty();
            } catch (Exception | AssertionError failure) {
                // other errors (out of memory, ...) are the JVM's trouble, not a counterexample
                return Optional.of(failure);
            }
        };
    }

    static void run(Settings settings, List<Gen<?>> gens, Check check) {
        new Runner(settings, gens, check).run();
    }

    private void run() {
        if (settings.replay().isPresent()) {
            long trySeed = settings.replay().getAsLong();
            runTry(trySeed, OptionalLong.empty(), "The replayed try (try seed " + trySeed + ")",
                    ".replay(" + trySeed + "L) runs it again.");
            return;
        }
        List<List<Object>> examples = settings.examples();
        for (int i = 0; i < examples.size(); i++) {
            List<Object> values = examples.get(i);
            Optional<Throwable> failure = evaluation.evaluate(values);
            if (failure.isPresent()) {
                String message = "Example " + (i + 1) + " of " + examples.size()
                        + " failed (examples run as given, without shrinking):\n" + describe(values)
                        + "Failure: " + failure.get();
                throw new PropertyFailure(message, failure.get(), values, values, OptionalLong.empty(),
                        OptionalLong.empty(), 0);
            }
        }
        long seed = settings.seed().orElseGet(() -> systemLong(SEED_PROPERTY)
                .orElseGet(() -> ThreadLocalRandom.current().nextLong()));
        int tries = settings.tries().orElseGet(() -> systemTries().orElse(DEFAULT_TRIES));
        // each try has a seed of its own, drawn from the property's, so that one try can be replayed alone
        SplittableRandom trySeeds = new SplittableRandom(seed);
        // a seed set in the code wins over the system property, so the hint names what will work
        String replay = settings.seed().isPresent()
                ? "The code's .seed(" + seed + "L) replays the run"
                : "-D" + SEED_PROPERTY + "=" + seed + " -D" + TRIES_PROPERTY + "=" + tries + " (or .seed(" + seed
                + "L) in the code) replays the run";
        for (int i = 1; i <= tries; i++) {
            long trySeed = trySeeds.nextLong();
            runTry(trySeed, OptionalLong.of(seed),
                    "Try " + i + " of " + tries + " (property seed " + seed + ", try seed " + trySeed + ")",
                    replay + "; .replay(" + trySeed + "L) runs only this try.");
        }
    }

    private void runTry(long trySeed, OptionalLong seed, String which, String replayHint) {
        Source source = Source.generating(trySeed);
        List<Object> values;
        try {
            values = generation.generate(source);
        } catch (RuntimeException e) {
            throw new IllegalStateException(which + ": generating the values failed: " + e.getMessage(), e);
        }
        Optional<Throwable> failure = evaluation.evaluate(values);
        if (failure.isEmpty()) {
            return;
        }
        Shrinker shrinker = new Shrinker(generation, evaluation, new Shrinker.Case(source.choices(),
                source.deletableStretches(), values, failure.get()), settings.shrinkLimit());
        shrinker.shrink();
        Shrinker.Case shrunk = shrinker.best();
        String message = which + " failed.\n"
                + "Shrunk in " + shrinker.steps() + " steps (" + shrinker.evaluations() + " evaluations"
                + (shrinker.budgetSpent() ? ", stopped at the limit of " + settings.shrinkLimit() : "") + "):\n"
                + describe(shrunk.values())
                + "Original:\n" + describe(values)
                + "Failure of the shrunk values: " + shrunk.failure() + "\n"
                + "Failure of the original values: " + failure.get() + "\n"
                + replayHint;
        PropertyFailure thrown = new PropertyFailure(message, shrunk.failure(), values, shrunk.values(),
                seed, OptionalLong.of(trySeed), shrinker.steps());
        if (shrunk.failure() != failure.get()) {
            thrown.addSuppressed(failure.get());
        }
        throw thrown;
    }

    private static String describe(List<Object> values) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            b.append("  ").append(values.size() == 1 ? "" : "#" + (i + 1) + " = ").append(show(values.get(i)))
                    .append('\n');
        }
        return b.toString();
    }

    /** Strings quoted and escaped, since trailing spaces and control characters are invisible otherwise. */
    private static String show(Object value) {
        if (!(value instanceof String s)) {
            return String.valueOf(value);
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private static OptionalInt systemTries() {
        String value = System.getProperty(TRIES_PROPERTY);
        if (value == null || value.isBlank()) {
            return OptionalInt.empty();
        }
        try {
            int tries = Integer.parseInt(value.trim());
            if (tries > 0) {
                return OptionalInt.of(tries);
            }
        } catch (NumberFormatException e) {
            // reported below with the value
        }
        throw new IllegalArgumentException("system property " + TRIES_PROPERTY + " must be a positive integer, was '"
                + value + "'");
    }

    private static OptionalLong systemLong(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("system property " + name + " must be a long, was '" + value + "'", e);
        }
    }
}
