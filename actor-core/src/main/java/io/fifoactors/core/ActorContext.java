package io.fifoactors.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * What a handler may know and ask for besides its state and the message: who it is (a typed reference to itself),
 * the message's metadata, the time of the runtime's injected clock (never {@code Instant.now()}, so tests control
 * time), its timers, and the actions that start or cancel them.
 *
 * <pre>{@code
 * return Effect.persist(held, ctx.startTimer("expiry", Duration.ofMinutes(15), new HoldMessage.Expire()));
 * }</pre>
 *
 * <p>Valid only during the handler call that received it; not thread-safe.
 *
 * @param <M> the actor's message type
 */
public interface ActorContext<M> {
    /** This actor, as a reference its messages can carry as a reply address. */
    ActorRef<M> self();

    MessageMetadata metadata();

    /** The time now, from the runtime's clock. */
    Instant now();

    /**
     * Start (or replace) the timer {@code key}: after {@code delay} the actor receives {@code message} from itself,
     * once. Committed with the state, so it survives any crash.
     */
    default TimerAction startTimer(String key, Duration delay, M message) {
        return startTimerAt(key, now().plus(delay), message);
    }

    /** Start (or replace) the timer {@code key} to fire at {@code due}. */
    default TimerAction startTimerAt(String key, Instant due, M message) {
        return new TimerAction.Start(key, due, message);
    }

    /** Cancel the timer {@code key}; nothing if it is not set. */
    default TimerAction cancelTimer(String key) {
        return new TimerAction.Cancel(key);
    }

    /** The keys of the timers set now (before this message's effect). */
    Set<String> timers();
}
