package io.fifoactors.examples.inventory;

import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.Ingress;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.examples.Coverage;
import io.fifoactors.examples.Fates;
import io.fifoactors.examples.QueueRedriveRuns;
import io.fifoactors.examples.inventory.StockMovement.ArrivalMv;
import io.fifoactors.examples.inventory.StockMovement.DepartureMv;
import io.fifoactors.property.Gen;
import io.fifoactors.testkit.Setup;
import io.fifoactors.testkit.SimulationProperty;
import io.fifoactors.testkit.World;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The inventory on the simulator, under random movements, random ingress batches and every kind of fault of
 * {@link Setup#GEN}: stock never below zero and always arrivals minus departures, every arrival applied exactly once,
 * every departure applied at most once (so departures never exceed requests), no overflow (an arrival that would
 * overflow is rejected), malformed messages dead-lettered, every message accounted for. Workloads may also contain a
 * departure listed before the arrival that covers it in the same batch, on a product of its own: the ingress order
 * (arrivals first) must make it succeed without waiting; and an arrival of {@code Long.MAX_VALUE} followed by another
 * on a product of its own, which must be rejected. A movement the queue moved by itself may or may not have been
 * applied: the exact check accepts either (see {@link Fates}).
 */
class InventoryPropertiesTest {
    static final String DEADLINE_PASSED = "deferral deadline passed";
    /** The most movements of one product the queue may have moved for the exact check to try every combination. */
    static final int MAX_UNCERTAIN = 14;

    enum Kind { ARRIVAL, DEPARTURE, REORDERED, MALFORMED, OVERFLOW }

    enum After { NOTHING, SUBMIT, SUBMIT_AND_RUN, SUBMIT_TWICE }

    record Op(Kind kind, int product, long quantity, long waitMillis, After after) {
    }

    record Workload(int products, List<Op> ops) {
    }

    /** A message a broken producer sends: dead-lettered at once. */
    record Malformed(String id, String product, String type, String body) {
    }

    /** The workload as ingress batches, each with the malformed messages sent beside it (to be dead-lettered). */
    record Plan(List<List<StockMovement>> batches, List<List<Malformed>> malformed, List<After> afters,
                List<StockMovement> all, Set<String> malformedIds, List<String> products, List<String> reordered,
                List<String> overflowing) {
    }

    static Gen<Op> op(int products) {
        Gen<Kind> kinds = Gen.frequency(Gen.weighted(10, Kind.ARRIVAL), Gen.weighted(12, Kind.DEPARTURE),
                Gen.weighted(2, Kind.REORDERED), Gen.weighted(2, Kind.MALFORMED), Gen.weighted(1, Kind.OVERFLOW));
        Gen<Long> waits = Gen.frequency(Gen.weighted(4, 0L), Gen.weighted(1, 1_000L), Gen.weighted(2, 60_000L),
                Gen.weighted(1, 300_000L));
        Gen<After> after = Gen.frequency(Gen.weighted(12, After.NOTHING), Gen.weighted(2, After.SUBMIT),
                Gen.weighted(2, After.SUBMIT_AND_RUN), Gen.weighted(1, After.SUBMIT_TWICE));
        // quantity 0 is invalid and rejected; the generator draws it more often than the others, as an edge case
        return Gen.combine(kinds, Gen.integers(0, products - 1), Gen.longs(0, 25), waits, after, Op::new);
    }

    static final Gen<Workload> INVENTORIES = Gen.integers(1, 6).flatMap(n -> op(n).list(1, 60)
            .map(ops -> new Workload(n, ops)));

    static String key(int i) {
        return "sku-" + i;
    }

    static Plan plan(Workload w) {
        List<List<StockMovement>> batches = new ArrayList<>();
        List<List<Malformed>> malformed = new ArrayList<>();
        Set<String> malformedIds = new HashSet<>();
        List<After> afters = new ArrayList<>();
        List<StockMovement> all = new ArrayList<>();
        List<String> products = new ArrayList<>();
        List<String> reordered = new ArrayList<>();
        List<String> overflowing = new ArrayList<>();
        for (int i = 0; i < w.products(); i++) {
            products.add(key(i));
        }
        List<StockMovement> batch = new ArrayList<>();
        List<Malformed> bad = new ArrayList<>();
        for (int k = 0; k < w.ops().size(); k++) {
            Op op = w.ops().get(k);
            String id = "mv-" + k;
            switch (op.kind()) {
                case ARRIVAL -> batch.add(new ArrivalMv(id, key(op.product()), op.quantity()));
                case DEPARTURE -> batch.add(new DepartureMv(id, key(op.product()), op.quantity(), op.waitMillis()));
                case REORDERED -> {
                    String own = "iso-" + k;
                    long q = Math.max(1, op.quantity());
                    products.add(own);
                    reordered.add(own);
                    batch.add(new DepartureMv(id + "-out", own, q, 0)); // listed first, may not wait
                    batch.add(new ArrivalMv(id + "-in", own, q));
                }
                case OVERFLOW -> {
                    String own = "big-" + k;
                    products.add(own);
                    overflowing.add(own);
                    batch.add(new ArrivalMv(id + "-max", own, Long.MAX_VALUE));
                    batch.add(new ArrivalMv(id + "-more", own, Math.max(1, op.quantity())));
                }
                case MALFORMED -> {
                    boolean unknownType = op.quantity() % 2 == 0;
                    bad.add(new Malformed(id, key(op.product()), unknownType ? "NoSuchMessage" : "Arrival",
                            unknownType ? "{}" : "{\"quantity\":"));
                    malformedIds.add(id);
                }
            }
            if (op.after() != After.NOTHING) {
                all.addAll(batch);
                batches.add(batch);
                malformed.add(bad);
                afters.add(op.after());
                batch = new ArrayList<>();
                bad = new ArrayList<>();
            }
        }
        if (!batch.isEmpty() || !bad.isEmpty()) {
            all.addAll(batch);
            batches.add(batch);
            malformed.add(bad);
            afters.add(After.SUBMIT_AND_RUN);
        }
        return new Plan(batches, malformed, afters, all, malformedIds, products, reordered, overflowing);
    }

    private final Coverage coverage = new Coverage("inventory");

    @Test
    void stockNeverGoesBelowZeroAndEveryMovementIsAppliedAtMostOnce() {
        SimulationProperty.forAll(INVENTORIES)
                .actors(b -> b.register(Inventory.PRODUCT).keptRejections(1000))
                .check(this::run);
        coverage.require(List.of("reordered: applied without waiting", "overflowing arrival rejected",
                "departure waited, then applied", "departure waited, deadline passed"));
    }

    /**
     * The same, with the runtime's record cache, and a queue whose redrive policy moves a message after 3 to 5
     * receives (the runtime's crash check and attempts at 1 to allow it), so that movements leave the queue by
     * themselves, applied or not, in many tries.
     */
    @Test
    void stockStaysRightWhenTheQueueMovesMessagesByItself() {
        QueueRedriveRuns.eager(SimulationProperty.forAll(INVENTORIES).setups(QueueRedriveRuns.SETUPS),
                        b -> b.register(Inventory.PRODUCT))
                .tries(Math.max(50, Coverage.tries() / 4))
                .check(this::run);
        coverage.require(List.of("a movement moved by the queue"));
    }

    void run(Workload workload, World world) {
        Plan plan = plan(workload);
        Ingress<StockMovement> ingress = Inventory.ingress(world.simulation().system());
        for (int i = 0; i < plan.batches().size(); i++) {
            submit(world, ingress, plan, i);
            After after = plan.afters().get(i);
            if (after == After.SUBMIT_TWICE) {
                submit(world, ingress, plan, i); // a producer retry inside the deduplication window
            }
            if (after == After.SUBMIT_AND_RUN || i == plan.batches().size() - 1) {
                world.runUntilQuiet();
            }
        }
        // deadlines expire on their own timers: nothing may still wait, with no wake from outside
        if (world.movedByQueueRedrive().isEmpty()) {
            for (String key : plan.products()) {
                ActorSnapshot<Stock> s = world.snapshot(Inventory.PRODUCT, key);
                assertEquals(List.of(), s.stash(), "still deferred with no wake: " + s);
            }
        }
        // a wake of every product, as an operator would after the queue moved messages
        QueueRedriveRuns.wakeAllIfTheQueueMoved(world, plan.products().stream().map(k -> Inventory.product(k).id())
                .toList());
        check(world, plan);
    }

    private static void submit(World world, Ingress<StockMovement> ingress, Plan plan, int i) {
        ingress.submit(plan.batches().get(i));
        for (Malformed m : plan.malformed().get(i)) {
            world.sendRaw(Inventory.product(m.product()).id(), m.id(), m.type(),
                    m.body().getBytes(StandardCharsets.UTF_8), Map.of());
        }
    }

    private void check(World world, Plan plan) {
        Fates fates = Fates.of(world);
        String context = world.setup() + "; " + fates + "; " + world.lastRun();
        if (!world.movedByQueueRedrive().isEmpty()) {
            coverage.count("a movement moved by the queue");
        }
        Map<String, ActorSnapshot<Stock>> snapshots = new LinkedHashMap<>();
        for (String key : plan.products()) {
            snapshots.put(key, world.snapshot(Inventory.PRODUCT, key));
        }
        Map<String, Long> malformedAt = new HashMap<>();
        plan.malformed().stream().flatMap(List::stream).forEach(m -> malformedAt.merge(m.product(), 1L, Long::sum));
        Set<String> mustDie = new HashSet<>();
        for (Malformed m : plan.malformed().stream().flatMap(List::stream).toList()) {
            String group = Inventory.product(m.product()).id().groupId();
            assertTrue(fates.everDead(group, m.id()), "malformed message " + m + " not dead-lettered; " + context);
            mustDie.add(group + " " + m.id());
        }

        Map<String, String> rejectedWhy = new HashMap<>();
        long applied = 0, rejected = 0, stashed = 0, held = 0, parked = 0, deadLettered = 0;
        // products a well-formed movement of which was dead-lettered or moved (see LedgerPropertiesTest)
        Set<String> touched = new HashSet<>();
        for (Map.Entry<String, ActorSnapshot<Stock>> e : snapshots.entrySet()) {
            ActorSnapshot<Stock> s = e.getValue();
            assertEquals(s.rejected(), s.recentRejections().size(), "rejections not all kept at " + s.id()
                    + "; " + context);
            for (ActorSnapshot.RejectionView r : s.recentRejections()) {
                rejectedWhy.put(r.messageId(), r.reason());
            }
            applied += s.applied();
            rejected += s.rejected();
            stashed += s.stash().size();
            held += s.held();
            parked += s.parked().isPresent() ? 1 : 0;
            deadLettered += s.deadLettered();
            if (s.deadLettered() > malformedAt.getOrDefault(e.getKey(), 0L)) {
                touched.add(e.getKey());
            }
            Stock st = s.state();
            assertTrue(st.quantity() >= 0, "G5: " + s.id() + " has stock " + st + "; " + context);
            assertEquals(st.arrived() - st.departed(), st.quantity(), "stock is not arrivals - departures at "
                    + s.id() + ": " + st + "; " + context);
            if (!fates.wakeLost(s.id().groupId())) {
                assertEquals(List.of(), s.stash(), "still deferred after every deadline passed: " + s + "; "
                        + context);
                assertFalse(s.parked().isPresent(), "parked: " + s + "; " + context);
            }
        }
        if (fates.onlyThese(mustDie)) {
            // every message accounted for (products send nothing; each letter the operator moved back is handled
            // again)
            long produced = plan.all().size() + plan.malformedIds().size() + world.lastRun().operatorMoves();
            assertEquals(produced, applied + rejected + stashed + held + parked + deadLettered,
                    "messages not accounted for: " + produced + " produced vs " + applied + " applied + "
                            + rejected + " rejected + " + stashed + " stashed + " + held + " held + " + parked
                            + " parked + " + deadLettered + " dead-lettered; " + context);
        }

        // per product: arrivals applied exactly once, departures at most once; a movement moved by the queue may or
        // may not have been applied, a movement dead-lettered by a consumer was not
        Set<String> deferred = new HashSet<>();
        for (Outcome o : world.outcomes()) {
            if (o.kind() == Outcome.Kind.DEFERRED) {
                deferred.add(o.messageId());
            }
        }
        Map<String, Long> arrivals = new HashMap<>();
        Map<String, Long> departures = new HashMap<>();
        Map<String, Long> requested = new HashMap<>();
        Map<String, List<Long>> maybeArrivals = new HashMap<>();
        Map<String, List<Long>> maybeDepartures = new HashMap<>();
        for (StockMovement mv : plan.all()) {
            String group = Inventory.product(mv.product()).id().groupId();
            if (fates.movedByQueue(group, mv.id())) {
                touched.add(mv.product());
            }
            if (fates.deadLettered(group, mv.id())) {
                touched.add(mv.product());
                continue;
            }
            String why = rejectedWhy.get(mv.id());
            boolean maybe = fates.movedByQueue(group, mv.id()) && why == null;
            if (mv instanceof ArrivalMv a) {
                if (a.quantity() <= 0) {
                    assertTrue(why == null && fates.everDead(group, a.id())
                            || Inventory.ARRIVAL_NOT_POSITIVE.equals(why), a + ": " + why + "; " + context);
                } else if (maybe) {
                    maybeArrivals.computeIfAbsent(a.product(), k -> new ArrayList<>()).add(a.quantity());
                } else if (why == null) {
                    arrivals.merge(a.product(), a.quantity(), Long::sum);
                } else {
                    assertEquals(Inventory.ARRIVAL_TOO_LARGE, why, "arrival " + a + " rejected; " + context);
                    assertTrue(plan.overflowing().contains(a.product()), "arrival " + a + " rejected; " + context);
                }
            } else if (mv instanceof DepartureMv d) {
                requested.merge(d.product(), Math.max(0, d.quantity()), Long::sum);
                if (d.quantity() <= 0) {
                    assertTrue(why == null && fates.everDead(group, d.id())
                            || Inventory.DEPARTURE_NOT_POSITIVE.equals(why), d + ": " + why + "; " + context);
                } else if (maybe) {
                    maybeDepartures.computeIfAbsent(d.product(), k -> new ArrayList<>()).add(d.quantity());
                } else if (why == null) {
                    departures.merge(d.product(), d.quantity(), Long::sum);
                    if (deferred.contains(d.id())) {
                        coverage.count("departure waited, then applied");
                    }
                } else if (d.waitMillis() > 0) {
                    assertNotEquals(Inventory.INSUFFICIENT_STOCK, why, "a waiting departure was refused at once: " + d
                            + "; " + context);
                    if (why.equals(DEADLINE_PASSED)) {
                        coverage.count("departure waited, deadline passed");
                    }
                } else {
                    assertNotEquals(DEADLINE_PASSED, why, "a departure that may not wait was deferred: " + d + "; "
                            + context);
                }
            }
        }
        for (Map.Entry<String, ActorSnapshot<Stock>> e : snapshots.entrySet()) {
            String p = e.getKey();
            Stock st = e.getValue().state();
            long req = requested.getOrDefault(p, 0L);
            assertTrue(st.departed() <= req, "departures at " + p + " exceed requests: " + st.departed() + " > " + req
                    + "; " + context);
            assertTrue(sumOfSome(st.arrived() - arrivals.getOrDefault(p, 0L), maybeArrivals.getOrDefault(p, List.of())),
                    "G2: arrivals at " + p + " not applied exactly once: " + st.arrived() + " arrived, "
                            + arrivals.getOrDefault(p, 0L) + " certain + some of " + maybeArrivals.get(p) + "; "
                            + context);
            assertTrue(sumOfSome(st.departed() - departures.getOrDefault(p, 0L),
                            maybeDepartures.getOrDefault(p, List.of())),
                    "departures at " + p + " are not the sum of those not rejected: one was applied twice or lost: "
                            + st.departed() + " departed, " + departures.getOrDefault(p, 0L) + " certain + some of "
                            + maybeDepartures.get(p) + "; " + context);
        }

        // ingress order: within one batch arrivals go before departures, so the departure listed first succeeds
        for (String own : plan.reordered()) {
            if (touched.contains(own)) {
                continue;
            }
            Stock st = snapshots.get(own).state();
            assertEquals(0, st.quantity(), own + ": " + st + "; " + context);
            assertEquals(st.arrived(), st.departed(), own + ": " + st + "; " + context);
            assertEquals(0, snapshots.get(own).rejected(), own + "; " + context);
            assertEquals(0, snapshots.get(own).deferred(), own + "; " + context);
            coverage.count("reordered: applied without waiting");
        }
        // the overflow: the first arrival fills the stock to Long.MAX_VALUE, the second is rejected
        for (String own : plan.overflowing()) {
            if (touched.contains(own)) {
                continue;
            }
            ActorSnapshot<Stock> s = snapshots.get(own);
            assertEquals(new Stock(Long.MAX_VALUE, Long.MAX_VALUE, 0), s.state(), own + "; " + context);
            assertEquals(1, s.rejected(), own + "; " + context);
            assertEquals(Inventory.ARRIVAL_TOO_LARGE, s.recentRejections().get(0).reason(), own + "; " + context);
            coverage.count("overflowing arrival rejected");
        }
    }

    /** Whether {@code target} is the sum of some of {@code amounts} (each used once at most). */
    static boolean sumOfSome(long target, List<Long> amounts) {
        if (amounts.size() > MAX_UNCERTAIN) {
            return target >= 0 && target <= amounts.stream().mapToLong(x -> x).sum();
        }
        for (long mask = 0; mask < (1L << amounts.size()); mask++) {
            long sum = 0;
            for (int i = 0; i < amounts.size(); i++) {
                if ((mask & (1L << i)) != 0) {
                    sum += amounts.get(i);
                }
            }
            if (sum == target) {
                return true;
            }
        }
        return false;
    }
}
