package io.fifoactors.property;

import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;

/**
 * A property failed: for an example as given, or for generated values, then shrunk. The message tells the seeds, the
 * original and the shrunk values, both failures and how to replay; the cause is the failure of the shrunk values,
 * and the failure of the original values, when it is another exception, is attached as suppressed.
 *
 * <pre>{@code
 * PropertyFailure f = assertThrows(PropertyFailure.class, () -> Property.forAll(lists).check(...));
 * assertEquals(List.of(List.of(100)), f.shrunk());
 * }</pre>
 *
 * <p>Thread-safety: immutable but for what {@link Throwable} allows to change (stack trace, suppressed).
 */
public final class PropertyFailure extends AssertionError {
    // transient: the values need not be serializable, nor is OptionalLong; a test runner that serializes failures
    // between processes still gets the message, the cause and the stack trace, which tell everything
    private final transient List<Object> original;
    private final transient List<Object> shrunk;
    private final transient OptionalLong seed;
    private final transient OptionalLong trySeed;
    private final transient int shrinkSteps;

    PropertyFailure(String message, Throwable cause, List<Object> original, List<Object> shrunk, OptionalLong seed,
                    OptionalLong trySeed, int shrinkSteps) {
        super(message, cause);
        this.original = Collections.unmodifiableList(original);
        this.shrunk = Collections.unmodifiableList(shrunk);
        this.seed = seed;
        this.trySeed = trySeed;
        this.shrinkSteps = shrinkSteps;
    }

    /**
     * The values the property first failed for, one per generator.
     *
     * @return the values, unmodifiable
     */
    public List<Object> original() {
        return original;
    }

    /**
     * The smallest values found that still fail the same way, one per generator; the original ones for an example.
     *
     * @return the values, unmodifiable
     */
    public List<Object> shrunk() {
        return shrunk;
    }

    /**
     * The seed of the property's run; none for an example or a replayed try.
     *
     * @return the seed, if any
     */
    public OptionalLong seed() {
        return seed;
    }

    /**
     * The seed of the failing try, for {@link Property.ForAll1#replay(long)} and the like; none for an example.
     *
     * @return the seed, if any
     */
    public OptionalLong trySeed() {
        return trySeed;
    }

    /**
     * How many times shrinking found smaller failing values; 0 for an example.
     *
     * @return the count
     */
    public int shrinkSteps() {
        return shrinkSteps;
    }
}
