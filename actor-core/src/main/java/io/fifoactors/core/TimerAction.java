package io.fifoactors.core;

import java.time.Instant;
import java.util.Objects;

/**
 * Starting or cancelling one of the actor's own timers; made by {@link ActorContext#startTimer},
 * {@link ActorContext#startTimerAt} and {@link ActorContext#cancelTimer}, which type the timer's message.
 *
 * <pre>{@code
 * TimerAction t = ctx.startTimer("expiry", Duration.ofMinutes(15), new Expire());
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface TimerAction extends Action {
    /** The timer's key: starting a timer under a key that has one replaces it. */
    String key();

    /** Start (or replace) the timer {@code key}: at {@code due} the actor receives {@code message} from itself. */
    record Start(String key, Instant due, Object message) implements TimerAction {
        public Start {
            checkKey(key);
            Objects.requireNonNull(due, "due");
            Objects.requireNonNull(message, "message");
        }
    }

    /** Cancel the timer {@code key}, if it is set; a firing already under way is recognised and dropped. */
    record Cancel(String key) implements TimerAction {
        public Cancel {
            checkKey(key);
        }
    }

    /** The longest timer key. */
    int MAX_KEY_LENGTH = 64;

    private static void checkKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || key.startsWith("fa:")) {
            throw new IllegalArgumentException("a timer key has 1 to " + MAX_KEY_LENGTH
                    + " characters and does not start with the reserved prefix fa:");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                throw new IllegalArgumentException("a timer key has printable ASCII characters other than space only");
            }
        }
    }
}
