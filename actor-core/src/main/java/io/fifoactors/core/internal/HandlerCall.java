package io.fifoactors.core.internal;

import io.fifoactors.core.Action;
import io.fifoactors.core.ActorContext;
import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorRef;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.Effect;
import io.fifoactors.core.FifoActorsException;
import io.fifoactors.core.MessageMetadata;
import io.fifoactors.core.Send;
import io.fifoactors.core.TimerAction;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.MailboxLimits;
import io.fifoactors.core.runtime.Envelope;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One call of an actor's handler: builds what the handler sees (the context), calls it within the actor type's time
 * limit, and checks and encodes the effect's actions into a {@link Plan} (target types registered, message sizes as
 * SQS carries them, the timer bound), without changing the working copy: the {@link Decider} applies a plan.
 * Not thread-safe; one per run.
 */
final class HandlerCall {
    /**
     * Bytes the envelope attributes can add to an outgoing message (type, from and auth attribute names and values);
     * the body counts as {@link MailboxLimits#bodySize}, its Base64 form when SQS cannot carry it as text.
     */
    static final long ENVELOPE_OVERHEAD = 3 * "String".length() + Envelope.TYPE.length() + Envelope.FROM.length()
            + Envelope.AUTH.length() + ActorId.MAX_GROUP_ID_LENGTH + 2 * 20 + 2 + 16 + 1 + 22;

    private final Settings settings;
    private final ActorId id;
    private final ActorType<Object, Object> type;
    private final Decider.Progress progress;

    HandlerCall(Settings settings, ActorId id, ActorType<Object, Object> type, Decider.Progress progress) {
        this.settings = settings;
        this.id = id;
        this.type = type;
        this.progress = progress;
    }

    /** What a handler decided, with its actions checked and encoded; or why there is no decision. */
    record Result(Plan plan, String failure, boolean timedOut) {
    }

    /** An effect with its actions encoded (sends and timers as the record keeps them). */
    record Plan(Effect<Object> effect, List<Planned> actions) {
    }

    sealed interface Planned {
        record SendTo(String target, String type, byte[] body) implements Planned {
        }

        record StartTimer(String key, long dueMillis, String type, byte[] body) implements Planned {
        }

        record CancelTimer(String key) implements Planned {
        }
    }

    /**
     * Runs the handler on {@code message} for the working copy {@code w}, charging the call to delivery
     * {@code current}, and plans its effect; the working copy is only read.
     */
    Result call(Working w, Object message, Stashed msg, Instant now, int current) {
        Effect<Object> effect;
        long started = settings.clock().millis();
        progress.handling(current);
        try {
            effect = type.handle(w.state, message, new Context(w, msg, now));
        } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
            // a handler's own errors are its failures too; only the JVM's distress (out of memory, ...) escapes
            return new Result(null, Failures.describe(e), false);
        } finally {
            progress.idle();
        }
        long tookMillis = settings.clock().millis() - started;
        if (tookMillis > type.handlerTimeout().toMillis()) {
            return new Result(null, "the handler took " + tookMillis + " ms, over its limit of "
                    + type.handlerTimeout().toMillis() + " ms", true);
        }
        if (effect == null) {
            return new Result(null, "the handler returned no effect (null)", false);
        }
        try {
            return new Result(new Plan(effect, plan(w, effect)), null, false);
        } catch (FifoActorsException | IllegalArgumentException e) {
            return new Result(null, Failures.describe(e), false);
        }
    }

    /** Checks and encodes the effect's actions, without changing anything (that happens only when applied). */
    private List<Planned> plan(Working w, Effect<Object> effect) {
        if (effect.actions().isEmpty()) {
            return List.of();
        }
        List<Planned> out = new ArrayList<>(effect.actions().size());
        Set<String> timerKeys = new LinkedHashSet<>();
        for (TimerEntry t : w.ctl.timers) {
            if (!t.isStashTimer()) {
                timerKeys.add(t.key());
            }
        }
        for (Action a : effect.actions()) {
            if (a instanceof Send s) {
                ActorType<?, ?> target = settings.typeOrNull(s.target().type());
                if (target == null) {
                    throw new io.fifoactors.core.MessageEncodingException("no actor type '" + s.target().type()
                            + "' is registered");
                }
                String wireName = target.wireName(s.message());
                if (wireName == null) {
                    throw new io.fifoactors.core.MessageEncodingException(s.message().getClass().getName()
                            + " is not a message of actor type " + target.name());
                }
                byte[] body = settings.codec().encode(s.message());
                long size = MailboxLimits.bodySize(body) + wireName.length() + ENVELOPE_OVERHEAD;
                if (size > Mailbox.MAX_MESSAGE_BYTES) {
                    // checked now, so that an oversized send fails the decision instead of sitting in an outbox
                    // that could never be sent
                    throw new io.fifoactors.core.MessageTooLargeException("(to " + s.target() + ")", size,
                            Mailbox.MAX_MESSAGE_BYTES);
                }
                out.add(new Planned.SendTo(s.target().groupId(), wireName, body));
            } else if (a instanceof TimerAction.Start t) {
                String wireName = type.wireName(t.message());
                if (wireName == null) {
                    throw new io.fifoactors.core.MessageEncodingException(t.message().getClass().getName()
                            + " is not a message of actor type " + type.name());
                }
                timerKeys.add(t.key());
                if (timerKeys.size() > type.maxTimers()) {
                    throw new IllegalArgumentException("the actor would have " + timerKeys.size()
                            + " timers; actor type " + type.name() + " allows " + type.maxTimers()
                            + " (ActorType.Builder.maxTimers)");
                }
                out.add(new Planned.StartTimer(t.key(), t.due().toEpochMilli(), wireName,
                        settings.codec().encode(t.message())));
            } else if (a instanceof TimerAction.Cancel c) {
                timerKeys.remove(c.key());
                out.add(new Planned.CancelTimer(c.key()));
            }
        }
        return out;
    }

    /** What a handler sees of the actor and the message. */
    private final class Context implements ActorContext<Object> {
        private final Working w;
        private final Stashed msg;
        private final Instant now;
        private MessageMetadata metadata;

        Context(Working w, Stashed msg, Instant now) {
            this.w = w;
            this.msg = msg;
            this.now = now;
        }

        @Override
        public ActorRef<Object> self() {
            return ActorRef.unchecked(id);
        }

        @Override
        public MessageMetadata metadata() {
            if (metadata == null) {
                metadata = new MessageMetadata(msg.messageId(), msg.sender().map(ActorId::fromGroupId),
                        msg.timerKey(), Instant.ofEpochMilli(msg.enqueuedAtMillis()), msg.receiveCount());
            }
            return metadata;
        }

        @Override
        public Instant now() {
            return now;
        }

        @Override
        public Set<String> timers() {
            Set<String> keys = new LinkedHashSet<>();
            for (TimerEntry t : w.ctl.timers) {
                if (!t.isStashTimer()) {
                    keys.add(t.key());
                }
            }
            return keys;
        }
    }
}
