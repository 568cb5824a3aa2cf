package io.fifoactors.dynamodb;

import io.fifoactors.contract.StateStoreFixture;
import io.fifoactors.contract.StateStoreFuzzContract;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;

/**
 * The StateStore fuzz on DynamoDbStateStore over dynalite (always fresh, so the clock is not needed), with the same
 * sequences as InMemoryStateStoreFuzzTest in adapter-inmemory: a table per sequence, so a soak run keeps dynalite's
 * memory small.
 */
class DynamoDbStateStoreFuzzTest extends StateStoreFuzzContract {
    @RegisterExtension
    static final DynaliteFixture DYNALITE = new DynaliteFixture();

    @Override
    protected StateStoreFixture newStore(Clock clock) {
        String table = DYNALITE.nextTable("fuzz");
        DYNALITE.provisioner().ensureTable(table);
        return StateStoreFixture.of(DYNALITE.store(table),
                () -> DYNALITE.provisioner().deleteTableIfPresent(table));
    }
}
