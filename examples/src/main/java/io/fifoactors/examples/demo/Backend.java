package io.fifoactors.examples.demo;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.Outcome;

import java.time.Duration;
import java.util.List;

/**
 * Where a {@link Scenario} runs: the part that differs between the deterministic simulator ({@link SimulatorBackend})
 * and real servers ({@link ServersBackend}). The scenario drives the workload, the malformed messages, the accounting
 * and the checks; a backend supplies the consumers, the mailbox and the store, and its own figures.
 */
public interface Backend {
    /** Starts one scenario's run: an empty mailbox and store, this actor type registered, consumers ready. */
    Run open(String scenario, ActorType<?, ?> type, ScenarioConfig cfg);

    /** One scenario's run, in the order the scenario calls it. */
    interface Run extends AutoCloseable {
        /** The system producers send through (the domain's ingress is built on it). */
        ActorSystem producer();

        /** Sends messages as they are, bypassing any codec (the malformed ones). */
        void sendRaw(List<OutgoingMessage> messages);

        /**
         * Tells the run that the producer sent this message to this actor, in send order (ingress records in the
         * ingress's order, then the malformed ones of the batch); nothing by default.
         */
        default void sent(ActorId target, String messageId) {
        }

        /** Returns when everything sent so far has been processed (or, on real servers, it gave up waiting). */
        void settle();

        /** Deliveries processed so far (redeliveries included). */
        long deliveries();

        /** Moves the runtime's clock forward, past every deferral deadline. */
        void expireDeferrals(Duration by);

        /** Wakes an actor so that it expires its due deferrals. */
        void wake(ActorId id, String requestId);

        /** Settles the last messages (the wakes); the run's wall time ends here. */
        void finish();

        /** The actor's record as stored. */
        <S> ActorSnapshot<S> inspect(ActorId id, Class<S> stateClass);

        /**
         * Everything dead-lettered. At least {@code expected} are known to be coming: on real servers the dead-letter
         * queue is read (and emptied), waiting a little for that many.
         */
        List<DeadLetter> deadLetters(int expected);

        /** Batches processed. */
        long batches();

        /** How many outcomes of this kind the consumers reported. */
        long outcome(Outcome.Kind kind);

        /** Whether the mailbox drained. */
        Check settled();

        /** The backend's own figures (faults, consumers, store calls, time or servers), in report order. */
        void figures(ScenarioReport report);

        /**
         * Checks of the backend's own beyond the scenario's, added after the domain checks; none by default (the
         * demo's). {@code sent} is the actor-to-actor messages the actors' records say they sent.
         */
        default void checks(ScenarioReport report, long sent) {
        }

        /** Anything printed after the checks (the request tables on real servers); nothing by default. */
        default void appendix(ScenarioReport report, long produced, long sent) {
        }

        @Override
        void close();
    }
}
