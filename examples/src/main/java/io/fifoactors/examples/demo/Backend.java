package io.fifoactors.examples.demo;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.OutcomeListener;

import java.util.List;

/**
 * Where a {@link Scenario} runs: the part that differs between the deterministic simulator ({@link SimulatorBackend})
 * and real servers ({@link ServersBackend}). The scenario drives the workload, the malformed messages, the accounting
 * and the checks; a backend supplies the consumers, the mailbox, the store and the timers, and its own figures.
 */
public interface Backend {
    /** Rejections each record keeps: the demo's checks and figures read them back (the library's default is 0). */
    int KEPT_REJECTIONS = 100;

    /**
     * Starts one scenario's run: an empty mailbox and store, these actor types registered, consumers ready, every
     * outcome of every consumer reported to {@code listener}.
     */
    Run open(String scenario, List<ActorType<?, ?>> types, ScenarioConfig cfg, OutcomeListener listener);

    /**
     * Whether time is real here: waits and timers then last seconds (a run waits for them), not the minutes and
     * days a simulated clock skips through.
     */
    default boolean realTime() {
        return false;
    }

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

        /**
         * Returns when everything is over with no outside help (no wake, no clock moved by hand): every message
         * processed and every timer fired, the deferral deadlines' included. The run's wall time ends here.
         */
        void finish();

        /** Deliveries processed so far (redeliveries included). */
        long deliveries();

        /** Batches processed so far. */
        long batches();

        /** The actor's record as stored. */
        <S> ActorSnapshot<S> inspect(ActorType<S, ?> type, String key);

        /**
         * Everything dead-lettered. At least {@code expected} are known to be coming: on real servers the dead-letter
         * queue is read (and emptied), waiting a little for that many.
         */
        List<DeadLetter> deadLetters(int expected);

        /** Whether everything drained: no message left, no timer pending. */
        Check settled();

        /** The backend's own figures (faults, consumers, store calls, timers, servers), in report order. */
        void figures(ScenarioReport report);

        /**
         * Checks of the backend's own beyond the scenario's, added after the domain checks; none by default (the
         * demo's).
         */
        default void checks(ScenarioReport report) {
        }

        /**
         * Anything printed after the checks (the request tables on real servers); nothing by default.
         *
         * @param produced      the messages the producer sent
         * @param actorMessages the actor-to-actor messages decided
         */
        default void appendix(ScenarioReport report, long produced, long actorMessages) {
        }

        @Override
        void close();
    }
}
