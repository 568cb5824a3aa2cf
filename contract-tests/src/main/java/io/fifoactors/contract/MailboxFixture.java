package io.fifoactors.contract;

import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Mailbox;

import java.time.Duration;
import java.util.List;

/**
 * One fresh, empty mailbox (a FIFO queue and its FIFO dead-letter queue) for one contract test.
 *
 * <p>Time: the contract tests never sleep. They call {@link Mailbox#receive} with a wait time, which a real server
 * answers by long polling and the in-memory mailbox by moving its virtual clock forward up to that wait.
 */
public interface MailboxFixture extends AutoCloseable {
    Mailbox mailbox();

    /** The queue's maxReceiveCount (redrive to the dead-letter queue after that many receives). */
    int maxReceiveCount();

    /**
     * Every message on the dead-letter queue so far, waiting up to {@code timeout} until there are at least
     * {@code atLeast}. The reason is the one given to {@link Mailbox#deadLetter}, or empty for a message the
     * queue moved there by redrive.
     */
    List<DeadLetter> deadLetters(int atLeast, Duration timeout);

    @Override
    void close();
}
