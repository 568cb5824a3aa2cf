package io.fifoactors.testkit;

import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.runtime.Envelope;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The mailbox the kit's runtime uses: passes everything to the in-memory mailbox and remembers, once per message
 * id, every message the actor under test sent (its outbox flushes), including those it sends to itself. Not
 * thread-safe; the kit runs one group on one thread.
 */
final class RecordingMailbox implements Mailbox {
    private final Mailbox delegate;
    private final String senderGroupId;
    private final Set<String> seen = new HashSet<>();
    private final List<OutgoingMessage> recorded = new ArrayList<>();

    RecordingMailbox(Mailbox delegate, String senderGroupId) {
        this.delegate = delegate;
        this.senderGroupId = senderGroupId;
    }

    /** The messages recorded since the last call, in the order they were sent. */
    List<OutgoingMessage> takeRecorded() {
        List<OutgoingMessage> out = List.copyOf(recorded);
        recorded.clear();
        return out;
    }

    @Override
    public void send(List<OutgoingMessage> messages) {
        delegate.send(messages);
        for (OutgoingMessage m : messages) {
            if (senderGroupId.equals(m.attributes().get(Envelope.SENDER)) && seen.add(m.messageId())) {
                recorded.add(m);
            }
        }
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
    public void release(List<Delivery> deliveries, Duration delay) {
        delegate.release(deliveries, delay);
    }

    @Override
    public void deadLetter(DeadLetter letter) {
        delegate.deadLetter(letter);
    }
}
