package io.fifoactors.core;

/**
 * Something a handler asks the runtime to do besides changing the state: send a message
 * ({@link ActorRef#tell}), start a timer or cancel one ({@link ActorContext#startTimer},
 * {@link ActorContext#cancelTimer}). Actions are committed with the state in one atomic write and performed after
 * it, in the order listed.
 *
 * <pre>{@code
 * Effect.persist(hold, payer.tell(new Debit(5)), ctx.startTimer("expiry", Duration.ofMinutes(15), new Expire()));
 * }</pre>
 *
 * <p>Implementations are immutable and thread-safe.
 */
public sealed interface Action permits Send, TimerAction {
}
