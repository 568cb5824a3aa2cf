package io.fifoactors.examples.inventory;

import io.fifoactors.core.ActorRef;
import io.fifoactors.examples.inventory.StockMovement.ArrivalMv;
import io.fifoactors.examples.inventory.StockMovement.DepartureMv;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A random inventory workload, shared by the demo, the end-to-end tests and the benchmarks: arrivals and departures,
 * half each; a share of departures waits for stock instead of being rejected.
 *
 * <pre>{@code
 * List<StockMovement> mvs = InventoryWorkload.movements(1000, 100_000, 0.2, Duration.ofMinutes(5), random);
 * }</pre>
 *
 * <p>Stateless and thread-safe; the random source is the caller's.
 */
public final class InventoryWorkload {
    private InventoryWorkload() {
    }

    /** The key of the {@code i}th product. */
    public static String productKey(int i) {
        return String.format("sku-%05d", i);
    }

    /** {@code count} random movements over {@code products} products. */
    public static List<StockMovement> movements(int products, int count, double deferShare, Duration wait,
                                                SplittableRandom random) {
        List<StockMovement> movements = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            String product = productKey(random.nextInt(products));
            if (random.nextBoolean()) {
                movements.add(new ArrivalMv("mv-" + n, product, 1 + random.nextInt(20)));
            } else {
                long waitMillis = random.nextDouble() < deferShare ? wait.toMillis() : 0;
                movements.add(new DepartureMv("mv-" + n, product, 1 + random.nextInt(25), waitMillis));
            }
        }
        return movements;
    }

    /** Every product the workload may touch. */
    public static List<ActorRef<StockMessage>> products(int products) {
        List<ActorRef<StockMessage>> ids = new ArrayList<>(products);
        for (int i = 0; i < products; i++) {
            ids.add(Inventory.product(productKey(i)));
        }
        return ids;
    }
}
