package io.fifoactors.e2e;

import java.time.Duration;

/** The knobs of the end-to-end tests, as system properties (see the module's README). */
final class E2eSettings {
    /** System property: how long the outage tests keep a server down, in seconds (default 15; 60 when soaking). */
    static final String OUTAGE_PROPERTY = "fa.e2e.outage.seconds";

    /**
     * System property: {@code true} runs every combination (each outage and the kill test with and without a queue
     * redrive policy); by default each outage runs once per redrive mode between them (the store with the queue's
     * redrive, the mailbox with the runtime's) and the kill test with the queue's.
     */
    static final String FULL_PROPERTY = "fa.e2e.full";

    private E2eSettings() {
    }

    static boolean full() {
        return Boolean.getBoolean(FULL_PROPERTY);
    }

    static Duration outage() {
        return Duration.ofSeconds(Long.getLong(OUTAGE_PROPERTY, 15));
    }
}
