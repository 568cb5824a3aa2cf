package io.fifoactors.core;

/**
 * An actor's behaviour: a pure decision from (state, message, context) to an {@link Effect}. It must not perform
 * I/O or mutate shared things: the runtime may call it again for the same message (after a lost race on the
 * state's version) and must get the same decision.
 *
 * <pre>{@code
 * Handler<Stock, StockMessage> h = (stock, msg, ctx) -> {
 *     if (msg instanceof Arrival a) return Effect.persist(stock.add(a.quantity()));
 *     Departure d = (Departure) msg;
 *     return stock.quantity() >= d.quantity()
 *             ? Effect.persist(stock.remove(d.quantity())) : Effect.reject("insufficient stock");
 * };
 * }</pre>
 *
 * <p>Implementations should be stateless and thread-safe: different actors are handled concurrently.
 *
 * @param <S> state type
 * @param <M> message type (usually a sealed interface of records)
 */
@FunctionalInterface
public interface Handler<S, M> {
    /** Decides what {@code message} does to {@code state}. An exception means "retry this message later". */
    Effect<S> handle(S state, M message, ActorContext context) throws Exception;
}
