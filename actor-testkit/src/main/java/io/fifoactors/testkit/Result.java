package io.fifoactors.testkit;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.Outcome;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one step of an {@link ActorTestKit} did: what happened to the message of the step (its last
 * {@link Outcome}), every outcome the step produced (a state change may also apply or expire deferred messages), the
 * messages the actor sent, and its durable record afterwards. The {@code then...} methods assert on it and return it,
 * failing with an {@link AssertionError} that shows expected and actual.
 *
 * <pre>{@code
 * kit.given(new Counter(1))
 *    .when(new Take(5))
 *    .thenRejected("not enough")
 *    .thenState(new Counter(1))
 *    .thenSentNothing();
 * }</pre>
 *
 * <p>Immutable; safe to read from any thread.
 *
 * @param <S> the actor's state type
 */
public final class Result<S> {
    private final ActorId actor;
    private final String step;
    private final String messageId;
    private final Outcome outcome;
    private final List<Outcome> outcomes;
    private final List<Sent> sent;
    private final ActorSnapshot<S> snapshot;

    Result(ActorId actor, String step, String messageId, Outcome outcome, List<Outcome> outcomes, List<Sent> sent,
           ActorSnapshot<S> snapshot) {
        this.actor = actor;
        this.step = step;
        this.messageId = messageId;
        this.outcome = outcome;
        this.outcomes = List.copyOf(outcomes);
        this.sent = List.copyOf(sent);
        this.snapshot = snapshot;
    }

    /**
     * The id of the step's own message: the message sent, or for an unpark the parked message it resolves; null for
     * a wake, or an unpark of an actor that is not parked.
     */
    public String messageId() {
        return messageId;
    }

    /** The last outcome of the step's own message, or null if it has none (see {@link #messageId()}). */
    public Outcome outcome() {
        return outcome;
    }

    /** The kind of {@link #outcome()}, or null. */
    public Outcome.Kind kind() {
        return outcome == null ? null : outcome.kind();
    }

    /** The reason when the step's message was rejected, dead-lettered or parked; otherwise null. */
    public String reason() {
        if (outcome == null) {
            return null;
        }
        return switch (outcome.kind()) {
            case REJECTED, DEAD_LETTERED, PARKED -> outcome.detail();
            default -> null;
        };
    }

    /** The actor's state after the step, as decoded from its stored record. */
    public S state() {
        return snapshot.state();
    }

    /** The actor's durable record after the step. */
    public ActorSnapshot<S> snapshot() {
        return snapshot;
    }

    /** The messages the actor sent during the step, in order (including any it sent to itself). */
    public List<Sent> sent() {
        return sent;
    }

    /** Every outcome of the step, in order, including redeliveries ({@code RETRIED}) and other messages' outcomes. */
    public List<Outcome> outcomes() {
        return outcomes;
    }

    /** The last outcome this step gave the message with that id (for example a deferred one that is now applied). */
    public Optional<Outcome> outcomeOf(String id) {
        Objects.requireNonNull(id, "id");
        Outcome last = null;
        for (Outcome o : outcomes) {
            if (id.equals(o.messageId())) {
                last = o;
            }
        }
        return Optional.ofNullable(last);
    }

    /** Asserts that the step's message was applied. */
    public Result<S> thenApplied() {
        return thenOutcome(Outcome.Kind.APPLIED);
    }

    /** Asserts that the step's message was rejected, for any reason. */
    public Result<S> thenRejected() {
        return thenOutcome(Outcome.Kind.REJECTED);
    }

    /** Asserts that the step's message was rejected with exactly this reason. */
    public Result<S> thenRejected(String reason) {
        Objects.requireNonNull(reason, "reason");
        if (kind() != Outcome.Kind.REJECTED || !reason.equals(outcome.detail())) {
            throw failure("it to be REJECTED with reason \"" + reason + "\"", actualOutcome());
        }
        return this;
    }

    /** Asserts that the step's message was deferred (stashed with the actor). */
    public Result<S> thenDeferred() {
        return thenOutcome(Outcome.Kind.DEFERRED);
    }

    /** Asserts that the step's message went to the dead-letter queue. */
    public Result<S> thenDeadLettered() {
        return thenOutcome(Outcome.Kind.DEAD_LETTERED);
    }

    /**
     * Asserts that the step's message went to the dead-letter queue with a reason that contains
     * {@code reasonPart} (the runtime's reasons are long: "handler failed on receive 1 of 1: ...").
     */
    public Result<S> thenDeadLettered(String reasonPart) {
        Objects.requireNonNull(reasonPart, "reasonPart");
        if (kind() != Outcome.Kind.DEAD_LETTERED || outcome.detail() == null
                || !outcome.detail().contains(reasonPart)) {
            throw failure("it to be DEAD_LETTERED with a reason containing \"" + reasonPart + "\"", actualOutcome());
        }
        return this;
    }

    /** Asserts that the actor parked with the step's message. */
    public Result<S> thenParked() {
        return thenOutcome(Outcome.Kind.PARKED);
    }

    /** Asserts that the step's message is held because the actor is parked. */
    public Result<S> thenHeld() {
        return thenOutcome(Outcome.Kind.HELD);
    }

    /** Asserts the kind of the step's message's last outcome. */
    public Result<S> thenOutcome(Outcome.Kind expected) {
        Objects.requireNonNull(expected, "expected");
        if (kind() != expected) {
            throw failure("it to be " + expected, actualOutcome());
        }
        return this;
    }

    /** Asserts the state after the step ({@code equals}). */
    public Result<S> thenState(S expected) {
        if (!Objects.equals(expected, state())) {
            throw failure("state " + RoundTrip.show(expected), "the state is " + RoundTrip.show(state()));
        }
        return this;
    }

    /** Asserts that the actor sent {@code message} ({@code equals}) to {@code to} during the step. */
    public Result<S> thenSent(ActorId to, Object message) {
        Sent expected = new Sent(to, message);
        if (!sent.contains(expected)) {
            throw failure("it to send " + expected, sent.isEmpty() ? "it sent nothing" : "it sent " + sent);
        }
        return this;
    }

    /** Asserts that the actor sent nothing during the step. */
    public Result<S> thenSentNothing() {
        if (!sent.isEmpty()) {
            throw failure("it to send nothing", "it sent " + sent);
        }
        return this;
    }

    private String actualOutcome() {
        if (outcome == null) {
            return step + " has no message of its own with an outcome; look at outcomes() or outcomeOf(id)";
        }
        return "it was " + outcome.kind() + (outcome.detail() == null ? "" : " (" + outcome.detail() + ")");
    }

    private AssertionError failure(String expected, String actual) {
        StringBuilder b = new StringBuilder();
        b.append(actor).append(", after ").append(step).append(": expected ").append(expected)
                .append(",\n  but ").append(actual).append("\n  outcomes of the step:");
        if (outcomes.isEmpty()) {
            b.append(" none");
        }
        for (Outcome o : outcomes) {
            b.append("\n    ").append(describe(o));
        }
        b.append("\n  state after: ").append(RoundTrip.show(state()))
                .append("\n  sent: ").append(sent.isEmpty() ? "nothing" : sent.toString());
        return new AssertionError(b.toString());
    }

    static String describe(Outcome o) {
        return o.kind() + " " + (o.messageId().isEmpty() ? "-" : o.messageId())
                + (o.detail() == null ? "" : " (" + o.detail() + ")");
    }

    @Override
    public String toString() {
        return "Result[" + step + " -> " + (outcome == null ? "no outcome" : describe(outcome)) + ", state="
                + state() + ", sent=" + sent + "]";
    }
}
