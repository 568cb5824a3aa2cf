package io.fifoactors.core.internal;

import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.RedrivePolicy;

/**
 * What the queue's redrive policy means for the runtime, decided once from {@code Mailbox.redrivePolicy()}: the one
 * place the two modes differ. See docs/semantics.md, section 5.
 */
sealed interface RedriveStrategy {
    /**
     * Whether an actor's next message proves its outbox sent: true when the queue never moves a message, so a
     * message leaves its group only when acknowledged, which the runtime does only after sending what it caused.
     */
    boolean nextMessageProvesOutboxSent();

    /** Whether a sent outbox must be cleared with a write, so the next consumer does not send it again. */
    default boolean clearsSentOutbox() {
        return !nextMessageProvesOutboxSent();
    }

    /** Whether this is the delivery's last receive before the queue moves it (give up now, with the cause). */
    boolean isLastReceive(Delivery d);

    static RedriveStrategy of(RedrivePolicy policy) {
        return policy.redrives() ? new Queue(policy.maxReceiveCount().getAsInt()) : new Runtime();
    }

    /** No queue redrive policy: the runtime dead-letters, with reasons; outboxes are proven by the next message. */
    record Runtime() implements RedriveStrategy {
        @Override
        public boolean nextMessageProvesOutboxSent() {
            return true;
        }

        @Override
        public boolean isLastReceive(Delivery d) {
            return false;
        }
    }

    /** The queue moves a message after {@code maxReceiveCount} receives: clear sent outboxes; give up before it. */
    record Queue(int maxReceiveCount) implements RedriveStrategy {
        @Override
        public boolean nextMessageProvesOutboxSent() {
            return false;
        }

        @Override
        public boolean isLastReceive(Delivery d) {
            return d.receiveCount() >= maxReceiveCount;
        }
    }
}
