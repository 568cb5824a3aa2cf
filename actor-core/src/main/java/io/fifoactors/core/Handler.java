package io.fifoactors.core;

/**
 * The behaviour for one message class of an actor type: a pure decision from (state, message, context) to an
 * {@link Effect}. It must not perform I/O or mutate shared things: the runtime may call it again for the same
 * message (after a lost race on the state's version) and must get the same decision. Registered per class with
 * {@link ActorType.Builder#on}.
 *
 * <pre>{@code
 * ActorType.builder("product", Stock.class, StockMessage.class)
 *         .on(Arrival.class, (stock, a, ctx) -> Effect.persist(stock.plus(a.quantity())))
 * }</pre>
 *
 * <p>Implementations should be stateless and thread-safe: different actors are handled concurrently.
 *
 * @param <S> state type
 * @param <T> the message class this handler takes
 * @param <M> the actor's message type (for the context: timers and the reference to itself)
 */
@FunctionalInterface
public interface Handler<S, T, M> {
    /** Decides what {@code message} does to {@code state}. An exception means "retry this message later". */
    Effect<S> handle(S state, T message, ActorContext<M> context) throws Exception;
}
