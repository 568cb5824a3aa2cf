package io.fifoactors.core.internal;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.Effect;
import io.fifoactors.core.MessageDecodingException;
import io.fifoactors.core.PoisonPolicy;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.SequenceNumbers;
import io.fifoactors.core.runtime.BatchOutcome.RetryCause;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.core.runtime.Resolution;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The decision: folds one actor's deliveries, in order, into its working copy (state and bookkeeping), calling the
 * handler for each message, and says where it had to stop. No I/O: it reads and changes only the working copy, the
 * archived marks it is given and the handler's answers, so it is unit tested with no ports. The shell
 * ({@link GroupRun}) loads, commits, sends and dead-letters around it. Not thread-safe; one per run.
 */
final class Decider {
    private final Settings settings;
    private final RedriveStrategy redrive;
    private final ActorId id;
    private final ActorType<Object, Object> type;
    private final Progress progress;
    private final HandlerCall handler;
    private Working w;
    /** The delivery being folded: the one a handler call (also of a stashed or held message) is charged to. */
    private int current;
    /** Set by {@link #handleFresh} for a message settled with nothing to write (a bare rejection). */
    private boolean settledUnwritten;

    /** Told when a handler call starts and ends, so a watchdog can abandon one that runs too long. */
    interface Progress {
        void handling(int deliveryIndex);

        void idle();

        Progress NONE = new Progress() {
            @Override
            public void handling(int deliveryIndex) {
            }

            @Override
            public void idle() {
            }
        };
    }

    /** How far a fold got. {@code consumed}: deliveries from {@code from} settled in the working copy. */
    record Fold(int consumed, Stop stop) {
    }

    Decider(Settings settings, RedriveStrategy redrive, ActorId id, ActorType<Object, Object> type,
            Progress progress) {
        this.settings = settings;
        this.redrive = redrive;
        this.id = id;
        this.type = type;
        this.progress = progress;
        this.handler = new HandlerCall(settings, id, type, progress);
    }

    /**
     * Folds {@code in[from..]} (at most {@code limit} deliveries) into {@code working}.
     *
     * @param attemptMarkedAt the index whose attempt the shell has just recorded, or -1
     */
    Fold fold(Working working, List<Inbound> in, int from, int limit, Instant now, ArchivedMarks archived,
              int attemptMarkedAt) {
        this.w = working;
        Fold f = foldFrom(in, from, limit, now, archived, attemptMarkedAt);
        if (w.changed) {
            syncStashTimer(now);
        }
        return f;
    }

    private Fold foldFrom(List<Inbound> in, int from, int limit, Instant now, ArchivedMarks archived,
                          int attemptMarkedAt) {
        Control ctl = w.ctl;
        int consumed = 0;
        for (int k = from; k < in.size() && consumed < limit; k++) {
            current = k;
            Inbound ib = in.get(k);
            Delivery d = ib.delivery();
            if (ib.kind() == Inbound.Kind.REFUSED) {
                if (isApplied(d)) { // refused now, but applied earlier (a key rotated away): it stays applied
                    outcome(d, Outcome.Kind.DUPLICATE, "already applied");
                    consumed++;
                    continue;
                }
                return new Fold(consumed, new Stop.DeadLetter(k, ib.problem().orElseThrow()));
            }
            if (isApplied(d)) {
                outcome(d, Outcome.Kind.DUPLICATE, "already applied");
                consumed++;
                continue;
            }
            if (isProducers(ib) && ctl.wasSettledOnLastReceive(d.messageId())) {
                outcome(d, Outcome.Kind.DUPLICATE, "settled on its last receive before the queue moved it");
                consumed++;
                continue;
            }
            Optional<Inbound.From> sender = ib.from();
            long senderKey = 0;
            boolean returning = false; // a message this actor dead-lettered, moved back by an operator
            if (sender.isPresent()) {
                Inbound.From f = sender.get();
                senderKey = Mark.senderKey(f.senderGroupId());
                returning = ctl.isLettered(senderKey, f.seq());
            }
            if (sender.isPresent() && !returning) {
                Inbound.From f = sender.get();
                Optional<Mark> hot = ctl.markOf(senderKey);
                if (hot.isPresent() && f.seq() <= hot.get().seq()) {
                    outcome(d, Outcome.Kind.DUPLICATE, "re-sent by " + f.senderGroupId());
                    consumed++;
                    continue;
                }
                if (hot.isEmpty() && isLate(d, f)) {
                    if (now.toEpochMilli() - f.committedAtMillis() > settings.horizon().toMillis()) {
                        return new Fold(consumed, new Stop.DeadLetter(k, "re-sent after the deduplication horizon ("
                                + settings.horizon() + ") by " + f.senderGroupId()
                                + ": it cannot be told from an applied message", false));
                    }
                    if (!archived.knows(senderKey)) {
                        throw new IllegalStateException("late re-send from " + f.senderGroupId()
                                + " not looked up in the archive");
                    }
                    OptionalLong old = archived.mark(senderKey);
                    if (old.isPresent() && f.seq() <= old.getAsLong()) {
                        outcome(d, Outcome.Kind.DUPLICATE, "re-sent late by " + f.senderGroupId());
                        consumed++;
                        continue;
                    }
                }
            }
            boolean effective;
            switch (ib.kind()) {
                case WAKE -> {
                    boolean before = w.changed;
                    w.changed = false;
                    expireDue(now);
                    drainStash(now);
                    effective = w.changed;
                    w.changed |= before;
                }
                case UNPARK -> effective = unpark(d, new String(d.body(), StandardCharsets.US_ASCII), now);
                case TIMER -> {
                    TimerStep step = timerFiring(k, d, now, attemptMarkedAt == k);
                    if (step.stop != null) {
                        return new Fold(consumed, step.stop);
                    }
                    effective = step.effective;
                }
                case DOMAIN -> {
                    Class<?> cls = type.messageClass(ib.type());
                    if (cls == null) {
                        return new Fold(consumed, new Stop.DeadLetter(k, "unknown message type '" + ib.type()
                                + "' for actor type " + type.name()));
                    }
                    Object message;
                    try {
                        message = settings.codec().decode(d.body(), cls);
                    } catch (MessageDecodingException e) {
                        return new Fold(consumed, new Stop.DeadLetter(k, e.getMessage()));
                    }
                    Stashed msg = new Stashed(d.messageId(), ib.type(), d.body(), sender, Optional.empty(), d.sentAt().toEpochMilli(), d.receiveCount(), 0, Optional.empty());
                    if (ctl.parked.isPresent()) {
                        if (ctl.held.size() >= type.stashCapacity()) {
                            return new Fold(consumed, new Stop.DeadLetter(k, "the actor is parked and its hold buffer"
                                    + " is full (" + type.stashCapacity() + " messages)"));
                        }
                        ctl.held.add(msg);
                        outcome(d, Outcome.Kind.HELD, "actor parked");
                    } else {
                        expireDue(now);
                        Stop stop = handleFresh(k, d, message, msg, now, attemptMarkedAt == k);
                        if (stop != null) {
                            return new Fold(consumed, stop);
                        }
                    }
                    effective = !settledUnwritten;
                    settledUnwritten = false;
                }
                default -> throw new IllegalStateException("unexpected kind " + ib.kind());
            }
            if (effective) {
                sender.ifPresent(f -> ctl.advanceMark(Mark.senderKey(f.senderGroupId()), f.seq(), now.toEpochMilli()));
                if (returning) {
                    ctl.unletter(senderKey, sender.get().seq());
                }
                ctl.appliedSeq = d.sequenceNumber();
                if (ctl.isFailing(d.sequenceNumber())) {
                    ctl.clearFailing();
                }
                rememberIfLastReceive(ib);
                w.changed = true;
            }
            consumed++;
        }
        return new Fold(consumed, Stop.END);
    }

    /** A producer's domain message (no actor sender: no mark tells a copy of it from a new message). */
    private static boolean isProducers(Inbound ib) {
        return ib.kind() == Inbound.Kind.DOMAIN && ib.from().isEmpty();
    }

    /**
     * A producer's message settled on the queue's last receive: if its acknowledgement fails, the queue moves it
     * although it was settled, so its id is kept for the copy an operator may move back (docs/semantics.md, 6). Only
     * when settled by this decision: a duplicate on its last receive may have been dead-lettered before (its letter,
     * with the same id, must apply when moved back), which the applied sequence cannot tell from applied.
     */
    private void rememberIfLastReceive(Inbound ib) {
        if (isProducers(ib) && redrive.isLastReceive(ib.delivery())
                && w.ctl.settleOnLastReceive(ib.delivery().messageId())) {
            w.changed = true;
        }
    }

    private boolean isApplied(Delivery d) {
        return SequenceNumbers.compare(d.sequenceNumber(), w.ctl.appliedSeq) <= 0;
    }

    /** A re-send the mailbox's deduplication may not have caught: sent more than the fresh window after its commit. */
    boolean isLate(Delivery d, Inbound.From f) {
        return d.sentAt().toEpochMilli() - f.committedAtMillis() > settings.freshWindow().toMillis();
    }

    // ------------------------------------------------------------------------------------------------ handling

    /**
     * Runs the handler on a fresh domain message with the attempt bookkeeping; returns a stop, or null when the
     * message was settled (applied, rejected, deferred or parked) in the working copy.
     */
    private Stop handleFresh(int k, Delivery d, Object message, Stashed msg, Instant now, boolean attemptMarked) {
        Control ctl = w.ctl;
        int priorAttempts = ctl.isFailing(d.sequenceNumber()) ? ctl.failedAttempts : 0;
        if (ctl.isFailing(d.sequenceNumber()) && ctl.attemptInProgress && !attemptMarked
                && d.receiveCount() > ctl.attemptReceiveCount) {
            // An attempt was recorded as under way and the message has been received again since: the consumer
            // died or was cut off while handling it. (Without a new receive, the run that recorded it stopped before
            // the handler, for a port failure, and its deliveries were held and tried again: no attempt happened.)
            priorAttempts++;
            ctl.failingReason = Optional.of("the consumer stopped while handling it (a crash, out of memory or a"
                    + " time limit)");
        }
        if (priorAttempts >= settings.maxAttempts()) {
            return giveUp(k, d, msg, "handler failed " + priorAttempts + " times: "
                    + ctl.failingReason.orElse("unknown"));
        }
        if (!attemptMarked && d.receiveCount() > settings.crashCheckAfter()) {
            ctl.failingSeq = d.sequenceNumber();
            ctl.failedAttempts = priorAttempts;
            ctl.attemptInProgress = true;
            // never lowered: a consumer holding an older copy must not make a newer receive look like a crash
            ctl.attemptReceiveCount = Math.max(ctl.attemptReceiveCount, d.receiveCount());
            w.changed = true;
            return new Stop.MarkAttempt(k);
        }
        HandlerCall.Result r = handler.call(w, message, msg, now, current);
        if (r.failure() != null) {
            int attempts = priorAttempts + 1;
            boolean lastReceive = redrive.isLastReceive(d);
            if (attempts < settings.maxAttempts() && !lastReceive) {
                ctl.failingSeq = d.sequenceNumber();
                ctl.failedAttempts = attempts;
                ctl.attemptInProgress = false;
                ctl.failingReason = Optional.of(r.failure());
                w.changed = true;
                return new Stop.Retry(k, "handler failed (attempt " + attempts + " of " + settings.maxAttempts()
                        + "): " + r.failure(), r.timedOut() ? RetryCause.HANDLER_TIMEOUT : RetryCause.HANDLER_FAILED);
            }
            return giveUp(k, d, msg, "handler failed " + attempts + (attempts == 1 ? " time" : " times")
                    + (lastReceive && attempts < settings.maxAttempts()
                    ? " and the message reached the queue's last receive" : "") + ": " + r.failure());
        }
        if (r.plan().effect().deferUntil().isPresent()) {
            deferFresh(msg, r.plan().effect().deferUntil().get(), now);
        } else if (isBareRejection(r.plan()) && msg.from().isEmpty() && !redrive.isLastReceive(d)
                && !ctl.isFailing(d.sequenceNumber())) {
            // nothing to record: reported, settled, and not written (a refused command costs no write)
            w.outcomes.add(new Outcome(id.groupId(), msg.messageId(), Outcome.Kind.REJECTED,
                    r.plan().effect().rejection().get(), msg.receiveCount()));
            settledUnwritten = true;
        } else {
            apply(r.plan(), msg, now);
        }
        return null;
    }

    /**
     * A rejection that changes no state and does nothing, while the record keeps no rejections ({@code
     * keptRejections(0)}, the default): nothing of it needs to be written. Only for a producer's message before its
     * last receive: a copy can come again only before anything later of the group is applied, so it is decided again
     * on the same state (an actor's message would need its sender's mark written, and a last receive its id).
     */
    private boolean isBareRejection(HandlerCall.Plan plan) {
        Effect<Object> e = plan.effect();
        return settings.keptRejections() == 0 && e.rejection().isPresent() && e.newState().isEmpty()
                && plan.actions().isEmpty();
    }

    /** The message is given up on: dead-lettered (a stop) or, by the actor type's policy, parked (settled). */
    private Stop giveUp(int k, Delivery d, Stashed msg, String reason) {
        if (type.poisonPolicy() == PoisonPolicy.DEAD_LETTER) {
            return new Stop.DeadLetter(k, reason);
        }
        w.ctl.parked = Optional.of(msg.withReason(reason));
        outcome(d, Outcome.Kind.PARKED, reason);
        return null;
    }

    private record TimerStep(boolean effective, Stop stop) {
    }

    private TimerStep timerFiring(int k, Delivery d, Instant now, boolean attemptMarked) {
        Control ctl = w.ctl;
        Outbound.TimerFiring firing = Outbound.parseTimer(d.body());
        if (firing == null) {
            return new TimerStep(false, new Stop.DeadLetter(k, "malformed timer firing"));
        }
        Optional<TimerEntry> found = ctl.timer(firing.key());
        if (found.isEmpty() || found.get().generation() != firing.generation()) {
            outcome(d, Outcome.Kind.STALE, "timer " + firing.key() + " was cancelled or replaced");
            return new TimerStep(false, null);
        }
        TimerEntry t = found.get();
        if (t.dueMillis() > now.toEpochMilli()) {
            outcome(d, Outcome.Kind.STALE, "timer " + t.key() + " fired early; rescheduled");
            ctl.outSeq++;
            ctl.outbox.add(new OutboxEntry.Timer(ctl.outSeq, now.toEpochMilli(), t.key(), t.generation(),
                    t.dueMillis()));
            return new TimerStep(true, null);
        }
        if (t.isStashTimer()) {
            ctl.removeTimer(t.key());
            expireDue(now);
            drainStash(now);
            return new TimerStep(true, null);
        }
        Class<?> cls = type.messageClass(t.type());
        // a timer's message is the actor's own: its sender is itself (no sequence: it is never checked against marks)
        Stashed msg = new Stashed(d.messageId(), t.type(), t.body(), Optional.of(new Inbound.From(id.groupId(), 0, 0)),
                Optional.of(t.key()), d.sentAt().toEpochMilli(), d.receiveCount(), 0, Optional.empty());
        if (cls == null) {
            ctl.removeTimer(t.key());
            deadLetterStored(msg, "timer " + t.key() + ": message type '" + t.type()
                    + "' is no longer registered", now);
            return new TimerStep(true, null);
        }
        Object message;
        try {
            message = settings.codec().decode(t.body(), cls);
        } catch (MessageDecodingException e) {
            ctl.removeTimer(t.key());
            deadLetterStored(msg, "timer " + t.key() + ": " + e.getMessage(), now);
            return new TimerStep(true, null);
        }
        if (ctl.parked.isPresent()) {
            if (ctl.held.size() >= type.stashCapacity()) {
                ctl.removeTimer(t.key());
                deadLetterStored(msg, "the actor is parked and its hold buffer is full", now);
                return new TimerStep(true, null);
            }
            ctl.removeTimer(t.key());
            ctl.timersFired++;
            ctl.held.add(msg);
            outcome(d, Outcome.Kind.HELD, "actor parked");
            return new TimerStep(true, null);
        }
        expireDue(now);
        // removed before the handler runs, so that it sees its timers without this one and may set it again; on a
        // retry the working copy is dropped and the timer stays
        List<TimerEntry> before = new ArrayList<>(ctl.timers);
        ctl.removeTimer(t.key());
        int firedBefore = (int) ctl.timersFired;
        ctl.timersFired++;
        Stop stop = handleFresh(k, d, message, msg, now, attemptMarked);
        if (stop instanceof Stop.Retry || stop instanceof Stop.MarkAttempt) {
            ctl.timers.clear();
            ctl.timers.addAll(before);
            ctl.timersFired = firedBefore;
            return new TimerStep(false, stop);
        }
        if (stop instanceof Stop.DeadLetter dl) {
            // the firing's body is not the message: dead-letter the timer's message from the record instead
            deadLetterStored(msg, dl.reason(), now);
            return new TimerStep(true, null);
        }
        return new TimerStep(true, null);
    }

    /** Queues a message kept in the record for the dead-letter queue, committed with the rest. */
    private void deadLetterStored(Stashed msg, String reason, Instant now) {
        Control ctl = w.ctl;
        ctl.outSeq++;
        // an actor's message keeps its sender (a timer's message is the actor's own and goes as a plain message)
        Optional<Inbound.From> from = msg.timerKey().isPresent() ? Optional.empty() : msg.from();
        ctl.outbox.add(new OutboxEntry.DeadLetter(ctl.outSeq, now.toEpochMilli(), msg.messageId(), msg.type(),
                msg.body(), reason, from));
        from.ifPresent(f -> ctl.letter(Mark.senderKey(f.senderGroupId()), f.seq(), now.toEpochMilli()));
        ctl.deadLettered++;
        w.outcomes.add(new Outcome(id.groupId(), msg.messageId(), Outcome.Kind.DEAD_LETTERED, reason,
                msg.receiveCount()));
        w.changed = true;
    }

    // ------------------------------------------------------------------------------------------------ decisions

    /** Applies a decided (non-deferring) effect to the working copy. */
    private void apply(HandlerCall.Plan plan, Stashed msg, Instant now) {
        Control ctl = w.ctl;
        Effect<Object> effect = plan.effect();
        effect.newState().ifPresent(s -> w.state = s);
        if (effect.rejection().isPresent()) {
            reject(msg, effect.rejection().get(), now);
        } else {
            ctl.applied++;
            w.outcomes.add(new Outcome(id.groupId(), msg.messageId(), Outcome.Kind.APPLIED,
                    msg.timerKey().map(k -> "timer " + k).orElse(""), msg.receiveCount()));
        }
        applyActions(plan.actions(), now);
        w.changed = true;
        if (effect.newState().isPresent()) {
            drainStash(now);
        }
    }

    private void applyActions(List<HandlerCall.Planned> actions, Instant now) {
        Control ctl = w.ctl;
        long at = now.toEpochMilli();
        for (HandlerCall.Planned p : actions) {
            if (p instanceof HandlerCall.Planned.SendTo s) {
                ctl.outSeq++;
                ctl.outbox.add(new OutboxEntry.Message(ctl.outSeq, at, s.target(), s.type(), s.body()));
            } else if (p instanceof HandlerCall.Planned.StartTimer t) {
                long generation = ctl.nextTimerGeneration++;
                ctl.removeTimer(t.key());
                ctl.timers.add(new TimerEntry(t.key(), generation, t.dueMillis(), t.type(), t.body()));
                ctl.outSeq++;
                ctl.outbox.add(new OutboxEntry.Timer(ctl.outSeq, at, t.key(), generation, t.dueMillis()));
            } else if (p instanceof HandlerCall.Planned.CancelTimer c) {
                ctl.removeTimer(c.key());
            }
        }
    }

    private void reject(Stashed msg, String reason, Instant now) {
        if (settings.keptRejections() > 0) {
            w.ctl.recordRejection(Rejection.kept(msg.messageId(), msg.type(), reason, now.toEpochMilli()),
                    settings.keptRejections());
        }
        w.outcomes.add(new Outcome(id.groupId(), msg.messageId(), Outcome.Kind.REJECTED, reason, msg.receiveCount()));
        w.changed = true;
    }

    // ------------------------------------------------------------------------------------------------ the stash

    private void deferFresh(Stashed msg, Instant deadline, Instant now) {
        Control ctl = w.ctl;
        if (ctl.stash.size() >= type.stashCapacity()) {
            reject(msg, "stash full (" + type.stashCapacity() + " deferred messages)", now);
            return;
        }
        ctl.stash.add(msg.withDeadline(deadline.toEpochMilli()));
        ctl.deferred++;
        w.outcomes.add(new Outcome(id.groupId(), msg.messageId(), Outcome.Kind.DEFERRED, "until " + deadline,
                msg.receiveCount()));
        w.changed = true;
    }

    /** Rejects stashed messages whose deadline has passed. */
    private void expireDue(Instant now) {
        long nowMillis = now.toEpochMilli();
        var it = w.ctl.stash.iterator();
        while (it.hasNext()) {
            Stashed s = it.next();
            if (s.deadlineMillis() <= nowMillis) {
                it.remove();
                reject(s, expiryReason(s), now);
            }
        }
    }

    /** Retries the stash, oldest first, until a full pass changes nothing. */
    private void drainStash(Instant now) {
        Control ctl = w.ctl;
        boolean progress = true;
        while (progress && !ctl.stash.isEmpty()) {
            progress = false;
            for (int i = 0; i < ctl.stash.size(); i++) {
                Stashed s = ctl.stash.get(i);
                if (s.deadlineMillis() <= now.toEpochMilli()) {
                    ctl.stash.remove(i--);
                    reject(s, expiryReason(s), now);
                    continue;
                }
                HandlerCall.Result r = decideStored(s, now);
                if (r.failure() != null) {
                    // kept: retried after the next state change, and expires at its deadline like any other
                    ctl.stash.set(i, s.withReason("the handler failed when it was retried: " + r.failure()));
                    w.changed = true;
                    continue;
                }
                if (r.plan().effect().deferUntil().isPresent()) {
                    continue;
                }
                ctl.stash.remove(i--);
                w.changed = true;
                Effect<Object> e = r.plan().effect();
                if (e.newState().isPresent()) {
                    // apply() would drain again after a state change; do it here and restart the scan instead
                    w.state = e.newState().get();
                    if (e.rejection().isPresent()) {
                        reject(s, e.rejection().get(), now);
                    } else {
                        ctl.applied++;
                        w.outcomes.add(new Outcome(id.groupId(), s.messageId(), Outcome.Kind.APPLIED, "from the stash",
                                s.receiveCount()));
                    }
                    applyActions(r.plan().actions(), now);
                    progress = true;
                    break;
                }
                apply(r.plan(), s, now);
            }
        }
    }

    private static String expiryReason(Stashed s) {
        return s.reason().map(r -> "deferral deadline passed; " + r).orElse("deferral deadline passed");
    }

    /** Keeps the runtime's stash timer at the earliest deadline of the stash (none when the stash is empty). */
    private void syncStashTimer(Instant now) {
        Control ctl = w.ctl;
        long earliest = Long.MAX_VALUE;
        for (Stashed s : ctl.stash) {
            earliest = Math.min(earliest, s.deadlineMillis());
        }
        Optional<TimerEntry> current = ctl.timer(TimerEntry.STASH_KEY);
        if (earliest == Long.MAX_VALUE) {
            if (current.isPresent()) {
                ctl.removeTimer(TimerEntry.STASH_KEY);
            }
            return;
        }
        if (current.isPresent() && current.get().dueMillis() == earliest) {
            return;
        }
        ctl.removeTimer(TimerEntry.STASH_KEY);
        long generation = ctl.nextTimerGeneration++;
        ctl.timers.add(new TimerEntry(TimerEntry.STASH_KEY, generation, earliest, "", new byte[0]));
        ctl.outSeq++;
        ctl.outbox.add(new OutboxEntry.Timer(ctl.outSeq, now.toEpochMilli(), TimerEntry.STASH_KEY, generation,
                earliest));
        w.changed = true;
    }

    private HandlerCall.Result decideStored(Stashed s, Instant now) {
        Class<?> cls = type.messageClass(s.type());
        if (cls == null) {
            return new HandlerCall.Result(null, "message type '" + s.type() + "' is no longer registered", false);
        }
        Object message;
        try {
            message = settings.codec().decode(s.body(), cls);
        } catch (MessageDecodingException e) {
            return new HandlerCall.Result(null, e.getMessage(), false);
        }
        return handler.call(w, message, s, now, current);
    }

    // ------------------------------------------------------------------------------------------------ parking

    /** Resolves the parked message and replays the held ones; false if there was nothing to resolve. */
    private boolean unpark(Delivery d, String resolution, Instant now) {
        Control ctl = w.ctl;
        if (ctl.parked.isEmpty()) {
            outcome(d, Outcome.Kind.DUPLICATE, "unpark: the actor is not parked");
            return false;
        }
        Stashed p = ctl.parked.get();
        if (resolution.equals(Resolution.SKIP.name())) {
            ctl.parked = Optional.empty();
            deadLetterStored(p, "skipped by operator; parked because: " + p.reason().orElse("unknown"), now);
        } else if (resolution.equals(Resolution.RETRY.name())) {
            HandlerCall.Result r = decideStored(p, now);
            if (r.failure() != null) {
                ctl.parked = Optional.of(p.withReason("retried by operator and failed again: " + r.failure()));
                w.outcomes.add(new Outcome(id.groupId(), p.messageId(), Outcome.Kind.PARKED,
                        ctl.parked.get().reason().orElseThrow(), p.receiveCount()));
                return true;
            }
            ctl.parked = Optional.empty();
            applyStored(r.plan(), p, now);
        } else {
            outcome(d, Outcome.Kind.DUPLICATE, "unpark: unknown resolution");
            return false;
        }
        // replay held messages in order until one fails again
        while (!ctl.held.isEmpty() && ctl.parked.isEmpty()) {
            Stashed h = ctl.held.remove(0);
            HandlerCall.Result r = decideStored(h, now);
            if (r.failure() != null) {
                ctl.parked = Optional.of(h.withReason("failed when released from hold: " + r.failure()));
                w.outcomes.add(new Outcome(id.groupId(), h.messageId(), Outcome.Kind.PARKED,
                        ctl.parked.get().reason().orElseThrow(), h.receiveCount()));
                return true;
            }
            applyStored(r.plan(), h, now);
        }
        w.changed = true;
        return true;
    }

    private void applyStored(HandlerCall.Plan plan, Stashed s, Instant now) {
        if (plan.effect().deferUntil().isPresent()) {
            deferFresh(s, plan.effect().deferUntil().get(), now);
            return;
        }
        apply(plan, s, now);
    }

    private void outcome(Delivery d, Outcome.Kind kind, String detail) {
        w.outcomes.add(new Outcome(d.groupId(), d.messageId(), kind, detail, d.receiveCount()));
    }


}
