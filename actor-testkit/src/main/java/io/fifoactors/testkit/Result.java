package io.fifoactors.testkit;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorRef;
import io.fifoactors.core.runtime.Outcome;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one step of an {@link ActorTestKit} did: the outcome of the step's own message (for {@link ActorTestKit#when}
 * and the like), every outcome of the step (the messages the actors sent each other and timers that fired
 * included), and the messages sent. The {@code then...} methods assert and return this result, so they chain.
 *
 * <pre>{@code
 * kit.when(ACCOUNT.ref("a"), new Transfer("b", 5))
 *    .thenApplied()
 *    .thenState(new Balance(95))
 *    .thenSent(ACCOUNT.ref("b"), new Credit("a", 5));
 * }</pre>
 *
 * <p>Immutable; not thread-safe (it reads the kit for states).
 */
public final class Result {
    private final ActorTestKit kit;
    private final String description;
    private final ActorId target;
    private final String messageId;
    private final Outcome own;
    private final List<Outcome> outcomes;
    private final List<Sent> sent;

    Result(ActorTestKit kit, String description, ActorId target, String messageId, Outcome own,
           List<Outcome> outcomes, List<Sent> sent) {
        this.kit = kit;
        this.description = description;
        this.target = target;
        this.messageId = messageId;
        this.own = own;
        this.outcomes = outcomes;
        this.sent = sent;
    }

    /** The outcome of the step's own message; fails if the step had none or the runtime reported none. */
    public Outcome outcome() {
        if (own == null) {
            throw new AssertionError(description + ": " + (messageId == null ? "this step has no message of its own"
                    : "the runtime reported no outcome for " + messageId) + "; outcomes: " + outcomes);
        }
        return own;
    }

    /** The kind of the step's own message's outcome. */
    public Outcome.Kind kind() {
        return outcome().kind();
    }

    /** The reason of a rejection, dead letter, park or retry of the step's own message. */
    public String reason() {
        return outcome().detail();
    }

    /** Every outcome of the step, in order. */
    public List<Outcome> outcomes() {
        return outcomes;
    }

    /** The outcome of the message {@code messageId} to the actor {@code to} in this step, if any. */
    public Optional<Outcome> outcomeOf(ActorRef<?> to, String messageId) {
        Outcome found = null;
        for (Outcome o : outcomes) {
            if (o.groupId().equals(to.id().groupId()) && o.messageId().equals(messageId)) {
                found = o;
            }
        }
        return Optional.ofNullable(found);
    }

    /** The messages the actors sent each other in this step, in order. */
    public List<Sent> sent() {
        return sent;
    }

    // ---- assertions ----

    public Result thenApplied() {
        return thenOutcome(Outcome.Kind.APPLIED);
    }

    public Result thenRejected() {
        return thenOutcome(Outcome.Kind.REJECTED);
    }

    /** Rejected with exactly {@code reason}. */
    public Result thenRejected(String reason) {
        thenRejected();
        if (!own.detail().equals(reason)) {
            throw new AssertionError(description + ": rejected with \"" + own.detail() + "\", expected \"" + reason
                    + "\"");
        }
        return this;
    }

    public Result thenDeferred() {
        return thenOutcome(Outcome.Kind.DEFERRED);
    }

    public Result thenDeadLettered() {
        return thenOutcome(Outcome.Kind.DEAD_LETTERED);
    }

    /** Dead-lettered with a reason that contains {@code reasonPart}. */
    public Result thenDeadLettered(String reasonPart) {
        thenDeadLettered();
        if (!own.detail().contains(reasonPart)) {
            throw new AssertionError(description + ": dead-lettered because \"" + own.detail()
                    + "\", expected a reason containing \"" + reasonPart + "\"");
        }
        return this;
    }

    public Result thenParked() {
        return thenOutcome(Outcome.Kind.PARKED);
    }

    public Result thenHeld() {
        return thenOutcome(Outcome.Kind.HELD);
    }

    public Result thenOutcome(Outcome.Kind expected) {
        Outcome o = outcome();
        if (o.kind() != expected) {
            throw new AssertionError(description + ": expected " + expected + " but was " + o.kind()
                    + (o.detail().isEmpty() ? "" : " (" + o.detail() + ")"));
        }
        return this;
    }

    /** The state of the actor the step's message went to. */
    public Result thenState(Object expected) {
        if (target == null) {
            throw new AssertionError(description + ": this step has no target actor; use thenStateOf(ref, state)");
        }
        return stateOf(target, expected);
    }

    /** The state of the actor {@code ref} points to. */
    public Result thenStateOf(ActorRef<?> ref, Object expected) {
        return stateOf(ref.id(), expected);
    }

    private Result stateOf(ActorId id, Object expected) {
        Object actual = kit.stateOf(id);
        if (!Objects.equals(actual, expected)) {
            throw new AssertionError(description + ": the state of " + id + " is " + actual + ", expected "
                    + expected);
        }
        return this;
    }

    /** Some actor sent {@code message} to the actor {@code to} in this step. */
    public <M> Result thenSent(ActorRef<M> to, M message) {
        for (Sent s : sent) {
            if (s.to().equals(to.id()) && s.message().equals(message)) {
                return this;
            }
        }
        throw new AssertionError(description + ": expected " + message + " to " + to.id() + " to be sent; sent "
                + sent);
    }

    /** No actor sent anything to another in this step. */
    public Result thenSentNothing() {
        if (!sent.isEmpty()) {
            throw new AssertionError(description + ": expected nothing sent, sent " + sent);
        }
        return this;
    }

    @Override
    public String toString() {
        return "Result[" + description + ": " + (own == null ? "no own outcome" : own.kind() + " " + own.detail())
                + ", " + outcomes.size() + " outcomes, sent " + sent + "]";
    }
}
