package io.fifoactors.core.port;

import java.util.OptionalInt;

/**
 * Whether a mailbox moves a message to its dead-letter queue by itself after some number of receives (an SQS
 * redrive policy's maxReceiveCount), or never does (no redrive policy: only consumers dead-letter). The runtime
 * asks the mailbox for it and adapts: see docs/semantics.md, section 5.
 *
 * <pre>{@code
 * RedrivePolicy.afterReceives(15).maxReceiveCount();   // OptionalInt[15]
 * RedrivePolicy.none().redrives();                      // false
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public record RedrivePolicy(OptionalInt maxReceiveCount) {
    public RedrivePolicy {
        if (maxReceiveCount.isPresent() && (maxReceiveCount.getAsInt() < 1 || maxReceiveCount.getAsInt() > 1000)) {
            throw new IllegalArgumentException("maxReceiveCount must be 1 to 1000, was "
                    + maxReceiveCount.getAsInt());
        }
    }

    private static final RedrivePolicy NONE = new RedrivePolicy(OptionalInt.empty());

    /** The queue never moves a message by itself. */
    public static RedrivePolicy none() {
        return NONE;
    }

    /** The queue moves a message received {@code maxReceiveCount} times when it next becomes visible. */
    public static RedrivePolicy afterReceives(int maxReceiveCount) {
        return new RedrivePolicy(OptionalInt.of(maxReceiveCount));
    }

    public boolean redrives() {
        return maxReceiveCount.isPresent();
    }

    @Override
    public String toString() {
        return redrives() ? "RedrivePolicy[after " + maxReceiveCount.getAsInt() + " receives]" : "RedrivePolicy[none]";
    }
}
