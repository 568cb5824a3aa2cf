package io.fifoactors.core.runtime;

/** How an operator resolves a parked actor. */
public enum Resolution {
    /** Handle the parked message again (after a fix was deployed); on success the held messages follow in order. */
    RETRY,
    /** Dead-letter the parked message with reason "skipped by operator"; the held messages follow in order. */
    SKIP
}
