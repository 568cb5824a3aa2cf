package io.fifoactors.core.runtime;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.internal.Inspection;
import io.fifoactors.core.port.Attention;
import io.fifoactors.core.port.StateStore;
import io.fifoactors.core.port.StoredRecord;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A read-only view of one actor's durable record, for tests, demos and operators: the state and the runtime's
 * bookkeeping in words.
 *
 * <pre>{@code
 * ActorSnapshot<Stock> s = system.inspect(Inventory.PRODUCT, "sku-1");
 * s.state().quantity();  s.stash();  s.timers();  s.parked();  s.recentRejections();
 *
 * // an operator tool, without the actor's classes: the state as the codec wrote it (JSON by default)
 * ActorSnapshot<byte[]> raw = ActorSnapshot.ofRecord(id, store.load(id));
 * String json = new String(raw.state(), StandardCharsets.UTF_8);
 * }</pre>
 *
 * <p>Immutable apart from the state, which is the caller's (a typed state is as immutable as its class; the bytes of
 * {@link #ofRecord} are a fresh copy the caller owns); thread-safe under that convention.
 *
 * @param version          the record's version (0: never committed)
 * @param recordBytes      the record's size as the store counts it against its item limit (state + bookkeeping)
 * @param appliedSequence  the mailbox sequence number of the last message applied ("" if none)
 * @param applied          messages applied so far (their effects are in the state)
 * @param rejected         messages rejected so far (by the handler, by a deferral deadline, or a full stash)
 * @param deferred         deferrals so far
 * @param deadLettered     messages of this actor dead-lettered by the runtime so far (malformed ones included)
 * @param timersFired      timers that fired and were handled so far
 * @param sent             outgoing entries this actor has committed so far: messages, timer firings (its own and
 *                         the runtime's deferral timer) and dead letters of kept messages (not a count of messages)
 * @param outbox           the outbox of the stored record: what it committed and has not been seen sent, as of its
 *                         last write (without a queue redrive policy, entries stay there after they were sent, until
 *                         the actor's next message proves them sent and its next write drops them)
 * @param stash            the messages deferred now, with their deadlines
 * @param parked           the message the actor is parked on, if any
 * @param held             how many messages are held because the actor is parked
 * @param timers           the timers set now (the runtime's own stash timer included, under key {@code fa:stash})
 * @param failing          the message whose handler is failing, if any, with the attempts counted so far
 * @param senderMarks      senders whose marks the record holds (older ones are in the archive)
 * @param archived         whether older sender marks have been moved to the actor's archive
 * @param recentRejections the most recent rejections, oldest first
 * @param attention        why the record asks for an operator (parked, failing, large), by the rule the runtime
 *                         applies on every commit; empty for an actor that never committed
 */
public record ActorSnapshot<S>(ActorId id, long version, long recordBytes, S state, String appliedSequence,
                               long applied, long rejected, long deferred, long deadLettered, long timersFired,
                               long sent, List<OutboxItem> outbox, List<StashedMessage> stash,
                               Optional<ParkedMessage> parked, int held, List<TimerView> timers,
                               Optional<Failing> failing, int senderMarks, boolean archived,
                               List<RejectionView> recentRejections, Set<Attention> attention) {
    public ActorSnapshot {
        outbox = List.copyOf(outbox);
        stash = List.copyOf(stash);
        timers = List.copyOf(timers);
        recentRejections = List.copyOf(recentRejections);
        attention = attention.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(attention));
    }

    /**
     * A snapshot of a stored record without its actor type: the state is the bytes the codec wrote (UTF-8 JSON text
     * with the default codec), the bookkeeping decoded as for a typed snapshot. For operator tools that read a store
     * directly and have none of the actors' classes. {@code record} empty: version 0, no state bytes, no attention.
     *
     * <pre>{@code
     * ActorSnapshot<byte[]> s = ActorSnapshot.ofRecord(ActorId.fromGroupId("account/a-1"), store.load(id));
     * s.parked().ifPresent(p -> System.out.println("parked on " + p.messageId() + ": " + p.reason()));
     * }</pre>
     *
     * @throws io.fifoactors.core.MessageDecodingException if the record's bookkeeping is not in a format this
     *                                                     runtime reads (a newer runtime wrote it, or it is corrupt)
     */
    public static ActorSnapshot<byte[]> ofRecord(ActorId id, Optional<StoredRecord> record) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(record, "record");
        return Inspection.rawSnapshot(id, record);
    }

    /** How much of {@link StateStore#MAX_RECORD_BYTES} the record uses, in percent (0 to 100). */
    public double recordUsePercent() {
        return 100.0 * recordBytes / StateStore.MAX_RECORD_BYTES;
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
