package io.fifoactors.e2e;

import java.time.Duration;

/** The knobs of the end-to-end tests, as system properties (see the module's README). */
final class E2eSettings {
    /** System property: how long the outage tests keep a server down, in seconds (default 15; 60 when soaking). */
    static final String OUTAGE_PROPERTY = "fa.e2e.outage.seconds";

    private E2eSettings() {
    }

    static Duration outage() {
        return Duration.ofSeconds(Long.getLong(OUTAGE_PROPERTY, 15));
    }
}
