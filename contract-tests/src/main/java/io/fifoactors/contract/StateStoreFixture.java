package io.fifoactors.contract;

import io.fifoactors.core.port.StateStore;

import java.util.Objects;

/**
 * One fresh, empty state store (a table of its own, or a namespace no other fixture uses) for one contract test.
 *
 * <pre>{@code
 * StateStoreFixture f = StateStoreFixture.of(InMemoryStateStore.create(), () -> { });
 * }</pre>
 *
 * <p>Used by one test thread at a time; the store itself is thread-safe.
 */
public interface StateStoreFixture extends AutoCloseable {
    StateStore store();

    @Override
    void close();

    /** A fixture of {@code store} that runs {@code close} when closed. */
    static StateStoreFixture of(StateStore store, Runnable close) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(close, "close");
        return new StateStoreFixture() {
            @Override
            public StateStore store() {
                return store;
            }

            @Override
            public void close() {
                close.run();
            }
        };
    }
}
