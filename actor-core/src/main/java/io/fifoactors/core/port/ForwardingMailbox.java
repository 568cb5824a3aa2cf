package io.fifoactors.core.port;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A {@link Mailbox} that passes every call to another: extend it and override only the calls a decorator changes
 * (counting sends, recording receives, failing one acknowledgement in a test).
 *
 * <pre>{@code
 * Mailbox counting = new ForwardingMailbox(mailbox) {
 *     public void send(List<OutgoingMessage> messages) {
 *         sends.incrementAndGet();
 *         super.send(messages);
 *     }
 * };
 * }</pre>
 *
 * <p>As thread-safe as the mailbox it forwards to, plus whatever the subclass adds.
 */
public abstract class ForwardingMailbox implements Mailbox {
    private final Mailbox delegate;

    protected ForwardingMailbox(Mailbox delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The mailbox the calls go to. */
    protected Mailbox delegate() {
        return delegate;
    }

    @Override
    public void send(List<OutgoingMessage> messages) {
        delegate.send(messages);
    }

    @Override
    public List<Delivery> receive(int maxMessages, Duration visibilityTimeout, Duration waitTime) {
        return delegate.receive(maxMessages, visibilityTimeout, waitTime);
    }

    @Override
    public List<Delivery> acknowledge(List<Delivery> deliveries) {
        return delegate.acknowledge(deliveries);
    }

    @Override
    public void retryAfter(List<Delivery> deliveries, Duration delay) {
        delegate.retryAfter(deliveries, delay);
    }

    @Override
    public void extendVisibility(List<Delivery> deliveries, Duration visibility) {
        delegate.extendVisibility(deliveries, visibility);
    }

    @Override
    public void deadLetter(DeadLetter letter) {
        delegate.deadLetter(letter);
    }

    @Override
    public RedrivePolicy redrivePolicy() {
        return delegate.redrivePolicy();
    }
}
