package io.fifoactors.core.runtime;

import io.fifoactors.core.ActorId;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A read-only view of one actor's durable record, for tests, demos and operators: the state and the runtime's
 * bookkeeping in words.
 *
 * <pre>{@code
 * ActorSnapshot<Stock> s = system.inspect(Inventory.PRODUCT, "sku-1");
 * s.state().quantity();  s.stash();  s.timers();  s.parked();  s.recentRejections();
 * }</pre>
 *
 * @param version          the record's version (0: never committed)
 * @param recordBytes      the record's size as the store counts it against its item limit (state + bookkeeping)
 * @param appliedSequence  the mailbox sequence number of the last message applied ("" if none)
 * @param applied          messages applied so far (their effects are in the state)
 * @param rejected         messages rejected so far (by the handler, by a deferral deadline, or a full stash)
 * @param deferred         deferrals so far
 * @param deadLettered     messages of this actor dead-lettered by the runtime so far (malformed ones included)
 * @param timersFired      timers that fired and were handled so far
 * @param sent             messages and timer firings this actor has committed so far
 * @param outbox           what it committed and has not been seen sent (sent again, deduplicated, if not known sent)
 * @param stash            the messages deferred now, with their deadlines
 * @param parked           the message the actor is parked on, if any
 * @param held             how many messages are held because the actor is parked
 * @param timers           the timers set now (the runtime's own stash timer included, under key {@code fa:stash})
 * @param failing          the message whose handler is failing, if any, with the attempts counted so far
 * @param senderMarks      senders whose marks the record holds (older ones are in the archive)
 * @param archived         whether older sender marks have been moved to the actor's archive
 * @param recentRejections the most recent rejections, oldest first
 */
public record ActorSnapshot<S>(ActorId id, long version, long recordBytes, S state, String appliedSequence,
                               long applied, long rejected, long deferred, long deadLettered, long timersFired,
                               long sent, List<OutboxItem> outbox, List<StashedMessage> stash,
                               Optional<ParkedMessage> parked, int held, List<TimerView> timers,
                               Optional<Failing> failing, int senderMarks, boolean archived,
                               List<RejectionView> recentRejections) {
    public ActorSnapshot {
        outbox = List.copyOf(outbox);
        stash = List.copyOf(stash);
        timers = List.copyOf(timers);
        recentRejections = List.copyOf(recentRejections);
    }

    /** A message deferred in the stash. */
    public record StashedMessage(String messageId, String type, Instant deadline, Optional<String> lastFailure) {
    }

    /** The message the actor is parked on, and why. */
    public record ParkedMessage(String messageId, String type, String reason) {
    }

    /** A timer: its key, when it is due, and the wire type of the message it delivers ("" for the stash timer). */
    public record TimerView(String key, Instant due, String type) {
    }

    /** A committed outbox entry: a message to an actor, a timer firing, or a stored message to dead-letter. */
    public record OutboxItem(String kind, String target, String type, Instant committedAt) {
    }

    /** The message whose handler failed last, the attempts counted, and the last failure. */
    public record Failing(String sequenceNumber, int attempts, boolean attemptInProgress, Optional<String> reason) {
    }

    /** A recent rejection. */
    public record RejectionView(String messageId, String type, String reason, Instant at) {
    }
}
