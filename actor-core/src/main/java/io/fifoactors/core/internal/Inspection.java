package io.fifoactors.core.internal;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.port.StoredRecord;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.MessageKeys;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the public runtime needs of the internals besides running batches: snapshots and signed system messages. */
public final class Inspection {
    private Inspection() {
    }

    /** The actor's record, decoded into a snapshot ({@code record} empty: the initial state, version 0). */
    public static <S> ActorSnapshot<S> snapshot(ActorType<S, ?> type, ActorId id, Optional<StoredRecord> record,
                                                io.fifoactors.core.codec.Codec codec) {
        S state = record.map(r -> codec.decode(r.state(), type.stateClass())).orElseGet(() -> type.initialState(id));
        return snapshot(id, record, state);
    }

    /**
     * The actor's record with its state bytes as the codec wrote them ({@code record} empty: no bytes, version 0).
     *
     * @throws io.fifoactors.core.MessageDecodingException if the bookkeeping is not a record this runtime reads
     */
    public static ActorSnapshot<byte[]> rawSnapshot(ActorId id, Optional<StoredRecord> record) {
        return snapshot(id, record, record.map(r -> r.state().clone()).orElseGet(() -> new byte[0]));
    }

    private static <S> ActorSnapshot<S> snapshot(ActorId id, Optional<StoredRecord> record, S state) {
        Control c = record.map(r -> Control.decode(r.control())).orElseGet(Control::new);
        List<ActorSnapshot.OutboxItem> outbox = new ArrayList<>();
        for (OutboxEntry e : c.outbox) {
            Instant at = Instant.ofEpochMilli(e.committedAtMillis());
            if (e instanceof OutboxEntry.Message m) {
                outbox.add(new ActorSnapshot.OutboxItem("message", m.target(), m.type(), at));
            } else if (e instanceof OutboxEntry.Timer t) {
                outbox.add(new ActorSnapshot.OutboxItem("timer", id.groupId(), t.key(), at));
            } else if (e instanceof OutboxEntry.DeadLetter d) {
                outbox.add(new ActorSnapshot.OutboxItem("dead-letter", "", d.type(), at));
            }
        }
        List<ActorSnapshot.StashedMessage> stash = c.stash.stream().map(s -> new ActorSnapshot.StashedMessage(
                s.messageId(), s.type(), Instant.ofEpochMilli(s.deadlineMillis()), s.reason())).toList();
        Optional<ActorSnapshot.ParkedMessage> parked = c.parked.map(p -> new ActorSnapshot.ParkedMessage(
                p.messageId(), p.type(), p.reason().orElse("")));
        List<ActorSnapshot.TimerView> timers = c.timers.stream().map(t -> new ActorSnapshot.TimerView(t.key(),
                Instant.ofEpochMilli(t.dueMillis()), t.type())).toList();
        Optional<ActorSnapshot.Failing> failing = c.failingSeq.isEmpty() ? Optional.empty()
                : Optional.of(new ActorSnapshot.Failing(c.failingSeq, c.failedAttempts, c.attemptInProgress,
                c.failingReason));
        List<ActorSnapshot.RejectionView> rejections = c.recentRejections.stream().map(r ->
                new ActorSnapshot.RejectionView(r.messageId(), r.type(), r.reason(),
                        Instant.ofEpochMilli(r.atMillis()))).toList();
        long bytes = record.map(StoredRecord::sizeBytes).orElse(0L);
        return new ActorSnapshot<>(id, record.map(StoredRecord::version).orElse(0L), bytes, state, c.appliedSeq,
                c.applied, c.rejected, c.deferred, c.deadLettered, c.timersFired, c.outSeq, outbox, stash, parked,
                c.held.size(), timers, failing, c.marks.size(), c.archive.isPresent(), rejections,
                record.isEmpty() ? java.util.Set.of() : c.attention(bytes));
    }

    /** A signed system message (wake, unpark) to {@code target}. */
    public static OutgoingMessage systemMessage(ActorId target, String requestId, String type, byte[] body,
                                                MessageKeys keys) {
        return Outbound.system(target, requestId, type, body, keys);
    }
}
