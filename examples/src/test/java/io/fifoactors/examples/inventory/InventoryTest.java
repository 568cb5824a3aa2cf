package io.fifoactors.examples.inventory;

import io.fifoactors.core.ActorRef;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.examples.inventory.StockMessage.Arrival;
import io.fifoactors.examples.inventory.StockMessage.Departure;
import io.fifoactors.testkit.ActorTestKit;
import io.fifoactors.testkit.Result;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The product actor on the real runtime, one message at a time, through the test kit. */
class InventoryTest {
    private static final ActorRef<StockMessage> SKU = Inventory.product("sku-1");

    private final ActorTestKit kit = ActorTestKit.of(Inventory.PRODUCT);

    private ActorSnapshot<Stock> snapshot() {
        return kit.snapshot(Inventory.PRODUCT, "sku-1");
    }

    @Test
    void aProductStartsEmpty() {
        assertEquals(new Stock(0, 0, 0), kit.state(Inventory.PRODUCT, "sku-1"));
        assertEquals(0, snapshot().version());
    }

    @Test
    void anArrivalAddsToStockAndArrived() {
        kit.when(SKU, new Arrival("mv-1", 5)).thenApplied().thenState(new Stock(5, 5, 0)).thenSentNothing();
        kit.when(SKU, new Arrival("mv-2", 7)).thenApplied().thenState(new Stock(12, 12, 0));
    }

    @Test
    void aDepartureTakesFromStockAndAddsToDeparted() {
        kit.when(SKU, new Arrival("mv-1", 10)).thenApplied();
        kit.when(SKU, new Departure("mv-2", 3, 0)).thenApplied().thenState(new Stock(7, 10, 3)).thenSentNothing();
        kit.when(SKU, new Departure("mv-3", 7, 0)).thenApplied().thenState(new Stock(0, 10, 10));
    }

    @Test
    void aDepartureLargerThanTheStockIsRejected() {
        kit.when(SKU, new Arrival("mv-1", 4)).thenApplied();
        kit.when(SKU, new Departure("mv-2", 5, 0)).thenRejected(Inventory.INSUFFICIENT_STOCK)
                .thenState(new Stock(4, 4, 0));
        assertEquals(0, snapshot().stash().size());
        assertEquals(1, snapshot().rejected());
    }

    @Test
    void invalidQuantitiesAndWaitsAreRejected() {
        kit.when(SKU, new Arrival("mv-1", 0)).thenRejected(Inventory.ARRIVAL_NOT_POSITIVE).thenState(Stock.EMPTY);
        kit.when(SKU, new Arrival("mv-2", -3)).thenRejected(Inventory.ARRIVAL_NOT_POSITIVE).thenState(Stock.EMPTY);
        kit.when(SKU, new Departure("mv-3", 0, 0)).thenRejected(Inventory.DEPARTURE_NOT_POSITIVE);
        kit.when(SKU, new Departure("mv-4", -1, 60_000)).thenRejected(Inventory.DEPARTURE_NOT_POSITIVE)
                .thenState(Stock.EMPTY);
        kit.when(SKU, new Departure("mv-5", 1, -1)).thenRejected(Inventory.WAIT_OUT_OF_RANGE);
        // a wait past the limit would also put the deadline out of Instant's range for Long.MAX_VALUE
        kit.when(SKU, new Departure("mv-6", 1, Long.MAX_VALUE)).thenRejected(Inventory.WAIT_OUT_OF_RANGE);
        assertEquals(0, snapshot().stash().size());
        assertEquals(6, snapshot().rejected());
    }

    @Test
    void anArrivalThatWouldOverflowTheStockIsRejectedAndChangesNothing() {
        kit.when(SKU, new Arrival("mv-1", Long.MAX_VALUE)).thenApplied()
                .thenState(new Stock(Long.MAX_VALUE, Long.MAX_VALUE, 0));
        kit.when(SKU, new Arrival("mv-2", 1)).thenRejected(Inventory.ARRIVAL_TOO_LARGE)
                .thenState(new Stock(Long.MAX_VALUE, Long.MAX_VALUE, 0));
    }

    @Test
    void anArrivalThatWouldOverflowTheArrivalsTotalIsRejectedEvenWithRoomInStock() {
        kit.when(SKU, new Arrival("mv-1", Long.MAX_VALUE)).thenApplied();
        kit.when(SKU, new Departure("mv-2", Long.MAX_VALUE, 0)).thenApplied()
                .thenState(new Stock(0, Long.MAX_VALUE, Long.MAX_VALUE));
        kit.when(SKU, new Arrival("mv-3", 1)).thenRejected(Inventory.ARRIVAL_TOO_LARGE)
                .thenState(new Stock(0, Long.MAX_VALUE, Long.MAX_VALUE));
    }

    @Test
    void aWaitingDepartureIsDeferredUntilArrivalsCoverIt() {
        kit.when(SKU, new Arrival("mv-1", 2)).thenApplied();
        Result deferred = kit.when(SKU, new Departure("mv-2", 5, 60_000)).thenDeferred()
                .thenState(new Stock(2, 2, 0));
        String departure = deferred.outcome().messageId();
        assertEquals(1, snapshot().stash().size());

        Result partial = kit.when(SKU, new Arrival("mv-3", 2)).thenApplied().thenState(new Stock(4, 4, 0));
        assertTrue(partial.outcomeOf(SKU, departure).isEmpty(), "retried but not decided again: "
                + partial.outcomes());
        assertEquals(1, snapshot().stash().size());

        Result covered = kit.when(SKU, new Arrival("mv-4", 3)).thenApplied().thenState(new Stock(2, 7, 5));
        assertEquals(Outcome.Kind.APPLIED, covered.outcomeOf(SKU, departure).orElseThrow().kind());
        assertEquals(0, snapshot().stash().size());
        assertEquals(1, snapshot().deferred());
        assertEquals(0, snapshot().rejected());
    }

    @Test
    void aDeferredDepartureExpiresAtItsDeadlineWithNoOtherMessage() {
        String departure = kit.when(SKU, new Departure("mv-1", 5, 60_000)).thenDeferred().outcome().messageId();

        Result early = kit.advanceTime(Duration.ofSeconds(59));
        assertTrue(early.outcomeOf(SKU, departure).isEmpty(), "expired early: " + early.outcomes());
        assertEquals(1, snapshot().stash().size());

        // the deadline passes: the runtime's own timer expires it, no wake and no other message needed
        Result expired = kit.advanceTime(Duration.ofSeconds(1)).thenStateOf(SKU, Stock.EMPTY);
        Outcome o = expired.outcomeOf(SKU, departure).orElseThrow();
        assertEquals(Outcome.Kind.REJECTED, o.kind());
        assertEquals("deferral deadline passed", o.detail());
        assertEquals(0, snapshot().stash().size());

        // goods arriving afterwards stay in stock
        kit.when(SKU, new Arrival("mv-2", 9)).thenApplied().thenState(new Stock(9, 9, 0));
    }

    @Test
    void theDeferralDeadlineIsTheEnqueueTimePlusTheWait() {
        kit.when(SKU, new Arrival("mv-0", 1)).thenApplied();
        kit.advanceTime(Duration.ofSeconds(7));
        Instant enqueued = kit.now();
        kit.when(SKU, new Departure("mv-1", 2, 5_000)).thenDeferred();
        assertEquals(enqueued.plusMillis(5_000), snapshot().stash().get(0).deadline());
    }
}
