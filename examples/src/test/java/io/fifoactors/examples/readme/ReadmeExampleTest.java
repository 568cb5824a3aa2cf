package io.fifoactors.examples.readme;

import io.fifoactors.core.ActorType;
import io.fifoactors.core.Effect;
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
                    .handler((stock, msg, ctx) -> {
                        if (msg instanceof StockMessage.Arrival a) {
                            return Effect.persist(new Stock(stock.quantity() + a.quantity()));
                        }
                        long out = ((StockMessage.Departure) msg).quantity();
                        return stock.quantity() >= out
                                ? Effect.persist(new Stock(stock.quantity() - out))
                                : Effect.reject("insufficient stock");
                    })
                    .build();

    @Test
    void theFirstActorBehavesAsTheReadmeSays() {
        ActorTestKit<Stock, StockMessage> kit = ActorTestKit.of(PRODUCT).key("sku-1");
        kit.when(new StockMessage.Arrival(5)).thenApplied().thenState(new Stock(5));
        kit.when(new StockMessage.Departure(7)).thenRejected("insufficient stock").thenState(new Stock(5));
        kit.when(new StockMessage.Departure(2)).thenApplied().thenState(new Stock(3));
    }
}
