package io.fifoactors.core.internal;

import io.fifoactors.core.runtime.BatchOutcome.RetryCause;

/** Why a fold stopped before the end of the group's deliveries (or that it reached it). */
sealed interface Stop {
    /** Every delivery up to the limit was consumed. */
    record End() implements Stop {
    }

    /**
     * Delivery {@code at} is to be dead-lettered with {@code reason} before anything after it. {@code neverApplied}:
     * the actor knows it never applied the message, so a copy of it an operator moves back is applied (false for a
     * re-send it cannot tell from an applied message).
     */
    record DeadLetter(int at, String reason, boolean neverApplied) implements Stop {
        DeadLetter(int at, String reason) {
            this(at, reason, true);
        }
    }

    /** Delivery {@code at} and the group's later ones are to be redelivered. */
    record Retry(int at, String reason, RetryCause cause) implements Stop {
    }

    /** An attempt at delivery {@code at} is to be recorded before its handler runs (crash detection). */
    record MarkAttempt(int at) implements Stop {
    }

    Stop END = new End();
}
