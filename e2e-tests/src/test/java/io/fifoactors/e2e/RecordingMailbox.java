package io.fifoactors.e2e;

import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.port.RedrivePolicy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A mailbox that remembers every batch it handed out (to tell which messages shared a batch), and passes all on. */
final class RecordingMailbox implements Mailbox {
    private final Mailbox inner;
    private final ConcurrentLinkedQueue<List<Delivery>> batches = new ConcurrentLinkedQueue<>();

    RecordingMailbox(Mailbox inner) {
        this.inner = inner;
    }

    List<List<Delivery>> batches() {
        return List.copyOf(batches);
    }

    @Override
    public void send(List<OutgoingMessage> messages) {
        inner.send(messages);
    }

    @Override
    public List<Delivery> receive(int maxMessages, Duration visibilityTimeout, Duration waitTime) {
        List<Delivery> got = inner.receive(maxMessages, visibilityTimeout, waitTime);
        if (!got.isEmpty()) {
            batches.add(List.copyOf(got));
        }
        return got;
    }

    @Override
    public List<Delivery> acknowledge(List<Delivery> deliveries) {
        return inner.acknowledge(deliveries);
    }

    @Override
    public void retryAfter(List<Delivery> deliveries, Duration delay) {
        inner.retryAfter(deliveries, delay);
    }

    @Override
    public void extendVisibility(List<Delivery> deliveries, Duration visibility) {
        inner.extendVisibility(deliveries, visibility);
    }

    @Override
    public void deadLetter(DeadLetter letter) {
        inner.deadLetter(letter);
    }

    @Override
    public RedrivePolicy redrivePolicy() {
        return inner.redrivePolicy();
    }
}
