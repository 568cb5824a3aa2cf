package io.fifoactors.examples.readme;

import io.fifoactors.core.ActorRef;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.Effect;
import io.fifoactors.examples.readme.ReadmeExampleTest.StockMessage.Arrival;
import io.fifoactors.examples.readme.ReadmeExampleTest.StockMessage.Departure;
import io.fifoactors.testkit.ActorTestKit;
import org.junit.jupiter.api.Test;

/** The README's "your first actor", kept compiling and true. */
class ReadmeExampleTest {
    sealed interface StockMessage {
        record Arrival(long quantity) implements StockMessage { }

        record Departure(long quantity) implements StockMessage { }
    }

    record Stock(long quantity) { }

    static final ActorType<Stock, StockMessage> PRODUCT =
            ActorType.builder("product", Stock.class, StockMessage.class)
                    .initialState(id -> new Stock(0))
                    .on(Arrival.class, (stock, a, ctx) -> a.quantity() > 0
                            && a.quantity() <= Long.MAX_VALUE - stock.quantity()   // no overflow
                            ? Effect.persist(new Stock(stock.quantity() + a.quantity()))
                            : Effect.reject("invalid quantity"))
                    .on(Departure.class, (stock, d, ctx) -> d.quantity() > 0 && d.quantity() <= stock.quantity()
                            ? Effect.persist(new Stock(stock.quantity() - d.quantity()))
                            : Effect.reject("insufficient stock"))
                    .build();

    @Test
    void theFirstActorBehavesAsTheReadmeSays() {
        ActorTestKit kit = ActorTestKit.of(PRODUCT);
        ActorRef<StockMessage> sku = PRODUCT.ref("sku-1");

        kit.when(sku, new Arrival(5)).thenApplied().thenState(new Stock(5));
        kit.when(sku, new Departure(7)).thenRejected("insufficient stock").thenState(new Stock(5));
        kit.when(sku, new Departure(2)).thenApplied().thenState(new Stock(3));
        kit.when(sku, new Arrival(Long.MAX_VALUE)).thenRejected("invalid quantity").thenState(new Stock(3));
    }
}
