package io.fifoactors.core.internal;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.FifoActorsException;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.runtime.BatchOutcome.RetryCause;
import io.fifoactors.core.runtime.Envelope;
import io.fifoactors.core.runtime.MessageTracing;
import io.fifoactors.core.runtime.MessageTracing.DeliverySpan;
import io.fifoactors.core.runtime.MessageTracing.HandledMessage;
import io.fifoactors.core.runtime.Outcome;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The spans of one group's deliveries in one run, and which delivery caused each outgoing message: a span is started
 * per delivery when the run starts, made current while a handler runs for it, and ended with the delivery's first
 * outcome (or, at the end of the batch, with a made-up one). Messages added to the outbox while a handler ran for
 * delivery {@code k} (known from the outbox sequence when the handler started) carry {@code k}'s trace context.
 * Every call into the {@link MessageTracing} is guarded: tracing never changes what happens to a message.
 * Thread-safe (the batch may end spans while an abandoned run is still going).
 */
final class Traces {
    /** Without tracing: every call returns at once, and runs share this one (nothing is allocated per run). */
    private static final Traces OFF = new Traces(MessageTracing.none(), List.of());

    private final MessageTracing tracing;
    private final boolean on;
    private final List<Delivery> deliveries;
    private final DeliverySpan[] spans;
    private final boolean[] ended;
    /** The control of the fold under way (its outbox sequence tells where a handler's messages start). */
    private Control folding;
    private long foldStart;
    /** Per handler call of the fold under way: the outbox sequence before it, and its delivery. */
    private long[] starts;
    private int[] causes;
    private int calls;
    /** The deliveries that caused the messages of the last fold's outbox, by entry. */
    private final Map<OutboxEntry.Message, Integer> sentBy;
    private MessageTracing.Scope scope;

    private Traces(MessageTracing tracing, List<Delivery> deliveries) {
        this.tracing = tracing;
        this.on = tracing != MessageTracing.none();
        this.deliveries = deliveries;
        this.spans = new DeliverySpan[deliveries.size()];
        this.ended = new boolean[deliveries.size()];
        this.starts = new long[on ? 4 : 0];
        this.causes = new int[on ? 4 : 0];
        this.sentBy = on ? new IdentityHashMap<>() : Map.of();
    }

    /** The traces of one run of {@code deliveries}. */
    static Traces of(MessageTracing tracing, List<Delivery> deliveries) {
        return tracing == MessageTracing.none() ? OFF : new Traces(tracing, deliveries);
    }

    /** Starts a span per delivery. */
    void start(Settings settings, String groupId) {
        if (on) {
            startLocked(settings, groupId);
        }
    }

    private synchronized void startLocked(Settings settings, String groupId) {
        String actorId = HandledMessage.UNKNOWN;
        String actorType = HandledMessage.UNKNOWN;
        ActorType<?, ?> type = null;
        try {
            ActorId id = ActorId.fromGroupId(groupId);
            type = settings.typeOrNull(id.type());
            actorId = id.groupId();
            actorType = type == null ? HandledMessage.UNKNOWN : id.type();
        } catch (FifoActorsException e) {
            // a group id that names no actor: dead-lettered, traced as unknown
        }
        for (int k = 0; k < deliveries.size(); k++) {
            Delivery d = deliveries.get(k);
            String wire = d.attributes().get(Envelope.TYPE);
            String messageType = wire != null && (isSystem(wire) || (type != null && type.messageClass(wire) != null))
                    ? wire : HandledMessage.UNKNOWN;
            String parent = d.attributes().get(Envelope.TRACEPARENT);
            Optional<String> traceparent = MessageTracing.isValidTraceparent(parent) ? Optional.of(parent)
                    : Optional.empty();
            try {
                spans[k] = tracing.start(new HandledMessage(actorId, actorType, messageType, d.messageId(),
                        d.receiveCount(), traceparent));
            } catch (RuntimeException e) {
                spans[k] = null; // untraced
            }
        }
    }

    private static boolean isSystem(String type) {
        return type.equals(Envelope.SYSTEM_WAKE) || type.equals(Envelope.SYSTEM_UNPARK)
                || type.equals(Envelope.SYSTEM_TIMER);
    }

    /** Ends the span of the first delivery with the outcome's message id whose span is open. */
    void ended(Outcome o) {
        if (on) {
            endedLocked(o);
        }
    }

    private synchronized void endedLocked(Outcome o) {
        for (int k = 0; k < deliveries.size(); k++) {
            if (!ended[k] && deliveries.get(k).messageId().equals(o.messageId())) {
                end(k, o);
                return;
            }
        }
    }

    /**
     * Ends the spans still open when the batch is done: a retried delivery with its cause, a settled one (a system
     * message, which reports no outcome) as applied.
     */
    void endRest(Map<Delivery, RetryCause> retried) {
        if (on) {
            endRestLocked(retried);
        }
    }

    private synchronized void endRestLocked(Map<Delivery, RetryCause> retried) {
        for (int k = 0; k < deliveries.size(); k++) {
            if (!ended[k]) {
                Delivery d = deliveries.get(k);
                RetryCause cause = retried.get(d);
                end(k, cause != null
                        ? new Outcome(d.groupId(), d.messageId(), Outcome.Kind.RETRIED, "retried: " + cause,
                        d.receiveCount())
                        : new Outcome(d.groupId(), d.messageId(), Outcome.Kind.APPLIED, "settled, no outcome reported",
                        d.receiveCount()));
            }
        }
    }

    private void end(int k, Outcome o) {
        ended[k] = true;
        DeliverySpan s = spans[k];
        if (s != null) {
            try {
                s.end(o);
            } catch (RuntimeException e) {
                // tracing must not change what happens to a message
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ folds

    /** Wraps the run's progress: a handler call for delivery {@code k} runs with {@code k}'s span current. */
    Decider.Progress progress(Decider.Progress inner) {
        if (!on) {
            return inner;
        }
        return new Decider.Progress() {
            @Override
            public void handling(int deliveryIndex) {
                handlerStarts(deliveryIndex);
                inner.handling(deliveryIndex);
            }

            @Override
            public void idle() {
                inner.idle();
                handlerEnds();
            }
        };
    }

    /** A fold of {@code ctl} starts: what its handlers add to the outbox is attributed to their deliveries. */
    void foldStarts(Control ctl) {
        if (on) {
            foldStartsLocked(ctl);
        }
    }

    private synchronized void foldStartsLocked(Control ctl) {
        folding = ctl;
        foldStart = ctl.outSeq;
        calls = 0;
        sentBy.clear();
    }

    /** The fold is done: remembers which delivery caused each message it added to the outbox. */
    void foldEnds() {
        if (on) {
            foldEndsLocked();
        }
    }

    private synchronized void foldEndsLocked() {
        if (folding == null) {
            return;
        }
        for (OutboxEntry e : folding.outbox) {
            if (e instanceof OutboxEntry.Message m && m.outSeq() > foldStart) {
                int cause = -1;
                for (int c = 0; c < calls && starts[c] < m.outSeq(); c++) {
                    cause = causes[c];
                }
                if (cause >= 0) {
                    sentBy.put(m, cause);
                }
            }
        }
        folding = null;
    }

    private synchronized void handlerStarts(int k) {
        if (folding != null) {
            if (calls == starts.length) {
                starts = java.util.Arrays.copyOf(starts, calls * 2);
                causes = java.util.Arrays.copyOf(causes, calls * 2);
            }
            starts[calls] = folding.outSeq;
            causes[calls] = k;
            calls++;
        }
        DeliverySpan s = k >= 0 && k < spans.length ? spans[k] : null;
        if (s != null && scope == null) {
            try {
                scope = s.makeCurrent();
            } catch (RuntimeException e) {
                scope = null;
            }
        }
    }

    private synchronized void handlerEnds() {
        MessageTracing.Scope s = scope;
        scope = null;
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException e) {
                // as above
            }
        }
    }

    /** The trace context for an outbox message: its cause's, or null if none is known (a stored outbox's). */
    String traceparentOf(OutboxEntry.Message m) {
        return on ? traceparentOfLocked(m) : null;
    }

    private synchronized String traceparentOfLocked(OutboxEntry.Message m) {
        Integer k = sentBy.get(m);
        DeliverySpan s = k == null ? null : spans[k];
        if (s == null) {
            return null;
        }
        try {
            Optional<String> tp = s.traceparent();
            return tp.isPresent() && MessageTracing.isValidTraceparent(tp.get()) ? tp.get() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
