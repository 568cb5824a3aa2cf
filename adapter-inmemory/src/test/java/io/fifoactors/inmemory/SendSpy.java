package io.fifoactors.inmemory;

import io.fifoactors.core.TransientFailureException;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.port.RedrivePolicy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Records the size of every send request; can fail the next one before anything is enqueued. */
final class SendSpy implements Mailbox {
    private final Mailbox delegate;
    final List<Integer> sends = new ArrayList<>();
    boolean failNextSend;

    SendSpy(Mailbox delegate) {
        this.delegate = delegate;
    }

    @Override
    public void send(List<OutgoingMessage> messages) {
        if (failNextSend) {
            failNextSend = false;
            throw new TransientFailureException("injected send failure");
        }
        sends.add(messages.size());
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
