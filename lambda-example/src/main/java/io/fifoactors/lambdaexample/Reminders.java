package io.fifoactors.lambdaexample;

import io.fifoactors.core.ActorContext;
import io.fifoactors.core.ActorRef;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.Effect;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A small actor with timers, for the deployed example and its tests: a {@link ReminderMessage.Remind} starts a timer
 * under its note; when it is due the actor receives the {@link ReminderMessage.Fire} from itself, with no outside
 * wake (on AWS: through the timer queue and the timer function), and records when it fired. A
 * {@link ReminderMessage.Cancel} cancels it. The actor keeps the last {@value #KEPT} firings.
 *
 * <pre>{@code
 * system.tell(Reminders.reminder("alice"), new ReminderMessage.Remind("tea", 60_000), "remind-1");
 * Reminders.State s = system.inspect(Reminders.TYPE, "alice").state();   // s.fired() after a minute
 * }</pre>
 *
 * <p>Stateless and thread-safe: the handlers are pure functions of the state, the message and the context.
 */
public final class Reminders {
    /** Firings kept in the record, newest last. */
    public static final int KEPT = 20;
    /** The longest reminder: a day (96 hops of the timer queue). */
    public static final Duration MAX_DELAY = Duration.ofDays(1);
    public static final String DELAY_OUT_OF_RANGE = "delay must be between 0 and " + MAX_DELAY.toMillis() + " ms";
    public static final String BAD_NOTE = "a note has 1 to 64 printable ASCII characters, not starting with fa:";
    public static final String NOT_A_TIMER = "a firing comes from the actor's own timer, not from outside";

    /**
     * A reminder actor's state.
     *
     * @param pending the notes whose timers are set
     * @param fired   the latest firings, oldest first
     */
    public record State(List<String> pending, List<Fired> fired) {
        public static final State EMPTY = new State(List.of(), List.of());

        public State {
            pending = List.copyOf(pending);
            fired = List.copyOf(fired);
        }
    }

    /**
     * One firing.
     *
     * @param note    the reminder's note
     * @param due     when it was due
     * @param firedAt when the actor handled it (the runtime's clock)
     */
    public record Fired(String note, Instant due, Instant firedAt) {
    }

    /** The reminder actor type. */
    public static final ActorType<State, ReminderMessage> TYPE =
            ActorType.builder("reminder", State.class, ReminderMessage.class)
                    .initialState(id -> State.EMPTY)
                    .on(ReminderMessage.Remind.class, Reminders::remind)
                    .on(ReminderMessage.Fire.class, Reminders::fire)
                    .on(ReminderMessage.Cancel.class, Reminders::cancel)
                    .build();

    private Reminders() {
    }

    /** The reminder actor with this key. */
    public static ActorRef<ReminderMessage> reminder(String key) {
        return TYPE.ref(key);
    }

    private static Effect<State> remind(State s, ReminderMessage.Remind r, ActorContext<ReminderMessage> ctx) {
        if (r.delayMillis() < 0 || r.delayMillis() > MAX_DELAY.toMillis()) {
            return Effect.reject(DELAY_OUT_OF_RANGE);
        }
        if (!validNote(r.note())) {
            return Effect.reject(BAD_NOTE);
        }
        // from the enqueue time, not now: a redelivered request keeps the due time it was given
        Instant due = ctx.metadata().enqueuedAt().plusMillis(r.delayMillis());
        List<String> pending = new ArrayList<>(s.pending());
        pending.remove(r.note());
        pending.add(r.note());
        return Effect.persist(new State(pending, s.fired()),
                ctx.startTimerAt(r.note(), due, new ReminderMessage.Fire(r.note(), due)));
    }

    private static Effect<State> fire(State s, ReminderMessage.Fire f, ActorContext<ReminderMessage> ctx) {
        if (ctx.metadata().timerKey().filter(f.note()::equals).isEmpty()) {
            return Effect.reject(NOT_A_TIMER); // the runtime authenticates timer firings; a producer's is not one
        }
        List<String> pending = new ArrayList<>(s.pending());
        pending.remove(f.note());
        List<Fired> fired = new ArrayList<>(s.fired());
        fired.add(new Fired(f.note(), f.due(), ctx.now()));
        while (fired.size() > KEPT) {
            fired.remove(0);
        }
        return Effect.persist(new State(pending, fired));
    }

    private static Effect<State> cancel(State s, ReminderMessage.Cancel c, ActorContext<ReminderMessage> ctx) {
        if (!s.pending().contains(c.note())) {
            return Effect.none();
        }
        List<String> pending = new ArrayList<>(s.pending());
        pending.remove(c.note());
        return Effect.persist(new State(pending, s.fired()), ctx.cancelTimer(c.note()));
    }

    private static boolean validNote(String note) {
        if (note == null || note.isEmpty() || note.length() > 64 || note.startsWith("fa:")) {
            return false;
        }
        return note.chars().allMatch(c -> c >= 0x21 && c <= 0x7E);
    }
}
