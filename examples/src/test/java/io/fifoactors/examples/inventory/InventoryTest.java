package io.fifoactors.examples.inventory;

import io.fifoactors.core.Effect;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.examples.inventory.StockMessage.Arrival;
import io.fifoactors.examples.inventory.StockMessage.Departure;
import io.fifoactors.testkit.ActorTestKit;
import io.fifoactors.testkit.Result;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The product actor on the real runtime, one message at a time, through the test kit. */
class InventoryTest {
    private static ActorTestKit<Stock, StockMessage> product() {
        return ActorTestKit.of(Inventory.PRODUCT).key("sku-1");
    }

    @Test
    void aProductStartsEmpty() {
        assertEquals(new Stock(0, 0, 0), product().state());
    }

    @Test
    void anArrivalAddsToStockAndArrived() {
        ActorTestKit<Stock, StockMessage> kit = product();
        kit.send(new Arrival("mv-1", 5)).thenApplied().thenState(new Stock(5, 5, 0)).thenSentNothing();
        kit.send(new Arrival("mv-2", 7)).thenApplied().thenState(new Stock(12, 12, 0));
    }

    @Test
    void aDepartureTakesFromStockAndAddsToDeparted() {
        ActorTestKit<Stock, StockMessage> kit = product();
        kit.send(new Arrival("mv-1", 10)).thenApplied();
        kit.send(new Departure("mv-2", 3, 0)).thenApplied().thenState(new Stock(7, 10, 3)).thenSentNothing();
        kit.send(new Departure("mv-3", 7, 0)).thenApplied().thenState(new Stock(0, 10, 10));
    }

    @Test
    void aDepartureLargerThanTheStockIsRejected() {
        ActorTestKit<Stock, StockMessage> kit = product();
        kit.send(new Arrival("mv-1", 4)).thenApplied();
        kit.send(new Departure("mv-2", 5, 0)).thenRejected("insufficient stock").thenState(new Stock(4, 4, 0));
        assertEquals(0, kit.snapshot().stashed());
        assertEquals(1, kit.snapshot().rejected());
    }

    @Test
    void invalidQuantitiesAreRejected() {
        ActorTestKit<Stock, StockMessage> kit = product();
        kit.send(new Arrival("mv-1", 0)).thenRejected("arrival quantity must be positive").thenState(Stock.EMPTY);
        kit.send(new Arrival("mv-2", -3)).thenRejected("arrival quantity must be positive").thenState(Stock.EMPTY);
        kit.send(new Departure("mv-3", 0, 0)).thenRejected("departure quantity must be positive");
        kit.send(new Departure("mv-4", -1, 60_000)).thenRejected("departure quantity must be positive")
                .thenState(Stock.EMPTY);
        assertEquals(0, kit.snapshot().stashed());
        assertEquals(4, kit.snapshot().rejected());
    }

    @Test
    void aWaitingDepartureIsDeferredUntilArrivalsCoverIt() {
        ActorTestKit<Stock, StockMessage> kit = product();
        kit.send(new Arrival("mv-1", 2)).thenApplied();
        Result<Stock> deferred = kit.send(new Departure("mv-2", 5, 60_000)).thenDeferred()
                .thenState(new Stock(2, 2, 0));
        assertEquals(1, deferred.snapshot().stashed());

        Result<Stock> partial = kit.send(new Arrival("mv-3", 2)).thenApplied().thenState(new Stock(4, 4, 0));
        assertTrue(partial.outcomeOf(deferred.messageId()).isEmpty());
        assertEquals(1, partial.snapshot().stashed());

        Result<Stock> covered = kit.send(new Arrival("mv-4", 3)).thenApplied().thenState(new Stock(2, 7, 5));
        assertEquals(Outcome.Kind.APPLIED, covered.outcomeOf(deferred.messageId()).orElseThrow().kind());
        assertEquals(0, covered.snapshot().stashed());
        assertEquals(1, covered.snapshot().deferred());
        assertEquals(0, covered.snapshot().rejected());
    }

    @Test
    void aDeferredDepartureExpiresAtItsDeadline() {
        ActorTestKit<Stock, StockMessage> kit = product();
        Result<Stock> deferred = kit.send(new Departure("mv-1", 5, 60_000)).thenDeferred();

        kit.advanceTime(Duration.ofSeconds(59));
        Result<Stock> early = kit.wake();
        assertTrue(early.outcomeOf(deferred.messageId()).isEmpty());
        assertEquals(1, early.snapshot().stashed());

        kit.advanceTime(Duration.ofSeconds(1));
        Result<Stock> expired = kit.wake().thenState(Stock.EMPTY);
        Outcome o = expired.outcomeOf(deferred.messageId()).orElseThrow();
        assertEquals(Outcome.Kind.REJECTED, o.kind());
        assertEquals("deferral deadline passed", o.detail());
        assertEquals(0, expired.snapshot().stashed());

        // goods arriving afterwards stay in stock
        kit.send(new Arrival("mv-2", 9)).thenApplied().thenState(new Stock(9, 9, 0));
    }

    @Test
    void theDeferralDeadlineIsTheEnqueueTimePlusTheWait() {
        ActorTestKit<Stock, StockMessage> kit = product();
        Effect<Stock> effect = kit.decide(new Stock(1, 1, 0), new Departure("mv-1", 2, 5_000));
        assertEquals(Effect.Kind.DEFER, effect.kind());
        assertEquals(kit.now().plusMillis(5_000), effect.deadline());
    }
}
