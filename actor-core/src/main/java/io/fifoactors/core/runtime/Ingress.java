package io.fifoactors.core.runtime;

import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.Send;
import io.fifoactors.core.port.OutgoingMessage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The way into the actor system for a producer with a batch of domain records (transactions, stock movements): it
 * orders the batch by a declared {@link OrderingRule} (stable within a rank), turns each record into a typed send to
 * its actor, and sends the lot with the producer's ids as deduplication ids, so a producer that retries a batch
 * within the mailbox's deduplication window enqueues nothing twice.
 *
 * <pre>{@code
 * Ingress<LedgerTransaction> ingress = Ingress.builder(system, LedgerTransaction.class)
 *         .order(OrderingRule.byClass(List.of(DepositTx.class, TransferTx.class)))
 *         .send(tx -> Ledger.ACCOUNT.ref(tx.account()).tell(tx.toMessage()))
 *         .messageId(LedgerTransaction::id)
 *         .build();
 * ingress.submit(batch);
 * }</pre>
 *
 * <p>With a {@link ActorSystem.Builder#tracing tracing} hook, every message carries the trace context current on the
 * thread that calls {@link #submit} (see {@link MessageTracing}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param <C> the producer's record type
 */
public final class Ingress<C> {
    private final ActorSystem system;
    private final OrderingRule<C> rule;
    private final Function<C, Send> send;
    private final Function<C, String> messageId;

    private Ingress(Builder<C> b) {
        this.system = b.system;
        this.rule = b.rule;
        this.send = b.send;
        this.messageId = b.messageId;
    }

    public static <C> Builder<C> builder(ActorSystem system, Class<C> recordType) {
        Objects.requireNonNull(recordType, "recordType");
        return new Builder<>(Objects.requireNonNull(system, "system"));
    }

    /** The batch in the order it will be sent: by rank, stable within a rank. */
    public List<C> order(List<C> batch) {
        List<C> sorted = new ArrayList<>(batch);
        sorted.sort(Comparator.comparingInt(rule::rank)); // List.sort is stable
        return sorted;
    }

    /** Orders, encodes and sends the batch. Encoding errors are thrown before anything is sent. */
    public void submit(List<C> batch) {
        List<C> ordered = order(batch);
        List<OutgoingMessage> out = new ArrayList<>(ordered.size());
        for (C record : ordered) {
            out.add(system.encode(send.apply(record), messageId.apply(record)));
        }
        if (!out.isEmpty()) {
            system.mailbox().send(out);
        }
    }

    /** Builds an {@link Ingress}; not thread-safe. */
    public static final class Builder<C> {
        private final ActorSystem system;
        private OrderingRule<C> rule = OrderingRule.none();
        private Function<C, Send> send;
        private Function<C, String> messageId;

        private Builder(ActorSystem system) {
            this.system = system;
        }

        public Builder<C> order(OrderingRule<C> rule) {
            this.rule = Objects.requireNonNull(rule, "rule");
            return this;
        }

        /** What a record becomes: a typed send to its actor, {@code ref.tell(message)}. */
        public Builder<C> send(Function<C, Send> send) {
            this.send = Objects.requireNonNull(send, "send");
            return this;
        }

        /** The producer's id of a record: 1 to 128 printable ASCII characters, unique per record. */
        public Builder<C> messageId(Function<C, String> messageId) {
            this.messageId = Objects.requireNonNull(messageId, "messageId");
            return this;
        }

        public Ingress<C> build() {
            if (send == null) {
                throw new ConfigurationException("Ingress needs send(record -> ref.tell(message))");
            }
            if (messageId == null) {
                throw new ConfigurationException("Ingress needs messageId(record -> producer id)");
            }
            return new Ingress<>(this);
        }
    }
}
