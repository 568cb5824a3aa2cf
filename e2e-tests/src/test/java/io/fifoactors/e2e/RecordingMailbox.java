package io.fifoactors.e2e;

import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.ForwardingMailbox;
import io.fifoactors.core.port.Mailbox;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A mailbox that remembers every batch it handed out (to tell which messages shared a batch), and passes all on. */
final class RecordingMailbox extends ForwardingMailbox {
    private final ConcurrentLinkedQueue<List<Delivery>> batches = new ConcurrentLinkedQueue<>();

    RecordingMailbox(Mailbox inner) {
        super(inner);
    }

    List<List<Delivery>> batches() {
        return List.copyOf(batches);
    }

    @Override
    public List<Delivery> receive(int maxMessages, Duration visibilityTimeout, Duration waitTime) {
        List<Delivery> got = super.receive(maxMessages, visibilityTimeout, waitTime);
        if (!got.isEmpty()) {
            batches.add(List.copyOf(got));
        }
        return got;
    }
}
