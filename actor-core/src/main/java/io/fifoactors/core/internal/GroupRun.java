package io.fifoactors.core.internal;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.FifoActorsException;
import io.fifoactors.core.MessageDecodingException;
import io.fifoactors.core.RecordTooLargeException;
import io.fifoactors.core.VersionConflictException;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.port.ScheduledMessage;
import io.fifoactors.core.port.SequenceNumbers;
import io.fifoactors.core.port.StoredRecord;
import io.fifoactors.core.runtime.BatchOutcome.Retry;
import io.fifoactors.core.runtime.BatchOutcome.RetryCause;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.core.runtime.RuntimeEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The shell around one actor's deliveries of one batch: reads the record, lets the {@link Decider} fold the
 * deliveries in, and performs what it decided, in this order: archive sender marks if the record holds too many,
 * commit (conditionally on the version; a lost race reloads and decides again), send the outbox, dead-letter, record
 * passed messages. The deliveries fold into as few commits as possible: one, unless a message must be dead-lettered
 * or retried in between (then what comes before it is committed first). Not thread-safe; one per group per batch.
 */
final class GroupRun {
    private final Settings settings;
    private final RedriveStrategy redrive;
    private final Caches caches;
    private final String groupId;
    private final List<Delivery> deliveries;
    private final Optional<StoredRecord> preloaded;
    private final boolean preloadedTrusted;
    private final boolean batchSend;
    private final Decider.Progress progress;
    private final Traces traces;
    private volatile boolean cancelled;

    private ActorId id;
    private String idPrefix;
    private List<Inbound> inbound;
    /** Sequence numbers of the deliveries this run put on the dead-letter queue. */
    private final java.util.Set<String> deadLettersSent = new java.util.HashSet<>();
    /** Message ids whose dead-lettering this run reported from the record (their decision is not this run's). */
    private final java.util.Set<String> lettersReportedHere = new java.util.HashSet<>();

    /** The last segment's messages, committed and left for the batch's send; with what the run returns after it. */
    private PendingSend pending;

    record PendingSend(List<OutgoingMessage> messages, int from, long lastOutSeq, StoredRecord record,
                       List<Retry> after) {
    }

    /**
     * @param preloaded       the record read with the batch ({@code null}: not read, load it), possibly empty
     * @param preloadedTrusted whether the preloaded record was read strongly consistently (not from a cache or an
     *                        eventually consistent read)
     */
    GroupRun(Settings settings, RedriveStrategy redrive, Caches caches, String groupId, List<Delivery> deliveries,
             Optional<StoredRecord> preloaded, boolean preloadedTrusted, boolean batchSend, Decider.Progress progress) {
        this.settings = settings;
        this.redrive = redrive;
        this.caches = caches;
        this.groupId = groupId;
        this.deliveries = deliveries;
        this.preloaded = preloaded;
        this.preloadedTrusted = preloadedTrusted;
        this.batchSend = batchSend;
        this.progress = progress;
        this.traces = Traces.of(settings.tracing(), deliveries);
    }

    String groupId() {
        return groupId;
    }

    List<Delivery> deliveries() {
        return deliveries;
    }

    /** Stops the run at its next step (the batch gave up on it); a commit under way still happens or not. */
    void cancel() {
        cancelled = true;
    }

    /** Runs the group; returns the deliveries to redeliver (the rest are settled, unless {@link #pendingSend}). */
    @SuppressWarnings("unchecked")
    List<Retry> run() {
        traces.start(settings, groupId);
        try {
            id = ActorId.fromGroupId(groupId);
        } catch (FifoActorsException e) {
            return deadLetterAll("invalid actor group id: " + e.getMessage());
        }
        ActorType<?, ?> t = settings.typeOrNull(id.type());
        if (t == null) {
            return deadLetterAll("no actor type '" + id.type() + "' is registered");
        }
        ActorType<Object, Object> type = (ActorType<Object, Object>) t;
        inbound = new ArrayList<>(deliveries.size());
        for (Delivery d : deliveries) {
            inbound.add(Inbound.parse(d, settings.keys()));
        }
        Archive archive = new Archive(settings, id, detail -> event(RuntimeEvent.Kind.MARKS_ARCHIVED, detail));
        Decider decider = new Decider(settings, redrive, id, type, traces.progress(progress));

        StoredRecord record;
        boolean trusted;
        try {
            if (preloaded != null) {
                record = preloaded.orElse(null);
                trusted = preloadedTrusted;
            } else {
                record = settings.store().load(id).orElse(null);
                trusted = true;
            }
        } catch (RuntimeException e) {
            return retryFrom(0, "loading the record failed: " + Failures.describe(e), RetryCause.INFRASTRUCTURE);
        }
        boolean fromStore = true; // the record is the stored one (or a copy of it), not one this run wrote
        int i = 0;
        int conflicts = 0;
        int limit = Integer.MAX_VALUE;
        int attemptMarkedAt = -1;
        Stop.DeadLetter forced = null; // a message found to make the record too large
        ArchivedMarks archived = new ArchivedMarks();
        while (i < deliveries.size()) {
            if (cancelled) {
                return retryFrom(i, "abandoned by the batch", RetryCause.ABANDONED);
            }
            Working w;
            try {
                w = working(record, type);
            } catch (MessageDecodingException e) {
                return retryFrom(i, "the stored record cannot be read: " + e.getMessage(), RetryCause.INFRASTRUCTURE);
            }
            dropKnownDone(w, deliveries.get(i), fromStore);
            // Finish what earlier runs committed before anything new is decided, so that nothing this run records
            // (an attempt under way, say) is followed by a port call that could stop it before the handler runs:
            // dead letters committed and not sent, and the stored outbox not known sent.
            for (int k = i; k < deliveries.size(); k++) {
                Delivery d = deliveries.get(k);
                Optional<PendingDeadLetter> p = w.ctl.pendingDeadLetter(d.sequenceNumber());
                if (p.isPresent() && !deadLettersSent.contains(d.sequenceNumber())) {
                    try {
                        settings.mailbox().deadLetter(DeadLetter.of(d, p.get().reason()));
                    } catch (RuntimeException e) {
                        return retryFrom(k, "dead-lettering failed: " + Failures.describe(e),
                                RetryCause.INFRASTRUCTURE);
                    }
                    deadLettersSent.add(d.sequenceNumber());
                    // the run that decided it may have stopped before reporting it: report it now (at least once),
                    // in place of the duplicate the decision below sees
                    lettersReportedHere.add(d.messageId());
                    emit(new Outcome(groupId, d.messageId(), Outcome.Kind.DEAD_LETTERED, p.get().reason(),
                            d.receiveCount()));
                }
            }
            if (fromStore && !w.ctl.outbox.isEmpty() && !batchSend) {
                Optional<String> failure = flush(w.ctl);
                if (failure.isPresent()) {
                    return retryFrom(i, "sending the outbox failed: " + failure.get(), RetryCause.INFRASTRUCTURE);
                }
                w.ctl.outbox.clear(); // sent: it leaves the record with the next commit
            }
            Instant now = settings.clock().instant();
            Decider.Fold fold;
            if (forced != null) {
                fold = new Decider.Fold(0, forced);
                forced = null;
            } else {
                try {
                    archive.lookUp(w, inbound, i, archived);
                } catch (RuntimeException e) {
                    return retryFrom(i, "reading the actor's archive failed: " + Failures.describe(e),
                            RetryCause.INFRASTRUCTURE);
                }
                traces.foldStarts(w.ctl);
                fold = decider.fold(w, inbound, i, limit, now, archived, attemptMarkedAt);
                traces.foldEnds();
            }
            Stop stop = fold.stop();
            if (stop instanceof Stop.DeadLetter dl) {
                // committed before it is sent: the commit checks the decision against any other consumer's (one that
                // applied the message wins, and this run then finds it applied), and a crash before the send leaves
                // the decision for the redelivery to carry out
                Delivery d = deliveries.get(dl.at());
                w.ctl.appliedSeq = d.sequenceNumber();
                w.ctl.deadLettered++;
                if (w.ctl.isFailing(d.sequenceNumber())) {
                    w.ctl.clearFailing();
                }
                w.ctl.pendingDeadLetters.add(new PendingDeadLetter(d.sequenceNumber(), d.messageId(), dl.reason()));
                if (dl.neverApplied()) {
                    inbound.get(dl.at()).from().ifPresent(f -> w.ctl.letter(Mark.senderKey(f.senderGroupId()), f.seq(),
                            settings.clock().millis()));
                }
                w.changed = true;
            }
            if (!w.changed && !trusted) {
                // An unverified copy (cached or eventually consistent) is trusted only where a commit checks its
                // version. Writing nothing, this run would act on it unchecked (say, miss an outbox another consumer
                // committed): read the store first.
                try {
                    record = settings.store().load(id).orElse(null);
                } catch (RuntimeException e) {
                    return retryFrom(i, "loading the record failed: " + Failures.describe(e),
                            RetryCause.INFRASTRUCTURE);
                }
                trusted = true;
                fromStore = true;
                archived = new ArchivedMarks();
                continue;
            }
            if (w.changed) {
                if (cancelled) {
                    return retryFrom(i, "abandoned by the batch", RetryCause.ABANDONED);
                }
                StoredRecord next;
                List<Mark> spilled;
                try {
                    spilled = archive.spillIfNeeded(w, now);
                    next = encode(w);
                } catch (RuntimeException e) {
                    return retryFrom(i, "archiving sender marks failed: " + Failures.describe(e),
                            RetryCause.INFRASTRUCTURE);
                }
                try {
                    settings.store().commit(id, w.version, next);
                } catch (VersionConflictException e) {
                    caches.forget(id);
                    event(RuntimeEvent.Kind.VERSION_CONFLICT, "expected version " + w.version
                            + (trusted ? "" : " (the copy read was stale)"));
                    if (++conflicts > settings.maxConflictRetries()) {
                        return retryFrom(i, "lost " + conflicts + " version races in a row", RetryCause.CONTENTION);
                    }
                    try {
                        record = settings.store().load(id).orElse(null);
                    } catch (RuntimeException re) {
                        return retryFrom(i, "reloading the record failed: " + Failures.describe(re),
                                RetryCause.INFRASTRUCTURE);
                    }
                    trusted = true;
                    fromStore = true;
                    archived = new ArchivedMarks(); // the winner may have archived marks since
                    continue;
                } catch (RecordTooLargeException e) {
                    if (limit > 1) {
                        limit = 1; // find the message that makes it too large: one commit per message
                        continue;
                    }
                    if (fold.consumed() == 0) {
                        return retryFrom(i, "the actor's record exceeds the store's item limit",
                                RetryCause.HANDLER_FAILED);
                    }
                    forced = new Stop.DeadLetter(i, "the actor's record would exceed the store's item limit: "
                            + e.getMessage());
                    continue;
                } catch (RuntimeException e) {
                    if (!committedDespite(next)) {
                        caches.forget(id);
                        return retryFrom(i, "committing failed: " + Failures.describe(e), RetryCause.INFRASTRUCTURE);
                    }
                }
                for (Mark m : spilled) {
                    archived.learn(m.senderKey(), OptionalLong.of(m.seq()));
                }
                record = next;
                trusted = true;
                fromStore = false;
                caches.remember(id, next);
            }
            for (Outcome o : w.outcomes) {
                if (!(o.kind() == Outcome.Kind.DUPLICATE && lettersReportedHere.contains(o.messageId()))) {
                    emit(o);
                }
            }
            attemptMarkedAt = -1;
            int from = i;
            i += fold.consumed();
            if (!w.ctl.outbox.isEmpty()) {
                // the committed outbox (or the stored one, less what is known sent) goes out before anything is
                // acknowledged
                boolean lastSegment = stop instanceof Stop.Retry
                        || (stop instanceof Stop.End && i >= deliveries.size());
                if (batchSend && lastSegment && onlyMessages(w.ctl)) {
                    List<Retry> after = List.of();
                    if (stop instanceof Stop.Retry r) {
                        after = retryFrom(r.at(), r.reason(), r.cause(), false);
                        emitRetries(r.at(), r.reason());
                    }
                    pending = new PendingSend(messages(w.ctl), from,
                            w.ctl.outbox.get(w.ctl.outbox.size() - 1).outSeq(), record, after);
                    return List.of();
                }
                Optional<String> failure = flush(w.ctl);
                if (failure.isPresent()) {
                    return retryFrom(from, "sending the outbox failed: " + failure.get(), RetryCause.INFRASTRUCTURE);
                }
            }
            if (stop instanceof Stop.Retry r) {
                return retryFrom(r.at(), r.reason(), r.cause());
            } else if (stop instanceof Stop.MarkAttempt m) {
                attemptMarkedAt = m.at();
                i = m.at();
            } else if (stop instanceof Stop.DeadLetter dl) {
                Delivery d = deliveries.get(dl.at());
                try {
                    settings.mailbox().deadLetter(DeadLetter.of(d, dl.reason()));
                } catch (RuntimeException e) {
                    return retryFrom(dl.at(), "dead-lettering failed: " + Failures.describe(e),
                            RetryCause.INFRASTRUCTURE);
                }
                deadLettersSent.add(d.sequenceNumber());
                emit(new Outcome(groupId, d.messageId(), Outcome.Kind.DEAD_LETTERED, dl.reason(), d.receiveCount()));
                i = dl.at() + 1;
                limit = Integer.MAX_VALUE;
            }
        }
        if (record != null && redrive.clearsSentOutbox()) {
            clearOutbox(record);
        }
        return List.of();
    }

    /** The committed messages left for the batch's send ({@code null}: none). */
    PendingSend pendingSend() {
        return pending;
    }

    /**
     * Finishes a run whose last messages went out with the batch's (or failed to: {@code failure}); returns the
     * deliveries to redeliver. A failed send retries the whole last segment; its commit stands and is recognised on
     * redelivery, which sends the outbox again.
     */
    List<Retry> completeBatchSend(Optional<String> failure) {
        PendingSend p = pending;
        if (failure.isPresent()) {
            return retryFrom(p.from(), "sending the outbox failed: " + failure.get(), RetryCause.INFRASTRUCTURE);
        }
        caches.markSent(id, p.lastOutSeq());
        if (redrive.clearsSentOutbox()) {
            clearOutbox(p.record());
        }
        return p.after();
    }

    /** Ends the span of the delivery the outcome is about, if still open (the batch reports what it decided). */
    void traceOutcome(Outcome o) {
        traces.ended(o);
    }

    /** Ends the spans still open once the batch is done ({@code retried}: the batch's retries with their causes). */
    void endTraces(Map<Delivery, RetryCause> retried) {
        traces.endRest(retried);
    }

    // ------------------------------------------------------------------------------------------------ steps

    private Working working(StoredRecord record, ActorType<Object, Object> type) {
        if (record == null) {
            return new Working(0, type.initialState(id), new Control());
        }
        return new Working(record.version(), settings.codec().decode(record.state(), type.stateClass()),
                Control.decode(record.control()));
    }

    /**
     * Drops what is known done from the working copy (it leaves the record with its next commit): outbox entries and
     * dead letters this run or instance sent and, for a record read from the store, everything an earlier message
     * caused once a later one arrives. A message leaves its group only when acknowledged (which the runtime does only
     * after sending what it caused) or, with a queue redrive policy, when the queue moves it to the dead-letter queue
     * (where a dead letter of it is no longer needed): so the group's next message proves that the pending dead
     * letters of earlier ones are done, and without a redrive policy, that the outbox is sent.
     */
    private void dropKnownDone(Working w, Delivery first, boolean fromStore) {
        Control ctl = w.ctl;
        boolean newer = SequenceNumbers.compare(first.sequenceNumber(), ctl.appliedSeq) > 0;
        if (fromStore && newer) {
            ctl.pendingDeadLetters.clear();
            if (redrive.nextMessageProvesOutboxSent()) {
                ctl.outbox.clear();
            }
        }
        ctl.pendingDeadLetters.removeIf(p -> deadLettersSent.contains(p.seq()));
        if (!ctl.outbox.isEmpty()) {
            long sentUpTo = caches.sentUpTo(id);
            if (sentUpTo > 0) {
                ctl.outbox.removeIf(e -> e.outSeq() <= sentUpTo);
            }
        }
    }

    private StoredRecord encode(Working w) {
        w.ctl.nonce = settings.nonces().getAsLong();
        return w.ctl.record(w.version + 1, settings.codec().encode(w.state));
    }

    /**
     * After a commit failed with an error that may have come after the write (a timeout), reads the record back: if
     * it is exactly what this run wrote (its nonce is this attempt's own), the commit happened.
     */
    private boolean committedDespite(StoredRecord next) {
        try {
            Optional<StoredRecord> now = settings.store().load(id);
            return now.isPresent() && now.get().version() == next.version()
                    && Arrays.equals(now.get().control(), next.control())
                    && Arrays.equals(now.get().state(), next.state());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean onlyMessages(Control c) {
        for (OutboxEntry e : c.outbox) {
            if (!(e instanceof OutboxEntry.Message)) {
                return false;
            }
        }
        return true;
    }

    private List<OutgoingMessage> messages(Control c) {
        List<OutgoingMessage> out = new ArrayList<>(c.outbox.size());
        for (OutboxEntry e : c.outbox) {
            if (e instanceof OutboxEntry.Message m) {
                out.add(Outbound.message(id, prefix(), m, settings.keys(), traces.traceparentOf(m)));
            }
        }
        return out;
    }

    private String prefix() {
        if (idPrefix == null) {
            idPrefix = Outbound.idPrefix(id); // a digest: only for actors that send
        }
        return idPrefix;
    }

    /** Sends the committed outbox: messages, timer firings to the scheduler, stored dead letters. */
    private Optional<String> flush(Control c) {
        List<OutgoingMessage> messages = new ArrayList<>();
        List<ScheduledMessage> timers = new ArrayList<>();
        List<OutboxEntry.DeadLetter> letters = new ArrayList<>();
        for (OutboxEntry e : c.outbox) {
            if (e instanceof OutboxEntry.Message m) {
                messages.add(Outbound.message(id, prefix(), m, settings.keys(), traces.traceparentOf(m)));
            } else if (e instanceof OutboxEntry.Timer t) {
                timers.add(Outbound.timer(id, prefix(), t, settings.keys()));
            } else if (e instanceof OutboxEntry.DeadLetter d) {
                letters.add(d);
            }
        }
        try {
            if (!messages.isEmpty()) {
                settings.mailbox().send(messages);
            }
            if (!timers.isEmpty()) {
                settings.scheduler().orElseThrow(() -> new io.fifoactors.core.ConfigurationException(
                        "an actor set a timer, but the actor system has no scheduler")).schedule(timers);
            }
            for (OutboxEntry.DeadLetter d : letters) {
                settings.mailbox().deadLetter(new DeadLetter(groupId, d.messageId(),
                        DeadLetter.idFor(groupId, "o" + d.outSeq()), Outbound.storedLetterAttributes(groupId,
                        d.messageId(), d.type(), d.from(), d.body(), settings.keys()), d.body(), d.reason()));
            }
        } catch (RuntimeException e) {
            event(RuntimeEvent.Kind.PORT_FAILURE, "outbox send failed: " + Failures.describe(e));
            return Optional.of(Failures.describe(e));
        }
        caches.markSent(id, c.outbox.get(c.outbox.size() - 1).outSeq());
        return Optional.empty();
    }

    /**
     * Writes the record again without the outbox, now that all of it is sent, so that the next consumer of this actor
     * (often another one, which cannot know) does not send it again. Best effort: if it fails, the entries are sent
     * again later and their receivers recognise them.
     */
    private void clearOutbox(StoredRecord record) {
        Control c = Control.decode(record.control());
        boolean outboxSent = !c.outbox.isEmpty() && c.outbox.get(c.outbox.size() - 1).outSeq() <= caches.sentUpTo(id);
        boolean lettersSent = !c.pendingDeadLetters.isEmpty()
                && c.pendingDeadLetters.stream().allMatch(p -> deadLettersSent.contains(p.seq()));
        if (!(outboxSent || c.outbox.isEmpty()) || !(lettersSent || c.pendingDeadLetters.isEmpty())
                || (c.outbox.isEmpty() && c.pendingDeadLetters.isEmpty())) {
            return; // nothing to clear, or not all of it known done
        }
        c.outbox.clear();
        c.pendingDeadLetters.clear();
        c.nonce = settings.nonces().getAsLong();
        StoredRecord cleared = c.record(record.version() + 1, record.state());
        try {
            settings.store().commit(id, record.version(), cleared);
            caches.remember(id, cleared);
        } catch (RuntimeException e) {
            caches.forget(id);
            event(RuntimeEvent.Kind.OUTBOX_CLEAR_FAILED, Failures.describe(e));
        }
    }

    private List<Retry> deadLetterAll(String reason) {
        List<Retry> retry = new ArrayList<>();
        for (int k = 0; k < deliveries.size(); k++) {
            Delivery d = deliveries.get(k);
            try {
                settings.mailbox().deadLetter(DeadLetter.of(d, reason));
                emit(new Outcome(groupId, d.messageId(), Outcome.Kind.DEAD_LETTERED, reason, d.receiveCount()));
            } catch (RuntimeException e) {
                for (Delivery r : deliveries.subList(k, deliveries.size())) {
                    retry.add(new Retry(r, RetryCause.INFRASTRUCTURE));
                    emit(new Outcome(groupId, r.messageId(), Outcome.Kind.RETRIED, "dead-lettering failed: "
                            + Failures.describe(e), r.receiveCount()));
                }
                break;
            }
        }
        return retry;
    }

    private List<Retry> retryFrom(int k, String reason, RetryCause cause) {
        return retryFrom(k, reason, cause, true);
    }

    private List<Retry> retryFrom(int k, String reason, RetryCause cause, boolean report) {
        List<Retry> retry = new ArrayList<>(deliveries.size() - k);
        for (Delivery d : deliveries.subList(k, deliveries.size())) {
            retry.add(new Retry(d, cause));
        }
        if (report) {
            emitRetries(k, reason);
        }
        if (cause == RetryCause.INFRASTRUCTURE) {
            event(RuntimeEvent.Kind.PORT_FAILURE, reason);
        }
        return retry;
    }

    private void emitRetries(int k, String reason) {
        for (Delivery d : deliveries.subList(k, deliveries.size())) {
            emit(new Outcome(groupId, d.messageId(), Outcome.Kind.RETRIED, reason, d.receiveCount()));
        }
    }

    private void emit(Outcome o) {
        traces.ended(o);
        try {
            settings.listener().onOutcome(o);
        } catch (RuntimeException ignored) {
            // a listener must not change what happened to a message
        }
    }

    private void event(RuntimeEvent.Kind kind, String detail) {
        try {
            settings.listener().onEvent(new RuntimeEvent(groupId, kind, detail));
        } catch (RuntimeException ignored) {
            // as above
        }
    }
}
