package io.fifoactors.core;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a handler decided for one message. The runtime, not the handler, performs it: the new state, the rejection
 * record, the deferral and the actions (messages to send, timers to start or cancel) are committed in one atomic
 * write, then the actions are carried out in the order given.
 *
 * <ul>
 *   <li>{@link #persist}: the actor's new state, and actions; deferred messages are retried after it.</li>
 *   <li>{@link #none}: the message is applied without changing the state, with actions.</li>
 *   <li>{@link #reject}: the message is refused with a reason (kept with the actor, not an error), with actions;
 *       {@link #persistAndReject} also changes the state (a rejection that records something).</li>
 *   <li>{@link #defer}: keep the message with the actor and retry it after every state change; if it is still
 *       deferred at the deadline it is rejected with reason {@code "deferral deadline passed"}, on time, without
 *       waiting for another message. A deferral into a full stash is rejected with reason {@code "stash full"}.</li>
 * </ul>
 *
 * <pre>{@code
 * return stock.quantity() >= d.quantity()
 *         ? Effect.persist(stock.minus(d.quantity()), warehouse.tell(new Picked(d.quantity())))
 *         : Effect.reject("insufficient stock");
 * }</pre>
 *
 * <p>The type of the state comes from where the effect is returned, so no type witness is needed; actions are
 * arguments, so an effect is built in one expression. Immutable and thread-safe (given immutable state).
 *
 * @param <S> the actor's state type
 */
public final class Effect<S> {
    private final S newState;
    private final String rejection;
    private final Instant deferUntil;
    private final List<Action> actions;

    private Effect(S newState, String rejection, Instant deferUntil, List<Action> actions) {
        this.newState = newState;
        this.rejection = rejection;
        this.deferUntil = deferUntil;
        this.actions = actions;
    }

    /** Replace the state with {@code newState}, then perform {@code actions}. */
    public static <S> Effect<S> persist(S newState, Action... actions) {
        return persist(newState, Arrays.asList(actions));
    }

    /** Replace the state with {@code newState}, then perform {@code actions} (for a computed list of them). */
    public static <S> Effect<S> persist(S newState, List<? extends Action> actions) {
        return new Effect<>(Objects.requireNonNull(newState, "newState"), null, null, copy(actions));
    }

    /** Apply the message without changing the state, then perform {@code actions}. */
    public static <S> Effect<S> none(Action... actions) {
        return none(Arrays.asList(actions));
    }

    /** Apply the message without changing the state, then perform {@code actions}. */
    public static <S> Effect<S> none(List<? extends Action> actions) {
        return new Effect<>(null, null, null, copy(actions));
    }

    /** Refuse the message with a reason (for people: no payloads in it), then perform {@code actions}. */
    public static <S> Effect<S> reject(String reason, Action... actions) {
        return reject(reason, Arrays.asList(actions));
    }

    /** Refuse the message with a reason, then perform {@code actions}. */
    public static <S> Effect<S> reject(String reason, List<? extends Action> actions) {
        return new Effect<>(null, checkReason(reason), null, copy(actions));
    }

    /** Refuse the message with a reason and also replace the state (say, to count refusals), then the actions. */
    public static <S> Effect<S> persistAndReject(S newState, String reason, Action... actions) {
        return new Effect<>(Objects.requireNonNull(newState, "newState"), checkReason(reason), null,
                copy(Arrays.asList(actions)));
    }

    /** Keep the message and retry it after each state change, until {@code deadline}. A deferral sends nothing. */
    public static <S> Effect<S> defer(Instant deadline) {
        return new Effect<>(null, null, Objects.requireNonNull(deadline, "deadline"), List.of());
    }

    private static String checkReason(String reason) {
        Objects.requireNonNull(reason, "reason");
        if (reason.isBlank()) {
            throw new IllegalArgumentException("a rejection needs a reason");
        }
        return reason;
    }

    private static List<Action> copy(List<? extends Action> actions) {
        for (Action a : actions) {
            Objects.requireNonNull(a, "action");
        }
        return List.copyOf(actions);
    }

    /** The new state, if this effect changes it. */
    public Optional<S> newState() {
        return Optional.ofNullable(newState);
    }

    /** The reason, if this effect rejects the message. */
    public Optional<String> rejection() {
        return Optional.ofNullable(rejection);
    }

    /** The deadline, if this effect defers the message. */
    public Optional<Instant> deferUntil() {
        return Optional.ofNullable(deferUntil);
    }

    /** The actions to perform after the commit, in order. */
    public List<Action> actions() {
        return actions;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Effect[");
        if (deferUntil != null) {
            return b.append("defer until ").append(deferUntil).append(']').toString();
        }
        b.append(newState != null ? "persist " + newState : "no state change");
        if (rejection != null) {
            b.append(", reject: ").append(rejection);
        }
        if (!actions.isEmpty()) {
            b.append(", ").append(actions);
        }
        return b.append(']').toString();
    }
}
