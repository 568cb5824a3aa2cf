package io.fifoactors.examples.inventory;

import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.Envelope;
import io.fifoactors.core.runtime.Ingress;
import io.fifoactors.core.runtime.RejectionRecord;
import io.fifoactors.examples.SimSetup;
import io.fifoactors.examples.inventory.StockMovement.ArrivalMv;
import io.fifoactors.examples.inventory.StockMovement.DepartureMv;
import io.fifoactors.inmemory.Simulation;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * The inventory on the simulator, under random movements, random ingress batches and random fault schedules: stock
 * never below zero and always arrivals minus departures, every arrival applied exactly once, every departure applied
 * at most once (so departures never exceed requests), malformed messages dead-lettered, every message accounted
 * for. Workloads may also contain a departure listed before the arrival that covers it in the same batch, on a
 * product of its own: the ingress order (arrivals first) must make it succeed without waiting.
 */
class InventoryPropertiesTest {
    enum Kind { ARRIVAL, DEPARTURE, REORDERED, MALFORMED }

    enum After { NOTHING, SUBMIT, SUBMIT_AND_RUN, SUBMIT_TWICE }

    record Op(Kind kind, int product, long quantity, long waitMillis, After after) {
    }

    record Workload(int products, List<Op> ops) {
    }

    /** The workload as ingress batches, each with the malformed messages sent beside it (to be dead-lettered). */
    record Plan(List<List<StockMovement>> batches, List<List<OutgoingMessage>> malformed, List<After> afters,
                List<StockMovement> all, Set<String> malformedIds, List<String> products, List<String> reordered,
                long maxWaitMillis) {
    }

    @Provide
    Arbitrary<Workload> inventories() {
        return Arbitraries.integers().between(1, 6).flatMap(n -> op(n).list().ofMinSize(1).ofMaxSize(60)
                .map(ops -> new Workload(n, ops)));
    }

    private static Arbitrary<Op> op(int products) {
        Arbitrary<Kind> kinds = Arbitraries.frequency(Tuple.of(5, Kind.ARRIVAL), Tuple.of(6, Kind.DEPARTURE),
                Tuple.of(1, Kind.REORDERED), Tuple.of(1, Kind.MALFORMED));
        Arbitrary<Long> waits = Arbitraries.frequency(Tuple.of(4, 0L), Tuple.of(1, 1_000L), Tuple.of(2, 60_000L),
                Tuple.of(1, 300_000L));
        Arbitrary<After> after = Arbitraries.frequency(Tuple.of(12, After.NOTHING), Tuple.of(2, After.SUBMIT),
                Tuple.of(2, After.SUBMIT_AND_RUN), Tuple.of(1, After.SUBMIT_TWICE));
        // quantity 0 is invalid and rejected; it shows up as an edge case
        return Combinators.combine(kinds, Arbitraries.integers().between(0, products - 1),
                Arbitraries.longs().between(0, 25), waits, after).as(Op::new);
    }

    @Provide
    Arbitrary<SimSetup> setups() {
        return SimSetup.arbitrary();
    }

    static String key(int i) {
        return "sku-" + i;
    }

    static Plan plan(Workload w) {
        List<List<StockMovement>> batches = new ArrayList<>();
        List<List<OutgoingMessage>> malformed = new ArrayList<>();
        Set<String> malformedIds = new HashSet<>();
        List<After> afters = new ArrayList<>();
        List<StockMovement> all = new ArrayList<>();
        List<String> products = new ArrayList<>();
        List<String> reordered = new ArrayList<>();
        for (int i = 0; i < w.products(); i++) {
            products.add(key(i));
        }
        long maxWait = 0;
        List<StockMovement> batch = new ArrayList<>();
        List<OutgoingMessage> bad = new ArrayList<>();
        for (int k = 0; k < w.ops().size(); k++) {
            Op op = w.ops().get(k);
            String id = "mv-" + k;
            maxWait = Math.max(maxWait, op.waitMillis());
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
                case MALFORMED -> {
                    boolean unknownType = op.quantity() % 2 == 0;
                    bad.add(new OutgoingMessage(Inventory.product(key(op.product())).groupId(), id,
                            Map.of(Envelope.TYPE, unknownType ? "NoSuchMessage" : "Arrival"),
                            (unknownType ? "{}" : "{\"quantity\":").getBytes(StandardCharsets.UTF_8)));
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
        return new Plan(batches, malformed, afters, all, malformedIds, products, reordered, maxWait);
    }

    @Property
    void stockNeverGoesBelowZeroAndEveryMovementIsAppliedAtMostOnce(@ForAll("inventories") Workload workload,
                                                                   @ForAll("setups") SimSetup setup) {
        Plan plan = plan(workload);
        try (Simulation sim = setup.simulation(Inventory.PRODUCT)) {
            Ingress<StockMovement> ingress = Inventory.ingress(sim.system());
            Simulation.RunResult last = null;
            for (int i = 0; i < plan.batches().size(); i++) {
                submit(sim, ingress, plan, i);
                After after = plan.afters().get(i);
                if (after == After.SUBMIT_TWICE) {
                    submit(sim, ingress, plan, i); // a producer retry inside the deduplication window
                }
                if (after == After.SUBMIT_AND_RUN || i == plan.batches().size() - 1) {
                    last = sim.run();
                    assertTrue(last.settled(), "did not settle; seed " + setup.seed() + "; " + last.replayHint());
                }
            }
            sim.clock().advance(Duration.ofMillis(plan.maxWaitMillis()).plusMinutes(1));
            for (String key : plan.products()) {
                sim.system().wake(Inventory.product(key), "final-wake-" + key);
            }
            last = sim.run();
            String context = "seed " + setup.seed() + "; " + last.replayHint() + "; " + setup + "; " + last;
            assertTrue(last.settled(), "did not settle: " + context);
            check(sim, plan, context);
        }
    }

    private static void submit(Simulation sim, Ingress<StockMovement> ingress, Plan plan, int i) {
        ingress.submit(plan.batches().get(i));
        if (!plan.malformed().get(i).isEmpty()) {
            sim.mailbox().send(plan.malformed().get(i));
        }
    }

    private static void check(Simulation sim, Plan plan, String context) {
        Map<String, ActorSnapshot<Stock>> snapshots = new LinkedHashMap<>();
        for (String key : plan.products()) {
            snapshots.put(key, sim.system().inspect(Inventory.product(key), Stock.class));
        }
        Set<String> deadIds = new HashSet<>();
        Set<String> deadGroups = new HashSet<>();
        Set<String> deadWakeGroups = new HashSet<>();
        for (DeadLetter d : sim.mailbox().deadLetters()) {
            if (Envelope.SYSTEM_WAKE.equals(d.attributes().get(Envelope.TYPE))) {
                deadWakeGroups.add(d.groupId());
            } else {
                deadIds.add(d.messageId());
                deadGroups.add(d.groupId());
            }
        }
        Map<String, String> rejectedWhy = new HashMap<>();
        long applied = 0, rejected = 0, stashed = 0, held = 0, parked = 0, sent = 0;
        for (ActorSnapshot<Stock> s : snapshots.values()) {
            assertEquals(s.rejected(), s.recentRejections().size(), "rejections not all kept at " + s.id()
                    + "; " + context);
            for (RejectionRecord r : s.recentRejections()) {
                rejectedWhy.put(r.messageId(), r.reason());
            }
            applied += s.applied();
            rejected += s.rejected();
            stashed += s.stashed();
            held += s.held();
            parked += s.parked() ? 1 : 0;
            sent += s.sent();
            Stock st = s.state();
            assertTrue(st.quantity() >= 0, "G5: " + s.id() + " has stock " + st + "; " + context);
            assertEquals(st.arrived() - st.departed(), st.quantity(), "stock is not arrivals - departures at "
                    + s.id() + ": " + st + "; " + context);
            if (!deadWakeGroups.contains(s.id().groupId())) {
                assertEquals(0, s.stashed() + s.held(), "still deferred or held at " + s.id() + " after every"
                        + " deadline passed: " + s + "; " + context);
                assertFalse(s.parked(), "parked: " + s + "; " + context);
            }
        }
        assertEquals(0, sent, "products send nothing; " + context);
        assertTrue(deadIds.containsAll(plan.malformedIds()), "malformed messages not dead-lettered; " + context);
        long produced = plan.all().size() + plan.malformedIds().size();
        assertEquals(produced, applied + rejected + stashed + held + parked + deadIds.size(),
                "messages not accounted for: " + produced + " produced vs " + applied + " applied + "
                        + rejected + " rejected + " + stashed + " stashed + " + held + " held + " + parked
                        + " parked + " + deadIds.size() + " dead-lettered; " + context);

        Map<String, Long> arrivals = new HashMap<>();
        Map<String, Long> requested = new HashMap<>();
        Map<String, Long> departures = new HashMap<>();
        for (StockMovement mv : plan.all()) {
            if (deadIds.contains(mv.id())) {
                continue;
            }
            String why = rejectedWhy.get(mv.id());
            if (mv instanceof ArrivalMv a) {
                if (a.quantity() > 0) {
                    assertEquals(null, why, "arrival " + a + " rejected; " + context);
                    arrivals.merge(a.product(), a.quantity(), Long::sum);
                } else {
                    assertEquals("arrival quantity must be positive", why, a + "; " + context);
                }
            } else if (mv instanceof DepartureMv d) {
                requested.merge(d.product(), d.quantity(), Long::sum);
                if (d.quantity() <= 0) {
                    assertEquals("departure quantity must be positive", why, d + "; " + context);
                } else if (why == null) {
                    departures.merge(d.product(), d.quantity(), Long::sum);
                } else if (d.waitMillis() > 0) {
                    assertNotEquals("insufficient stock", why, "a waiting departure was refused at once: " + d
                            + "; " + context);
                } else {
                    assertNotEquals("deferral deadline passed", why, "a departure that may not wait was deferred: "
                            + d + "; " + context);
                }
            }
        }
        long arrivedTotal = 0;
        long expectedArrivals = 0;
        for (Map.Entry<String, ActorSnapshot<Stock>> e : snapshots.entrySet()) {
            Stock st = e.getValue().state();
            long req = requested.getOrDefault(e.getKey(), 0L);
            assertEquals(arrivals.getOrDefault(e.getKey(), 0L), st.arrived(), "G2: arrivals at " + e.getKey()
                    + " not applied exactly once; " + context);
            assertEquals(departures.getOrDefault(e.getKey(), 0L), st.departed(), "departures at " + e.getKey()
                    + " are not the sum of those not rejected: one was applied twice or lost; " + context);
            assertTrue(st.departed() <= req, "departures at " + e.getKey() + " exceed requests: " + st.departed()
                    + " > " + req + "; " + context);
            arrivedTotal += st.arrived();
            expectedArrivals += arrivals.getOrDefault(e.getKey(), 0L);
        }
        assertEquals(expectedArrivals, arrivedTotal, context);

        // ingress order: within one batch arrivals go before departures, so the departure listed first succeeds
        for (String own : plan.reordered()) {
            if (deadGroups.contains(Inventory.product(own).groupId())) {
                continue;
            }
            Stock st = snapshots.get(own).state();
            assertEquals(0, st.quantity(), own + ": " + st + "; " + context);
            assertEquals(st.arrived(), st.departed(), own + ": " + st + "; " + context);
            assertEquals(0, snapshots.get(own).rejected(), own + "; " + context);
            assertEquals(0, snapshots.get(own).deferred(), own + "; " + context);
        }
    }
}
