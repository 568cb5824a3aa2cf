package io.fifoactors.contract;

import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Mailbox;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * One fresh, empty mailbox (a FIFO queue and its FIFO dead-letter queue) for one contract test or fuzz sequence.
 *
 * <p>Time: the contract tests never sleep. They call {@link Mailbox#receive} with a wait time, which a real server
 * answers by long polling and the in-memory mailbox by moving its virtual clock forward up to that wait, or
 * {@link #letTimePass}, which a real server's fixture answers by long polling an empty queue.
 *
 * <pre>{@code
 * try (MailboxFixture f = newMailbox(5)) {
 *     f.mailbox().send(messages);
 *     List<DeadLetter> dead = f.deadLetters(1, Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * <p>Implementations are used from one test thread; they need not be thread-safe.
 */
public interface MailboxFixture extends AutoCloseable {
    /** The reason {@link #deadLetters} gives a message the queue moved by its redrive policy (SQS gives none). */
    String MOVED_BY_REDRIVE = "(moved by the queue's redrive policy)";

    /**
     * Deviations of a server from AWS's documented behaviour, recorded in docs/semantics.md section 8. The fuzz's
     * model follows a fixture's quirks where they apply and checks everything else.
     *
     * <pre>{@code
     * public Set<Quirk> quirks() { return EnumSet.of(Quirk.EXPIRED_RECEIPT_DELETES); }
     * }</pre>
     *
     * <p>Immutable and thread-safe.
     */
    enum Quirk {
        /** Deleting with an expired (not superseded) receipt deletes the message; AWS FIFO refuses it. */
        EXPIRED_RECEIPT_DELETES,
        /** Changing visibility with an expired (not superseded) receipt hides the message again; AWS ignores it. */
        EXPIRED_RECEIPT_CHANGES_VISIBILITY,
        /** A visibility change past 12 hours after the receive is accepted; AWS refuses it. */
        NO_TOTAL_VISIBILITY_LIMIT,
        /**
         * A group delivers its visible first messages while a later message of it is in flight (one made visible
         * again out of order); AWS delivers nothing of a group with a message in flight.
         */
        LATER_IN_FLIGHT_DOES_NOT_LOCK_GROUP
    }

    Mailbox mailbox();

    /** The queue's maxReceiveCount (redrive to the dead-letter queue after that many receives), 0 for none. */
    int maxReceiveCount();

    /**
     * What is on the dead-letter queue now, each group's letters in queue order, waiting up to {@code timeout} until
     * there are at least {@code atLeast}. The reason is the one given to {@link Mailbox#deadLetter}, or
     * {@link #MOVED_BY_REDRIVE} for a message the queue moved there by its redrive policy.
     */
    List<DeadLetter> deadLetters(int atLeast, Duration timeout);

    /** Moves everything on the dead-letter queue back to the queue, as an operator would; returns how many. */
    int moveBackDeadLetters();

    /** Lets at least {@code d} of the mailbox's time pass (whole seconds on a real server). */
    void letTimePass(Duration d);

    /** The server's known deviations from AWS (none for a faithful mailbox). */
    default Set<Quirk> quirks() {
        return Set.of();
    }

    @Override
    void close();
}
