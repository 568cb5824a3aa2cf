package io.fifoactors.inmemory;

import io.fifoactors.contract.MailboxContract;
import io.fifoactors.contract.MailboxFixture;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Mailbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

class InMemoryMailboxContractTest extends MailboxContract {
    /** The in-memory mailbox as a contract fixture, on its own virtual clock. */
    static MailboxFixture fixture(int maxReceiveCount) {
        VirtualClock clock = VirtualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
        InMemoryMailbox.Builder b = InMemoryMailbox.builder().clock(clock);
        InMemoryMailbox mailbox = (maxReceiveCount == 0 ? b.noRedrive() : b.maxReceiveCount(maxReceiveCount)).build();
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
                List<DeadLetter> out = new ArrayList<>();
                for (DeadLetter d : mailbox.deadLetterQueue()) {
                    out.add(d.reason().equals(InMemoryMailbox.REDRIVE_REASON)
                            ? new DeadLetter(d.groupId(), d.messageId(), d.deadLetterId(), d.attributes(), d.body(),
                            MOVED_BY_REDRIVE) : d);
                }
                return out;
            }

            @Override
            public int moveBackDeadLetters() {
                return mailbox.moveBack(d -> true).size();
            }

            @Override
            public void letTimePass(Duration d) {
                clock.advance(d);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    protected MailboxFixture newMailbox(int maxReceiveCount) {
        return fixture(maxReceiveCount);
    }

    @Override
    protected MailboxFixture newMailboxWithoutRedrive() {
        return fixture(0);
    }
}
