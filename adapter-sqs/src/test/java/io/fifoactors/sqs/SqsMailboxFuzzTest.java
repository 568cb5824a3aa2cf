package io.fifoactors.sqs;

import io.fifoactors.contract.MailboxFixture;
import io.fifoactors.contract.MailboxFuzz;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The mailbox fuzz on the SQS mailbox over an embedded ElasticMQ server. Time passing is real (3 s long polls of an
 * empty queue), so sequences run eight at a time; ElasticMQ's documented quirks are followed by the model.
 */
class SqsMailboxFuzzTest extends MailboxFuzz {
    @RegisterExtension
    static final ElasticMqFixture SQS = new ElasticMqFixture();

    @Override
    protected MailboxFixture newMailbox(int maxReceiveCount) {
        return new SqsMailboxFixture(SQS.client(), "fuzz", maxReceiveCount);
    }

    @Override
    protected int ciSequences() {
        return 24;
    }

    @Override
    protected int threads() {
        return 8;
    }
}
