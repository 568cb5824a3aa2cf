package io.fifoactors.inmemory;

import io.fifoactors.contract.StateStoreFixture;
import io.fifoactors.contract.StateStoreFuzzContract;

import java.time.Clock;

/**
 * The StateStore fuzz on an in-memory store with stale eventually consistent reads on the fuzz's clock; the same
 * sequences run on DynamoDbStateStore over dynalite in adapter-dynamodb.
 */
class InMemoryStateStoreFuzzTest extends StateStoreFuzzContract {
    @Override
    protected StateStoreFixture newStore(Clock clock) {
        return StateStoreFixture.of(InMemoryStateStore.builder().clock(clock).staleReads(0.5, 7).build(), () -> { });
    }
}
