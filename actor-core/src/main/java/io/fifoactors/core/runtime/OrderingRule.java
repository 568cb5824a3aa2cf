package io.fifoactors.core.runtime;

import java.util.List;
import java.util.Objects;

/**
 * How an {@link Ingress} orders a batch of domain messages before routing them: by rank, lowest first, stable within
 * a rank (two deposits keep their relative order). The reference rules are "deposits before transfers" and
 * "arrivals before departures".
 *
 * <pre>{@code
 * OrderingRule<LedgerCommand> depositsFirst = OrderingRule.byClass(List.of(Deposit.class, Transfer.class));
 * }</pre>
 *
 * <p>Implementations must be pure and thread-safe.
 */
@FunctionalInterface
public interface OrderingRule<M> {
    /** The message's rank; lower ranks are routed first. */
    int rank(M message);

    /** Keep the producer's order. */
    static <M> OrderingRule<M> none() {
        return m -> 0;
    }

    /** Rank by the first class in {@code order} the message is an instance of; other messages go last. */
    static <M> OrderingRule<M> byClass(List<Class<? extends M>> order) {
        List<Class<? extends M>> classes = List.copyOf(order);
        return m -> {
            Objects.requireNonNull(m, "message");
            for (int i = 0; i < classes.size(); i++) {
                if (classes.get(i).isInstance(m)) {
                    return i;
                }
            }
            return classes.size();
        };
    }
}
