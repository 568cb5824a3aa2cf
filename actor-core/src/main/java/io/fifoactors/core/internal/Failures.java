package io.fifoactors.core.internal;

/** How a failure is described in reasons, outcomes and logs: the class and the message, never a payload. */
final class Failures {
    private Failures() {
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getName() + (m == null ? "" : ": " + m);
    }
}
