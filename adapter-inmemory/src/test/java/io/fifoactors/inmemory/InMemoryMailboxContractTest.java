package io.fifoactors.inmemory;

import io.fifoactors.contract.MailboxContract;
import io.fifoactors.contract.MailboxFixture;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Mailbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

class InMemoryMailboxContractTest extends MailboxContract {
    @Override
    protected MailboxFixture newMailbox(int maxReceiveCount) {
        VirtualClock clock = VirtualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
        InMemoryMailbox mailbox = InMemoryMailbox.builder().clock(clock).maxReceiveCount(maxReceiveCount).build();
        return new MailboxFixture() {
            @Override
            public Mailbox mailbox() {
                return mailbox;
            }

            @Override
            public int maxReceiveCount() {
                return maxReceiveCount;
            }

            @Override
            public List<DeadLetter> deadLetters(int atLeast, Duration timeout) {
                List<DeadLetter> all = new java.util.ArrayList<>(mailbox.deadLetters());
                all.addAll(mailbox.movedByRedrive());
                return all;
            }

            @Override
            public void close() {
            }
        };
    }
}
