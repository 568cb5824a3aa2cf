package io.fifoactors.core.runtime;

import io.fifoactors.core.ActorContext;
import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.Effect;
import io.fifoactors.core.FifoActorsException;
import io.fifoactors.core.Handler;
import io.fifoactors.core.MessageDecodingException;
import io.fifoactors.core.MessageEncodingException;
import io.fifoactors.core.MessageMetadata;
import io.fifoactors.core.MessageTooLargeException;
import io.fifoactors.core.PoisonPolicy;
import io.fifoactors.core.RecordTooLargeException;
import io.fifoactors.core.VersionConflictException;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.port.SequenceNumbers;
import io.fifoactors.core.port.StoredRecord;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Processes one group's deliveries of one batch: the messages of one actor, in order. The deliveries are folded into
 * segments; each segment ends in at most one conditional commit, followed by the outbox flush. A segment also ends
 * where a message must be dead-lettered (the messages before it are committed first, so that the dead-letter send
 * happens before anything later is applied) and where a message must be retried (it and the group's later messages
 * are released). Not thread-safe; one runner per group per batch.
 */
final class ActorRunner {
    /** Bytes the sender and sequence attributes can add to an outgoing message. */
    private static final long ENVELOPE_OVERHEAD = Envelope.SENDER.length() + Envelope.SENDER_SEQ.length()
            + 2 * "String".length() + ActorId.MAX_GROUP_ID_LENGTH + 20;

    private final ActorSystem system;
    private final String groupId;
    private final List<Delivery> deliveries;
    private final Map<ActorId, StoredRecord> preloaded;

    private ActorId id;
    private ActorType<Object, Object> type;
    private Handler<Object, Object> handler;
    private String idPrefix;
    private String lastValidSender; // checked once per run, not once per message

    // the working copy, rebuilt from the stored record on every attempt
    private long version;
    private Object state;
    private ActorControl ctl;
    private boolean changed;
    // the record came from this instance's cache: a lost race then means it was stale
    private boolean fromCache;
    private final List<Outcome> pending = new ArrayList<>();

    // when the system sends the outboxes of all actors of a batch together, the last segment's send waits for it
    private final boolean deferLastSend;
    private DeferredSend deferred;

    /** The last segment's outbox, committed and not yet sent; {@code from} is where that segment started. */
    private record DeferredSend(List<OutboxEntry> entries, int from, Stop stop, StoredRecord record) {
    }

    ActorRunner(ActorSystem system, String groupId, List<Delivery> deliveries, Map<ActorId, StoredRecord> preloaded,
                boolean deferLastSend) {
        this.system = system;
        this.groupId = groupId;
        this.deliveries = deliveries;
        this.preloaded = preloaded;
        this.deferLastSend = deferLastSend;
    }

    private enum StopKind { END, DEAD_LETTER, RETRY, SKIP_PARKED }

    private record Stop(StopKind kind, int at, String reason) {
        static final Stop END = new Stop(StopKind.END, -1, null);
    }

    /**
     * Returns the deliveries to release for redelivery; the rest are settled, unless {@link #deferredSend()} is not
     * empty: then {@link #completeDeferredSend} decides.
     */
    @SuppressWarnings("unchecked")
    List<Delivery> run() {
        try {
            id = ActorId.fromGroupId(groupId);
        } catch (FifoActorsException e) {
            return deadLetterAll(null, "invalid actor group id: " + e.getMessage());
        }
        ActorType<?, ?> t = system.typeOrNull(id.type());
        if (t == null) {
            return deadLetterAll(id, "no actor type '" + id.type() + "' is registered");
        }
        type = (ActorType<Object, Object>) t;
        handler = type.handler();

        int i = 0;
        int conflicts = 0;
        int limit = Integer.MAX_VALUE;
        StoredRecord record;
        try {
            record = initialRecord();
        } catch (RuntimeException e) {
            return retryFrom(0, "loading the record failed: " + describe(e));
        }
        boolean skipParkedDone = false;
        boolean storedOutboxSent = false;
        boolean loaded = true; // the record is the stored one, not one this run just wrote
        while (i < deliveries.size()) {
            try {
                // entries known sent are dropped; the stored copy then needs a clear as well
                storedOutboxSent |= startWorking(record, loaded);
            } catch (MessageDecodingException e) {
                return retryFrom(i, "the stored record cannot be decoded: " + e.getMessage());
            }
            pending.clear();
            int[] consumed = new int[1];
            Stop stop = fold(i, limit, consumed, skipParkedDone);
            if (!changed && fromCache) {
                // A cached record is trusted only where a commit checks its version. Writing nothing, this run
                // would act on it unchecked (say, miss an outbox another consumer committed): read the store.
                fromCache = false;
                try {
                    record = system.store().load(id).orElse(null);
                    loaded = true;
                } catch (RuntimeException e) {
                    return retryFrom(i, "loading the record failed: " + describe(e));
                }
                continue;
            }
            skipParkedDone = false;
            if (changed) {
                StoredRecord next = null;
                try {
                    next = new StoredRecord(version + 1, system.codec().encode(state), ctl.encode());
                    system.store().commit(id, version, next);
                } catch (VersionConflictException e) {
                    system.remember(id, null);
                    system.emit(new Outcome(id, "", Outcome.Kind.VERSION_CONFLICT, "expected version " + version
                            + (fromCache ? " (the cached record was stale)" : "")));
                    fromCache = false;
                    if (++conflicts > system.maxConflictRetries()) {
                        return retryFrom(i, "lost " + conflicts + " version races in a row");
                    }
                    try {
                        record = system.store().load(id).orElse(null);
                        loaded = true;
                    } catch (RuntimeException re) {
                        return retryFrom(i, "reloading the record failed: " + describe(re));
                    }
                    continue;
                } catch (RecordTooLargeException e) {
                    if (limit > 1) {
                        limit = 1; // find the message that makes it too large, one commit per message
                        continue;
                    }
                    if (consumed[0] == 0) {
                        return retryFrom(i, "the actor's record exceeds the store's item limit");
                    }
                    if (!deadLetter(deliveries.get(i), "the actor's record would exceed the store's item limit: "
                            + e.getMessage())) {
                        return retryFrom(i, "dead-lettering failed");
                    }
                    if (system.runtimeRedrives()) {
                        StoredRecord marked = markPassed(record, deliveries.get(i));
                        if (marked == null) {
                            return retryFrom(i, "recording the dead-lettered message failed");
                        }
                        record = marked;
                        loaded = false;
                    }
                    i++;
                    continue;
                } catch (RuntimeException e) {
                    if (!committedDespite(next)) {
                        system.remember(id, null);
                        return retryFrom(i, "committing failed: " + describe(e));
                    }
                }
                record = next;
                version = next.version();
                loaded = false;
                system.remember(id, next);
            }
            pending.forEach(system::emit);
            if (!ctl.outbox.isEmpty()) {
                boolean lastSegment = stop.kind() == StopKind.RETRY
                        || (stop.kind() == StopKind.END && i + consumed[0] >= deliveries.size());
                if (deferLastSend && lastSegment) {
                    deferred = new DeferredSend(List.copyOf(ctl.outbox), i, stop, record);
                    return List.of();
                }
                if (!flushOutbox()) {
                    return retryFrom(i, "sending the outbox failed");
                }
                storedOutboxSent = true;
            } else if (changed) {
                storedOutboxSent = false;
            }
            i += consumed[0];
            switch (stop.kind()) {
                case END -> { }
                case RETRY -> {
                    return retryFrom(stop.at(), stop.reason());
                }
                case DEAD_LETTER -> {
                    if (!deadLetter(deliveries.get(stop.at()), stop.reason())) {
                        return retryFrom(stop.at(), "dead-lettering failed");
                    }
                    if (system.runtimeRedrives()) {
                        StoredRecord marked = markPassed(record, deliveries.get(stop.at()));
                        if (marked == null) {
                            return retryFrom(stop.at(), "recording the dead-lettered message failed");
                        }
                        record = marked;
                        loaded = false;
                    }
                    i = stop.at() + 1;
                }
                case SKIP_PARKED -> {
                    Stashed parked = ctl.parked;
                    DeadLetter letter = new DeadLetter(groupId, parked.messageId(), Map.of(Envelope.TYPE, parked.type()),
                            parked.body(), "skipped by operator; parked because: " + parked.reason());
                    try {
                        system.mailbox().deadLetter(letter);
                    } catch (RuntimeException e) {
                        return retryFrom(stop.at(), "dead-lettering the parked message failed: " + describe(e));
                    }
                    system.emit(new Outcome(id, parked.messageId(), Outcome.Kind.DEAD_LETTERED, letter.reason()));
                    skipParkedDone = true;
                    i = stop.at();
                }
            }
        }
        if (storedOutboxSent && record != null && !system.runtimeRedrives()) {
            clearOutbox(record);
        }
        return List.of();
    }

    /** The committed outbox entries the system is to send with the rest of the batch; empty if none. */
    List<OutgoingMessage> deferredSend() {
        return deferred == null ? List.of() : toMessages(deferred.entries());
    }

    /**
     * Finishes a run whose last outbox went out with the batch's other outboxes or failed to ({@code failure} says
     * why; {@code null} if it went out): returns the deliveries to release. A failed send releases the whole last
     * segment; its commit stands and is recognised on redelivery, which sends the outbox again.
     */
    List<Delivery> completeDeferredSend(String failure) {
        DeferredSend d = deferred;
        if (failure != null) {
            system.emit(new Outcome(id, "", Outcome.Kind.RETRIED, "outbox send failed: " + failure));
            deferred = null;
            return retryFrom(d.from(), "sending the outbox failed");
        }
        system.sentOutbox().markSent(id, d.entries().get(d.entries().size() - 1).outSeq());
        return d.stop().kind() == StopKind.RETRY ? retryFrom(d.stop().at(), d.stop().reason()) : List.of();
    }

    /** True if, once its deferred send succeeded, the record is to be written again without the outbox. */
    boolean clearsAfterSend() {
        return deferred != null && deferred.stop().kind() != StopKind.RETRY && !system.runtimeRedrives();
    }

    /** After a successful {@link #completeDeferredSend}: the outbox clear the runner would have done itself. */
    void clearSentOutbox() {
        if (clearsAfterSend()) {
            clearOutbox(deferred.record());
        }
    }

    String groupId() {
        return groupId;
    }

    /**
     * Writes the record again without the outbox, now that all of it is sent, so that the next consumer of this actor
     * (often another one, which cannot know) does not send it again. Best effort: if it fails, the entries are re-sent
     * later and the receivers recognise them.
     */
    private void clearOutbox(StoredRecord record) {
        ctl.outbox.clear();
        StoredRecord cleared = new StoredRecord(record.version() + 1, record.state(), ctl.encode());
        try {
            system.store().commit(id, record.version(), cleared);
            system.remember(id, cleared);
        } catch (RuntimeException e) {
            system.remember(id, null);
            system.emit(new Outcome(id, "", Outcome.Kind.VERSION_CONFLICT, "outbox clear skipped: " + describe(e)));
        }
    }

    /**
     * Runtime redrive: records a dead-lettered message as passed (the applied mark moves over it) before it is
     * acknowledged. Otherwise a consumer still holding it from an earlier receive (its visibility long expired) could
     * apply it after it left the queue, and the next message would wrongly prove that consumer's outbox sent.
     * Returns the new record, or null if the write failed (the message is then retried and dead-lettered again).
     */
    private StoredRecord markPassed(StoredRecord record, Delivery d) {
        ActorControl c = record == null ? new ActorControl() : ActorControl.decode(record.control());
        if (record != null && SequenceNumbers.compare(d.sequenceNumber(), c.appliedSeq) <= 0) {
            return record;
        }
        c.appliedSeq = d.sequenceNumber();
        long v = record == null ? 0 : record.version();
        byte[] stateBytes = record == null ? system.codec().encode(type.initialState(id)) : record.state();
        StoredRecord next = new StoredRecord(v + 1, stateBytes, c.encode());
        try {
            system.store().commit(id, v, next);
            system.remember(id, next);
            return next;
        } catch (RuntimeException e) {
            system.remember(id, null);
            system.emit(new Outcome(id, d.messageId(), Outcome.Kind.RETRIED,
                    "recording the dead-lettered message failed: " + describe(e)));
            return null;
        }
    }

    /**
     * After a commit failed with an error that may have come after the write (a timeout), reads the record back: if
     * it is exactly what was written, the commit happened. Saves a redelivery and keeps the outbox moving.
     */
    private boolean committedDespite(StoredRecord next) {
        if (next == null) {
            return false;
        }
        try {
            Optional<StoredRecord> now = system.store().load(id);
            return now.isPresent() && now.get().version() == next.version()
                    && java.util.Arrays.equals(now.get().state(), next.state())
                    && java.util.Arrays.equals(now.get().control(), next.control());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private StoredRecord initialRecord() {
        if (preloaded != null) {
            StoredRecord r = preloaded.get(id);
            fromCache = r != null && r == system.cachedRecord(id);
            return r;
        }
        return system.store().load(id).orElse(null);
    }

    /**
     * Rebuilds the working copy from the record; true if it dropped outbox entries known to be sent. {@code loaded}:
     * the record is the stored one (or this instance's copy of it), not one this run wrote.
     */
    private boolean startWorking(StoredRecord record, boolean loaded) {
        if (record == null) {
            version = 0;
            state = type.initialState(id);
            ctl = new ActorControl();
        } else {
            version = record.version();
            state = system.codec().decode(record.state(), type.stateClass());
            ctl = ActorControl.decode(record.control());
        }
        changed = false;
        if (loaded && system.runtimeRedrives() && !ctl.outbox.isEmpty()
                && SequenceNumbers.compare(deliveries.get(0).sequenceNumber(), ctl.appliedSeq) > 0) {
            // Without queue redrive, a message leaves its group only when acknowledged, and the runtime acknowledges
            // only after sending what it caused: the group's next message arriving proves the outbox sent.
            ctl.outbox.clear();
            return true;
        }
        if (ctl.outbox.isEmpty()) {
            return false;
        }
        long sentUpTo = system.sentOutbox().sentUpTo(id);
        return sentUpTo > 0 && ctl.outbox.removeIf(e -> e.outSeq() <= sentUpTo);
    }

    /** Handles deliveries from {@code from}; returns why it stopped and sets how many it consumed. */
    private Stop fold(int from, int limit, int[] consumed, boolean parkedAlreadyDeadLettered) {
        Instant now = system.clock().instant();
        for (int k = from; k < deliveries.size() && consumed[0] < limit; k++) {
            Delivery d = deliveries.get(k);
            if (SequenceNumbers.compare(d.sequenceNumber(), ctl.appliedSeq) <= 0) {
                pending.add(new Outcome(id, d.messageId(), Outcome.Kind.DUPLICATE, "already applied"));
                consumed[0]++;
                continue;
            }
            String wireType = d.attributes().get(Envelope.TYPE);
            if (wireType == null) {
                return new Stop(StopKind.DEAD_LETTER, k, "the message has no " + Envelope.TYPE + " attribute");
            }
            String sender = d.attributes().get(Envelope.SENDER);
            long senderSeq = 0;
            if (sender != null) {
                try {
                    senderSeq = Long.parseLong(d.attributes().getOrDefault(Envelope.SENDER_SEQ, ""));
                } catch (NumberFormatException e) {
                    return new Stop(StopKind.DEAD_LETTER, k, "the message has a malformed " + Envelope.SENDER_SEQ);
                }
                if (!sender.equals(lastValidSender)) {
                    try {
                        ActorId.fromGroupId(sender);
                    } catch (FifoActorsException e) {
                        return new Stop(StopKind.DEAD_LETTER, k, "the message has a malformed " + Envelope.SENDER);
                    }
                    lastValidSender = sender;
                }
                if (ctl.isDuplicateFromSender(sender, senderSeq)) {
                    pending.add(new Outcome(id, d.messageId(), Outcome.Kind.DUPLICATE, "re-sent by " + sender));
                    consumed[0]++;
                    continue;
                }
            }
            if (system.runtimeRedrives() && d.receiveCount() > system.redriveMaxReceiveCount()) {
                // the queue has no redrive policy: this is it (a consumer dying on this message every time)
                return new Stop(StopKind.DEAD_LETTER, k, "received " + d.receiveCount()
                        + " times without completing (runtime redrive after " + system.redriveMaxReceiveCount() + ")");
            }
            Stashed msg = new Stashed(d.messageId(), wireType, d.body(), sender, senderSeq,
                    d.sentAt().toEpochMilli(), d.receiveCount(), 0, null);

            // a system message that finds nothing to do writes nothing
            boolean effective = true;
            if (wireType.equals(Envelope.SYSTEM_WAKE)) {
                boolean before = changed;
                changed = false;
                expireDue(now);
                drainStash(now);
                effective = changed;
                changed |= before;
            } else if (wireType.equals(Envelope.SYSTEM_UNPARK)) {
                String resolution = new String(d.body(), StandardCharsets.US_ASCII);
                if (ctl.parked != null && resolution.equals(Resolution.SKIP.name()) && !parkedAlreadyDeadLettered) {
                    return new Stop(StopKind.SKIP_PARKED, k, null);
                }
                effective = unpark(resolution, parkedAlreadyDeadLettered, now);
                parkedAlreadyDeadLettered = false;
            } else {
                Class<?> cls = type.messageClass(wireType);
                if (cls == null) {
                    return new Stop(StopKind.DEAD_LETTER, k, "unknown message type '" + wireType
                            + "' for actor type " + type.name());
                }
                Object message;
                try {
                    message = system.codec().decode(d.body(), cls);
                } catch (MessageDecodingException e) {
                    return new Stop(StopKind.DEAD_LETTER, k, e.getMessage());
                }
                if (ctl.parked != null) {
                    if (ctl.held.size() >= type.stashCapacity()) {
                        return new Stop(StopKind.DEAD_LETTER, k, "the actor is parked and its hold buffer is full ("
                                + type.stashCapacity() + " messages)");
                    }
                    ctl.held.add(msg);
                    pending.add(new Outcome(id, d.messageId(), Outcome.Kind.HELD, "actor parked"));
                } else {
                    expireDue(now);
                    Decision decision = decide(message, msg, now);
                    if (decision.failure != null) {
                        int attempts = (d.sequenceNumber().equals(ctl.failingSeq) ? ctl.failedAttempts : 0) + 1;
                        boolean lastReceive = d.receiveCount() >= system.redriveMaxReceiveCount();
                        if (attempts < system.maxAttempts() && !lastReceive) {
                            ctl.failingSeq = d.sequenceNumber();
                            ctl.failedAttempts = attempts;
                            changed = true;
                            return new Stop(StopKind.RETRY, k, "handler failed (attempt " + attempts + " of "
                                    + system.maxAttempts() + "): " + decision.failure);
                        }
                        String reason = "handler failed " + attempts + (attempts == 1 ? " time" : " times")
                                + (lastReceive && attempts < system.maxAttempts()
                                        ? " and the message reached the queue's last receive" : "")
                                + ": " + decision.failure;
                        if (type.poisonPolicy() == PoisonPolicy.DEAD_LETTER) {
                            return new Stop(StopKind.DEAD_LETTER, k, reason);
                        }
                        ctl.parked = msg.withReason(reason);
                        pending.add(new Outcome(id, d.messageId(), Outcome.Kind.PARKED, reason));
                    } else {
                        apply(decision, msg, now, true);
                    }
                }
            }
            if (effective) {
                if (sender != null) {
                    ctl.advanceSenderMark(sender, senderSeq, system.maxSenderMarks());
                }
                ctl.appliedSeq = d.sequenceNumber();
                changed = true;
            }
            consumed[0]++;
        }
        return Stop.END;
    }

    /** A handler's decision with its sends already encoded, or the failure that prevented one. */
    private record Decision(Effect<Object> effect, List<OutgoingMessage> sends, String failure) {
    }

    private Decision decide(Object message, Stashed msg, Instant now) {
        Effect<Object> effect;
        try {
            effect = handler.handle(state, message, new Context(msg, now));
            if (effect == null) {
                return new Decision(null, null, "the handler returned no effect (null)");
            }
        } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
            // a handler's own errors are its failures too; only the JVM's distress (out of memory, ...) escapes
            return new Decision(null, null, describe(e));
        }
        try {
            return new Decision(effect, encodeSends(effect), null);
        } catch (FifoActorsException e) {
            return new Decision(null, null, describe(e));
        }
    }

    /** Encodes the effect's sends without assigning sequence numbers (that happens only when applied). */
    private List<OutgoingMessage> encodeSends(Effect<Object> effect) {
        if (effect.sends().isEmpty()) {
            return List.of();
        }
        List<OutgoingMessage> out = new ArrayList<>(effect.sends().size());
        for (Effect.Send s : effect.sends()) {
            ActorType<?, ?> target = system.typeOrNull(s.target().type());
            if (target == null) {
                throw new MessageEncodingException("no actor type '" + s.target().type() + "' is registered");
            }
            String wireName = target.wireName(s.message());
            if (wireName == null) {
                throw new MessageEncodingException(s.message().getClass().getName()
                        + " is not a message of actor type " + target.name());
            }
            OutgoingMessage m = new OutgoingMessage(s.target().groupId(), "", Map.of(Envelope.TYPE, wireName),
                    system.codec().encode(s.message()));
            // checked now, with room for the envelope, so that an oversized send fails the handler's decision
            // instead of being committed to an outbox that could never be sent
            long size = Mailbox.sizeOf(m) + ENVELOPE_OVERHEAD;
            if (size > Mailbox.MAX_MESSAGE_BYTES) {
                throw new MessageTooLargeException("(to " + s.target() + ")", size, Mailbox.MAX_MESSAGE_BYTES);
            }
            out.add(m);
        }
        return out;
    }

    /** Applies a decided effect to the working copy. {@code fresh}: the message is not from the stash. */
    private void apply(Decision decision, Stashed msg, Instant now, boolean fresh) {
        Effect<Object> effect = decision.effect;
        switch (effect.kind()) {
            case PERSIST -> {
                state = effect.state();
                ctl.applied++;
                addSends(decision.sends);
                pending.add(new Outcome(id, msg.messageId(), Outcome.Kind.APPLIED, null));
                drainStash(now);
            }
            case NONE -> {
                ctl.applied++;
                addSends(decision.sends);
                pending.add(new Outcome(id, msg.messageId(), Outcome.Kind.APPLIED, null));
            }
            case REJECT -> {
                reject(msg, effect.reason(), now);
                addSends(decision.sends);
            }
            case DEFER -> {
                if (fresh) {
                    if (ctl.stash.size() >= type.stashCapacity()) {
                        reject(msg, "stash full (" + type.stashCapacity() + " deferred messages)", now);
                    } else {
                        ctl.stash.add(msg.withDeadline(effect.deadline().toEpochMilli()));
                        ctl.deferred++;
                        pending.add(new Outcome(id, msg.messageId(), Outcome.Kind.DEFERRED,
                                "until " + effect.deadline()));
                    }
                }
            }
        }
    }

    private void reject(Stashed msg, String reason, Instant now) {
        ctl.recordRejection(new RejectionRecord(msg.messageId(), msg.type(), reason, now), system.keptRejections());
        pending.add(new Outcome(id, msg.messageId(), Outcome.Kind.REJECTED, reason));
    }

    private void addSends(List<OutgoingMessage> sends) {
        for (OutgoingMessage m : sends) {
            long seq = ++ctl.outSeq;
            Map<String, String> attrs = new LinkedHashMap<>(4);
            attrs.putAll(m.attributes());
            attrs.put(Envelope.SENDER, id.groupId());
            attrs.put(Envelope.SENDER_SEQ, Long.toString(seq));
            if (idPrefix == null) {
                idPrefix = messageIdPrefix(id); // a digest: only for actors that send
            }
            ctl.outbox.add(new OutboxEntry(seq, m.groupId(), idPrefix + "-" + seq, attrs, m.body()));
        }
    }

    /** Rejects stashed messages whose deadline has passed. */
    private void expireDue(Instant now) {
        long nowMillis = now.toEpochMilli();
        var it = ctl.stash.iterator();
        while (it.hasNext()) {
            Stashed s = it.next();
            if (s.deadlineMillis() <= nowMillis) {
                it.remove();
                reject(s, expiryReason(s), now);
                changed = true;
            }
        }
    }

    /** Retries the stash, oldest first, until a full pass changes nothing. */
    private void drainStash(Instant now) {
        boolean progress = true;
        while (progress && !ctl.stash.isEmpty()) {
            progress = false;
            for (int i = 0; i < ctl.stash.size(); i++) {
                Stashed s = ctl.stash.get(i);
                if (s.deadlineMillis() <= now.toEpochMilli()) {
                    ctl.stash.remove(i--);
                    reject(s, expiryReason(s), now);
                    changed = true;
                    continue;
                }
                Decision decision = decideStored(s, now);
                if (decision.failure != null) {
                    // keep it: it is retried after the next state change and expires at its deadline like any other
                    ctl.stash.set(i, s.withReason("the handler failed when it was retried: " + decision.failure));
                    changed = true;
                    continue;
                }
                if (decision.effect.kind() == Effect.Kind.DEFER) {
                    continue;
                }
                ctl.stash.remove(i--);
                changed = true;
                if (decision.effect.kind() == Effect.Kind.PERSIST) {
                    // apply() drains recursively after a state change; avoid that and restart the scan here
                    state = decision.effect.state();
                    ctl.applied++;
                    addSends(decision.sends);
                    pending.add(new Outcome(id, s.messageId(), Outcome.Kind.APPLIED, "from the stash"));
                    progress = true;
                    break;
                }
                apply(decision, s, now, false);
            }
        }
    }

    private static String expiryReason(Stashed s) {
        return s.reason() == null ? "deferral deadline passed" : "deferral deadline passed; " + s.reason();
    }

    private Decision decideStored(Stashed s, Instant now) {
        Class<?> cls = type.messageClass(s.type());
        if (cls == null) {
            return new Decision(null, null, "message type '" + s.type() + "' is no longer registered");
        }
        Object message;
        try {
            message = system.codec().decode(s.body(), cls);
        } catch (MessageDecodingException e) {
            return new Decision(null, null, e.getMessage());
        }
        return decide(message, s, now);
    }

    /** Resolves the parked message and replays the held ones; false if there was nothing to resolve. */
    private boolean unpark(String resolution, boolean parkedDeadLettered, Instant now) {
        if (ctl.parked == null) {
            return false;
        }
        if (parkedDeadLettered) {
            ctl.parked = null;
        } else if (resolution.equals(Resolution.RETRY.name())) {
            Stashed p = ctl.parked;
            Decision decision = decideStored(p, now);
            if (decision.failure != null) {
                ctl.parked = p.withReason("retried by operator and failed again: " + decision.failure);
                pending.add(new Outcome(id, p.messageId(), Outcome.Kind.PARKED, ctl.parked.reason()));
                return true;
            }
            ctl.parked = null;
            applyStored(decision, p, now);
        } else {
            return false;
        }
        // replay held messages in order until one fails again
        while (!ctl.held.isEmpty() && ctl.parked == null) {
            Stashed h = ctl.held.remove(0);
            Decision decision = decideStored(h, now);
            if (decision.failure != null) {
                ctl.parked = h.withReason("failed when released from hold: " + decision.failure);
                pending.add(new Outcome(id, h.messageId(), Outcome.Kind.PARKED, ctl.parked.reason()));
                return true;
            }
            applyStored(decision, h, now);
        }
        return true;
    }

    private void applyStored(Decision decision, Stashed s, Instant now) {
        if (decision.effect.kind() == Effect.Kind.DEFER) {
            if (ctl.stash.size() >= type.stashCapacity()) {
                reject(s, "stash full (" + type.stashCapacity() + " deferred messages)", now);
            } else {
                ctl.stash.add(s.withDeadline(decision.effect.deadline().toEpochMilli()));
                ctl.deferred++;
                pending.add(new Outcome(id, s.messageId(), Outcome.Kind.DEFERRED, "until " + decision.effect.deadline()));
            }
            return;
        }
        apply(decision, s, now, false);
    }

    private boolean flushOutbox() {
        if (ctl.outbox.isEmpty()) {
            return true;
        }
        try {
            system.mailbox().send(toMessages(ctl.outbox));
        } catch (RuntimeException e) {
            system.emit(new Outcome(id, "", Outcome.Kind.RETRIED, "outbox send failed: " + describe(e)));
            return false;
        }
        system.sentOutbox().markSent(id, ctl.outbox.get(ctl.outbox.size() - 1).outSeq());
        return true;
    }

    private static List<OutgoingMessage> toMessages(List<OutboxEntry> entries) {
        List<OutgoingMessage> out = new ArrayList<>(entries.size());
        for (OutboxEntry e : entries) {
            out.add(new OutgoingMessage(e.groupId(), e.messageId(), e.attributes(), e.body()));
        }
        return out;
    }

    private boolean deadLetter(Delivery d, String reason) {
        try {
            system.mailbox().deadLetter(DeadLetter.of(d, reason));
        } catch (RuntimeException e) {
            system.emit(new Outcome(id, d.messageId(), Outcome.Kind.RETRIED, "dead-letter send failed: " + describe(e)));
            return false;
        }
        system.emit(new Outcome(id, d.messageId(), Outcome.Kind.DEAD_LETTERED, reason));
        return true;
    }

    private List<Delivery> deadLetterAll(ActorId actor, String reason) {
        List<Delivery> retry = new ArrayList<>();
        for (int k = 0; k < deliveries.size(); k++) {
            Delivery d = deliveries.get(k);
            try {
                system.mailbox().deadLetter(DeadLetter.of(d, reason));
                system.emit(new Outcome(actor, d.messageId(), Outcome.Kind.DEAD_LETTERED, reason));
            } catch (RuntimeException e) {
                retry.addAll(deliveries.subList(k, deliveries.size()));
                break;
            }
        }
        return retry;
    }

    private List<Delivery> retryFrom(int k, String reason) {
        List<Delivery> retry = deliveries.subList(k, deliveries.size());
        for (Delivery d : retry) {
            system.emit(new Outcome(id, d.messageId(), Outcome.Kind.RETRIED, reason));
        }
        return retry;
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getName() + (m == null ? "" : ": " + m);
    }

    /** A stable, short, collision-resistant prefix for the ids of this actor's outgoing messages. */
    static String messageIdPrefix(ActorId id) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.groupId().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    private final class Context implements ActorContext {
        private final Stashed msg;
        private final Instant now;
        private MessageMetadata metadata;

        Context(Stashed msg, Instant now) {
            this.msg = msg;
            this.now = now;
        }

        @Override
        public ActorId self() {
            return id;
        }

        @Override
        public MessageMetadata metadata() {
            if (metadata == null) {
                Optional<ActorId> sender = msg.sender() == null ? Optional.empty()
                        : Optional.of(ActorId.fromGroupId(msg.sender()));
                metadata = new MessageMetadata(msg.messageId(), sender, Instant.ofEpochMilli(msg.enqueuedAtMillis()),
                        msg.receiveCount());
            }
            return metadata;
        }

        @Override
        public Instant now() {
            return now;
        }
    }
}
