package io.fifoactors.inmemory;

import io.fifoactors.contract.StateStoreContract;
import io.fifoactors.contract.StateStoreFixture;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The shared StateStore contract on an in-memory store whose eventually consistent reads are stale half of the time
 * (within its window, by the system clock): the contract's eventual-read assertions must hold for what DynamoDB may
 * return, not only for the latest record.
 */
class InMemoryStaleStateStoreContractTest extends StateStoreContract {
    private static final AtomicLong SEEDS = new AtomicLong(42);

    @Override
    protected StateStoreFixture newStore() {
        return StateStoreFixture.of(InMemoryStateStore.builder().staleReads(0.5, SEEDS.incrementAndGet()).build(),
                () -> { });
    }
}
