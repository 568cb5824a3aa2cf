package io.fifoactors.lambdaexample;

import java.time.Instant;

/**
 * The messages of {@link Reminders}.
 *
 * <pre>{@code
 * new ReminderMessage.Remind("tea", 60_000);   // fire "tea" a minute after this message was sent
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface ReminderMessage {
    /** Start (or restart) the reminder {@code note}, due {@code delayMillis} after this message was sent. */
    record Remind(String note, long delayMillis) implements ReminderMessage {
    }

    /** The timer's firing: the actor sends it to itself, due at {@code due}. */
    record Fire(String note, Instant due) implements ReminderMessage {
    }

    /** Cancel the reminder {@code note}, if it is pending. */
    record Cancel(String note) implements ReminderMessage {
    }
}
