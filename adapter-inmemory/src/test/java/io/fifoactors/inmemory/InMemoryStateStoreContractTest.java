package io.fifoactors.inmemory;

import io.fifoactors.contract.StateStoreContract;
import io.fifoactors.contract.StateStoreFixture;
import io.fifoactors.core.port.StateStore;

class InMemoryStateStoreContractTest extends StateStoreContract {
    @Override
    protected StateStoreFixture newStore() {
        InMemoryStateStore store = InMemoryStateStore.create();
        return new StateStoreFixture() {
            @Override
            public StateStore store() {
                return store;
            }

            @Override
            public void close() {
            }
        };
    }
}
