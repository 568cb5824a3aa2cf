package io.fifoactors.sqs;

import io.fifoactors.contract.MailboxContract;
import io.fifoactors.contract.MailboxFixture;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared Mailbox contract, on an embedded ElasticMQ server (one per test class). */
class SqsMailboxContractTest extends MailboxContract {
    @RegisterExtension
    static final ElasticMqFixture SQS = new ElasticMqFixture();

    @Override
    protected MailboxFixture newMailbox(int maxReceiveCount) {
        return new SqsMailboxFixture(SQS.client(), "contract", maxReceiveCount);
    }

    @Override
    protected MailboxFixture newMailboxWithoutRedrive() {
        return new SqsMailboxFixture(SQS.client(), "contract", 0);
    }
}
