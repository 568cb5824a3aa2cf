package io.fifoactors.core.internal;

import io.fifoactors.core.runtime.Outcome;

import java.util.ArrayList;
import java.util.List;

/**
 * The working copy of one actor during a run: the version it was read at, the decoded state and bookkeeping, whether
 * anything changed since, and the outcomes to report once the change is durable. Mutable; confined to one run.
 */
final class Working {
    final long version;
    Object state;
    final Control ctl;
    boolean changed;
    final List<Outcome> outcomes = new ArrayList<>();

    Working(long version, Object state, Control ctl) {
        this.version = version;
        this.state = state;
        this.ctl = ctl;
    }
}
