package io.fifoactors.contract;

import io.fifoactors.core.port.StateStore;

/** One fresh, empty state store (a table of its own) for one contract test. */
public interface StateStoreFixture extends AutoCloseable {
    StateStore store();

    @Override
    void close();
}
