package io.fifoactors.inmemory;

import io.fifoactors.contract.MailboxFixture;
import io.fifoactors.contract.MailboxFuzz;

/** The mailbox fuzz on the in-memory mailbox, on its virtual clock (time passing costs nothing). */
class InMemoryMailboxFuzzTest extends MailboxFuzz {
    @Override
    protected MailboxFixture newMailbox(int maxReceiveCount) {
        return InMemoryMailboxContractTest.fixture(maxReceiveCount);
    }

    @Override
    protected int ciSequences() {
        return 300;
    }

    @Override
    protected int steps() {
        return 60;
    }

    @Override
    protected int maxPasses() {
        return 6;
    }
}
