package io.fifoactors.inmemory;

import io.fifoactors.contract.StateStoreContract;
import io.fifoactors.contract.StateStoreFixture;

/** The shared StateStore contract on an in-memory store whose eventually consistent reads are always fresh. */
class InMemoryStateStoreContractTest extends StateStoreContract {
    @Override
    protected StateStoreFixture newStore() {
        return StateStoreFixture.of(InMemoryStateStore.create(), () -> { });
    }
}
