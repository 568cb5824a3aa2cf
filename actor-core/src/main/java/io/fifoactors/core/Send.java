package io.fifoactors.core;

/**
 * The action of sending one message to one actor; made by {@link ActorRef#tell}, which checks the message type at
 * compile time.
 *
 * <pre>{@code
 * Send credit = Ledger.ACCOUNT.ref("a2").tell(new Credit(10));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Send implements Action {
    private final ActorId target;
    private final Object message;

    Send(ActorId target, Object message) {
        this.target = target;
        this.message = message;
    }

    public ActorId target() {
        return target;
    }

    public Object message() {
        return message;
    }

    @Override
    public String toString() {
        return "Send[" + target + " <- " + message.getClass().getSimpleName() + "]";
    }
}
