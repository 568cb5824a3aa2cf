package io.fifoactors.core;

/**
 * What happens to a message whose handler still throws on its last allowed receive.
 *
 * <ul>
 *   <li>{@link #DEAD_LETTER}: dead-letter it with the cause and let the actor go on with its later messages.</li>
 *   <li>{@link #PARK}: keep it with the actor's state and hold the actor's later messages (in order, bounded by
 *       the stash capacity) until an operator calls {@code ActorSystem.unpark}, for domains where skipping a
 *       message would break their order.</li>
 * </ul>
 */
public enum PoisonPolicy {
    DEAD_LETTER,
    PARK
}
