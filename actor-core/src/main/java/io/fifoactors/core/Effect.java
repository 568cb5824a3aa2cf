package io.fifoactors.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What a handler decided for one message. The runtime, not the handler, performs it: the new state, the outgoing
 * messages, the rejection record and the deferral are committed in one atomic write, then the messages are sent.
 *
 * <ul>
 *   <li>{@link #persist(Object)}: the actor's new state (deferred messages are retried after it).</li>
 *   <li>{@link #none()}: the message is applied and changes nothing.</li>
 *   <li>{@link #reject(String)}: the message is refused with a reason; recorded with the actor, not an error.</li>
 *   <li>{@link #defer(Instant)}: keep the message with the actor and retry it after every state change; if it is
 *       still deferred at the deadline it is rejected with reason {@code "deferral deadline passed"}. The stash is
 *       bounded: a deferral into a full stash is rejected with reason {@code "stash full"}.</li>
 * </ul>
 * Any effect but a deferral may also {@link #send} messages to other actors (a key never seen creates the actor).
 *
 * <pre>{@code
 * return Effect.persist(new Balance(balance.amount() - t.amount()))
 *              .send(ActorId.of("account", t.to()), new Credit(t.amount()));
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@link #send} returns a new effect.
 *
 * @param <S> the actor's state type
 */
public final class Effect<S> {
    /** The kind of decision. */
    public enum Kind { PERSIST, NONE, REJECT, DEFER }

    /** One message to send to another actor (or to this one). */
    public record Send(ActorId target, Object message) {
        public Send {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(message, "message");
        }
    }

    private final Kind kind;
    private final S state;
    private final String reason;
    private final Instant deadline;
    private final List<Send> sends;

    private Effect(Kind kind, S state, String reason, Instant deadline, List<Send> sends) {
        this.kind = kind;
        this.state = state;
        this.reason = reason;
        this.deadline = deadline;
        this.sends = sends;
    }

    /** Replace the state with {@code newState}. */
    public static <S> Effect<S> persist(S newState) {
        return new Effect<>(Kind.PERSIST, Objects.requireNonNull(newState, "newState"), null, null, List.of());
    }

    /** Apply the message without changing the state. */
    public static <S> Effect<S> none() {
        return new Effect<>(Kind.NONE, null, null, null, List.of());
    }

    /** Refuse the message with a reason (for people: no payloads in it). */
    public static <S> Effect<S> reject(String reason) {
        Objects.requireNonNull(reason, "reason");
        return new Effect<>(Kind.REJECT, null, reason, null, List.of());
    }

    /** Keep the message and retry it after each state change, until {@code deadline}. */
    public static <S> Effect<S> defer(Instant deadline) {
        return new Effect<>(Kind.DEFER, null, null, Objects.requireNonNull(deadline, "deadline"), List.of());
    }

    /** This effect plus one outgoing message, sent after the commit in the order the sends were added. */
    public Effect<S> send(ActorId target, Object message) {
        if (kind == Kind.DEFER) {
            throw new IllegalStateException("a deferred message sends nothing; send when it is finally handled");
        }
        List<Send> more = new ArrayList<>(sends.size() + 1);
        more.addAll(sends);
        more.add(new Send(target, message));
        return new Effect<>(kind, state, reason, deadline, Collections.unmodifiableList(more));
    }

    public Kind kind() {
        return kind;
    }

    /** The new state of a {@link Kind#PERSIST} effect, else null. */
    public S state() {
        return state;
    }

    /** The reason of a {@link Kind#REJECT} effect, else null. */
    public String reason() {
        return reason;
    }

    /** The deadline of a {@link Kind#DEFER} effect, else null. */
    public Instant deadline() {
        return deadline;
    }

    public List<Send> sends() {
        return sends;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case PERSIST -> "Effect.persist(" + state + ")" + (sends.isEmpty() ? "" : ".sends" + sends);
            case NONE -> "Effect.none()" + (sends.isEmpty() ? "" : ".sends" + sends);
            case REJECT -> "Effect.reject(" + reason + ")" + (sends.isEmpty() ? "" : ".sends" + sends);
            case DEFER -> "Effect.defer(" + deadline + ")";
        };
    }
}
