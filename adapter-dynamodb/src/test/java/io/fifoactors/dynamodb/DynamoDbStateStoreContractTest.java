package io.fifoactors.dynamodb;

import io.fifoactors.contract.StateStoreContract;
import io.fifoactors.contract.StateStoreFixture;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared StateStore contract against dynalite: one server per class, a fresh table per store. */
class DynamoDbStateStoreContractTest extends StateStoreContract {
    @RegisterExtension
    static final DynaliteFixture DYNALITE = new DynaliteFixture();

    @Override
    protected StateStoreFixture newStore() {
        String table = DYNALITE.nextTable("actors");
        DYNALITE.provisioner().ensure(table);
        return StateStoreFixture.of(DYNALITE.store(table),
                () -> DYNALITE.provisioner().deleteTableIfPresent(table));
    }
}
