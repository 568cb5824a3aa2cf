package io.fifoactors.examples.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fifoactors.core.ActorId;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.Envelope;
import io.fifoactors.core.runtime.Ingress;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.examples.Coverage;
import io.fifoactors.examples.Fates;
import io.fifoactors.examples.QueueRedriveRuns;
import io.fifoactors.examples.ledger.LedgerTransaction.DepositTx;
import io.fifoactors.examples.ledger.LedgerTransaction.OpenTx;
import io.fifoactors.examples.ledger.LedgerTransaction.TransferTx;
import io.fifoactors.inmemory.FaultPlan;
import io.fifoactors.property.Gen;
import io.fifoactors.testkit.Setup;
import io.fifoactors.testkit.SimulationProperty;
import io.fifoactors.testkit.World;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
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
import static org.junit.jupiter.api.Assertions.fail;

/**
 * G5 for the ledger on the simulator, under random ledgers, random ingress batches and every kind of fault of
 * {@link io.fifoactors.testkit.Setup#GEN}: no balance below zero, no overflow, money conserved, every deposit applied
 * exactly once, every transfer applied at most once with its credit (or refund) arriving exactly once, malformed
 * messages dead-lettered, every message accounted for. Workloads may also contain:
 * <ul>
 *   <li>"same-batch funding" chains, the case a single ordering of the ingress batch cannot get right: B deposits and
 *       transfers to A, and A transfers onwards, all in one batch, A starting at zero;</li>
 *   <li>the overflow finding: a deposit of {@code Long.MAX_VALUE} after a deposit, which must be rejected;</li>
 *   <li>an overflow race on fresh accounts: A sends 10 to an account that is not open while a credit of
 *       {@code Long.MAX_VALUE - 95} is on its way to A; whichever reaches A first, the other overflows (a refund kept
 *       in suspense, or a credit refunded), and no money is lost.</li>
 * </ul>
 * A message the faults dead-lettered is money in flight (a credit or a refund) or a transaction not applied; one the
 * queue moved by itself may or may not have been applied: the exact check accepts either (see {@link Fates}).
 */
class LedgerPropertiesTest {
    static final int GHOSTS = 2;
    static final long MAX = Long.MAX_VALUE;
    static final String DEADLINE_PASSED = "deferral deadline passed";
    /** The most uncertain facts (messages moved by the queue) the exact check tries every combination of. */
    static final int MAX_UNCERTAIN = 12;
    static final ObjectMapper JSON = new ObjectMapper();

    enum Kind { DEPOSIT, TRANSFER, TO_GHOST, CHAIN, MALFORMED, OVERFLOW_DEPOSIT, OVERFLOW_RACE }

    /** What the producer does after an operation: keep filling the batch, or submit it (and maybe run, or retry). */
    enum After { NOTHING, SUBMIT, SUBMIT_AND_RUN, SUBMIT_TWICE }

    record Op(Kind kind, int from, int to, long amount, long amount2, long waitMillis, After after) {
    }

    record Workload(int accounts, List<Op> ops) {
    }

    /** B deposits {@code funding} and sends it to A; A sends {@code onward} to C, waiting or not. */
    record Chain(String b, String a, String c, long funding, long onward, long waitMillis, String onwardId) {
    }

    /** W deposits {@code MAX - 95} and sends it to A; A (100 deposited) sends 10 to the ghost G: see the class doc. */
    record Race(String w, String a, String ghost) {
        static final long CREDIT = MAX - 95;
    }

    /** A message a broken producer sends: dead-lettered at once. */
    record Malformed(String id, String account, String type, String body) {
    }

    /** The workload as ingress batches, each with the malformed messages sent beside it. */
    record Plan(List<List<LedgerTransaction>> batches, List<List<Malformed>> malformed, List<After> afters,
                List<LedgerTransaction> all, Set<String> malformedIds, List<String> accounts, List<Chain> chains,
                List<Race> races, Set<String> overflowIds, Set<String> special) {
        /** The accounts the exact oracle covers: all but the overflow races', which have two right outcomes. */
        List<String> ordinary() {
            Set<String> raced = new HashSet<>();
            races.forEach(r -> raced.addAll(List.of(r.w(), r.a(), r.ghost())));
            return accounts.stream().filter(a -> !raced.contains(a)).toList();
        }
    }

    static Gen<Op> op(int accounts) {
        Gen<Kind> kinds = Gen.frequency(Gen.weighted(8, Kind.DEPOSIT), Gen.weighted(10, Kind.TRANSFER),
                Gen.weighted(2, Kind.TO_GHOST), Gen.weighted(2, Kind.CHAIN), Gen.weighted(2, Kind.MALFORMED),
                Gen.weighted(1, Kind.OVERFLOW_DEPOSIT), Gen.weighted(1, Kind.OVERFLOW_RACE));
        Gen<Integer> account = Gen.integers(0, accounts - 1);
        Gen<Long> waits = Gen.frequency(Gen.weighted(4, 0L), Gen.weighted(1, 1_000L), Gen.weighted(2, 60_000L),
                Gen.weighted(1, 300_000L));
        Gen<After> after = Gen.frequency(Gen.weighted(12, After.NOTHING), Gen.weighted(2, After.SUBMIT),
                Gen.weighted(2, After.SUBMIT_AND_RUN), Gen.weighted(1, After.SUBMIT_TWICE));
        return Gen.combine(kinds, account, account, Gen.longs(1, 200), Gen.longs(1, 200), waits, after, Op::new);
    }

    static final Gen<Workload> LEDGERS = Gen.integers(2, 8).flatMap(n -> op(n).list(1, 60)
            .map(ops -> new Workload(n, ops)));

    static String key(int i) {
        return "acc-" + i;
    }

    static Plan plan(Workload w) {
        List<List<LedgerTransaction>> batches = new ArrayList<>();
        List<List<Malformed>> malformed = new ArrayList<>();
        Set<String> malformedIds = new HashSet<>();
        List<After> afters = new ArrayList<>();
        List<LedgerTransaction> all = new ArrayList<>();
        List<String> accounts = new ArrayList<>();
        List<Chain> chains = new ArrayList<>();
        List<Race> races = new ArrayList<>();
        Set<String> overflowIds = new HashSet<>();
        Set<String> special = new HashSet<>();
        List<LedgerTransaction> batch = new ArrayList<>();
        List<Malformed> bad = new ArrayList<>();
        for (int i = 0; i < w.accounts(); i++) {
            batch.add(new OpenTx("open-" + i, key(i)));
            accounts.add(key(i));
        }
        for (int g = 0; g < GHOSTS; g++) {
            accounts.add("ghost-" + g);
        }
        for (int k = 0; k < w.ops().size(); k++) {
            Op op = w.ops().get(k);
            String id = "tx-" + k;
            switch (op.kind()) {
                case DEPOSIT -> batch.add(new DepositTx(id, key(op.from()), op.amount()));
                case TRANSFER -> batch.add(new TransferTx(id, key(op.from()), key(op.to()), op.amount(),
                        op.waitMillis()));
                case TO_GHOST -> batch.add(new TransferTx(id, key(op.from()), "ghost-" + (op.to() % GHOSTS),
                        op.amount(), op.waitMillis()));
                case CHAIN -> {
                    Chain c = new Chain("chain-" + k + "-b", "chain-" + k + "-a", "chain-" + k + "-c",
                            op.amount(), Math.min(op.amount(), op.amount2()), op.waitMillis(), id + "-onward");
                    chains.add(c);
                    accounts.addAll(List.of(c.b(), c.a(), c.c()));
                    // the producer lists A's onward transfer first: no order of one batch can make it fundable
                    batch.add(new TransferTx(c.onwardId(), c.a(), c.c(), c.onward(), c.waitMillis()));
                    batch.add(new OpenTx(id + "-open-b", c.b()));
                    batch.add(new OpenTx(id + "-open-a", c.a()));
                    batch.add(new OpenTx(id + "-open-c", c.c()));
                    batch.add(new DepositTx(id + "-fund", c.b(), c.funding()));
                    batch.add(new TransferTx(id + "-move", c.b(), c.a(), c.funding(), 0));
                }
                case OVERFLOW_DEPOSIT -> {
                    // the finding: Deposit(Long.MAX_VALUE) after a deposit made a balance negative
                    String big = "big-" + k;
                    accounts.add(big);
                    batch.add(new OpenTx(id + "-open", big));
                    batch.add(new DepositTx(id + "-first", big, op.amount()));
                    batch.add(new DepositTx(id + "-max", big, MAX));
                    overflowIds.add(id + "-max");
                }
                case OVERFLOW_RACE -> {
                    Race r = new Race("race-" + k + "-w", "race-" + k + "-a", "race-" + k + "-g");
                    races.add(r);
                    accounts.addAll(List.of(r.w(), r.a(), r.ghost()));
                    List<LedgerTransaction> txs = List.of(new OpenTx(id + "-open-w", r.w()),
                            new OpenTx(id + "-open-a", r.a()), new DepositTx(id + "-fund-w", r.w(), Race.CREDIT),
                            new DepositTx(id + "-fund-a", r.a(), 100),
                            new TransferTx(id + "-w-to-a", r.w(), r.a(), Race.CREDIT, 0),
                            new TransferTx(id + "-a-to-g", r.a(), r.ghost(), 10, 0));
                    batch.addAll(txs);
                    txs.forEach(t -> special.add(t.id()));
                }
                case MALFORMED -> {
                    boolean unknownType = op.amount() % 2 == 0;
                    bad.add(new Malformed(id, key(op.from()), unknownType ? "NoSuchMessage" : "Deposit",
                            unknownType ? "{}" : "{\"amount\":"));
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
        return new Plan(batches, malformed, afters, all, malformedIds, accounts, chains, races, overflowIds, special);
    }

    private final Coverage coverage = new Coverage("ledger");

    @Test
    void moneyIsConservedAndEveryTransactionAppliedAtMostOnce() {
        SimulationProperty.forAll(LEDGERS)
                .actors(b -> b.register(Ledger.ACCOUNT).keptRejections(1000))
                .check(this::run);
        coverage.require(List.of("chain: waited, then applied", "chain: no wait, insufficient funds",
                "race: refund kept in suspense", "race: credit refunded on overflow",
                "overflowing deposit rejected"));
    }

    /**
     * The same, with the runtime's record cache, and a queue whose redrive policy moves a message after only 3 to 5
     * receives, so that messages leave the queue by themselves (before or after they were applied) in many tries:
     * {@link Setup#GEN}'s 9 to 20 receives almost never come to that. The runtime needs more receives than its
     * crash check and its attempts take, so both are 1 here: a consumer dying while handling a message also
     * dead-letters it, which puts credits and refunds in the dead-letter queue.
     */
    @Test
    void moneyIsConservedWhenTheQueueMovesMessagesByItself() {
        eager(SimulationProperty.forAll(LEDGERS).setups(QueueRedriveRuns.SETUPS))
                .tries(Math.max(50, Coverage.tries() / 4))
                .check(this::run);
        coverage.require(List.of("a message moved by the queue", "exact check with moved messages",
                "credit or refund dead-lettered"));
    }

    private static <W> SimulationProperty<W> eager(SimulationProperty<W> p) {
        return QueueRedriveRuns.eager(p, b -> b.register(Ledger.ACCOUNT));
    }

    /**
     * What the properties found, kept as they were shrunk, with the second property's settings. Each was a flaw of
     * this test's oracle, not of the ledger: messages dead-lettered by a consumer dying while handling them, then
     * moved back by the operator, arrive late (an account's opening after a transfer from or to it, an overflow
     * scenario's first deposit after its second). They replay exactly while the runtime calls its ports as it does
     * now; after a change they remain worthwhile cases.
     */
    @Test
    void regressions() {
        replay(2, "DEPOSIT 0 0 1 1 0 NOTHING; DEPOSIT 0 0 1 1 0 NOTHING; DEPOSIT 0 0 1 1 0 NOTHING;"
                        + " TRANSFER 1 1 1 1 0 NOTHING",
                new Setup(5, 5, FaultPlan.builder().crashRate(0.03160084790487606)
                        .outages(1.1102230246251566E-18, Duration.ofSeconds(5), Duration.ofMinutes(2))
                        .staleReadRate(0.3).build(), 3, 9223372036854775807L));
        replay(6, "DEPOSIT 0 0 1 1 0 NOTHING; DEPOSIT 5 0 1 1 0 NOTHING; TRANSFER 0 5 1 1 0 NOTHING;"
                        + " CHAIN 0 0 1 1 300000 NOTHING; TRANSFER 0 1 1 1 1000 SUBMIT_AND_RUN;"
                        + " DEPOSIT 1 0 1 1 0 NOTHING;"
                        + " DEPOSIT 3 0 1 1 0 NOTHING; DEPOSIT 1 0 1 1 0 NOTHING; DEPOSIT 5 0 1 1 0 SUBMIT;"
                        + " CHAIN 0 0 1 1 0 NOTHING; DEPOSIT 0 0 1 1 0 NOTHING; CHAIN 0 0 1 1 0 NOTHING;"
                        + " DEPOSIT 1 0 1 1 0 SUBMIT; DEPOSIT 0 0 1 1 0 NOTHING; CHAIN 0 0 1 1 0 NOTHING",
                new Setup(1, 10, FaultPlan.builder().crashRate(0.04746266625738272).transientRate(0.013455689231242629)
                        .stallRate(0.013359568298889072)
                        .outages(0.008664254618034774, Duration.ofSeconds(5), Duration.ofMinutes(2))
                        .staleReadRate(0.3).operatorRedrive(Duration.ofMinutes(10)).build(), 5, 0L));
        replay(4, "DEPOSIT 2 0 1 1 0 NOTHING; CHAIN 0 0 1 1 0 NOTHING; DEPOSIT 1 0 1 1 0 NOTHING;"
                        + " TRANSFER 3 0 1 1 0 NOTHING; TRANSFER 3 0 1 1 0 NOTHING; DEPOSIT 3 0 1 1 0 NOTHING;"
                        + " TRANSFER 3 0 1 1 0 NOTHING; TRANSFER 1 3 1 1 0 NOTHING; OVERFLOW_RACE 0 0 1 1 0 NOTHING;"
                        + " DEPOSIT 2 0 1 1 0 NOTHING; TRANSFER 2 0 3 1 0 NOTHING; DEPOSIT 1 0 1 1 0 NOTHING;"
                        + " TRANSFER 1 0 1 1 0 NOTHING; TRANSFER 2 0 4 1 0 NOTHING; TRANSFER 3 0 1 1 300000 NOTHING;"
                        + " DEPOSIT 0 0 1 1 0 NOTHING; TRANSFER 0 0 1 1 0 SUBMIT_AND_RUN;"
                        + " TRANSFER 2 0 4 1 300000 NOTHING; DEPOSIT 0 0 1 1 0 NOTHING",
                new Setup(3, 1, FaultPlan.builder().crashRate(0.037758106151201835).stallRate(0.025462750606503232)
                        .staleReadRate(0.3).operatorRedrive(Duration.ofMinutes(10)).build(), 4,
                        6027242163867654687L));
        replay(7, "OVERFLOW_RACE 0 0 1 1 0 SUBMIT_AND_RUN; TRANSFER 0 1 1 1 0 NOTHING; DEPOSIT 0 0 1 1 0 NOTHING;"
                        + " DEPOSIT 3 0 1 1 0 NOTHING; DEPOSIT 2 0 1 1 0 NOTHING; DEPOSIT 0 0 1 1 0 NOTHING;"
                        + " DEPOSIT 5 0 1 1 0 NOTHING; TRANSFER 5 0 1 1 0 SUBMIT; TRANSFER 5 0 1 1 300000 NOTHING;"
                        + " OVERFLOW_DEPOSIT 0 0 1 1 0 NOTHING; CHAIN 0 0 1 1 0 NOTHING; MALFORMED 6 0 1 1 0 NOTHING;"
                        + " DEPOSIT 3 0 1 1 0 NOTHING; DEPOSIT 1 0 1 1 0 SUBMIT; DEPOSIT 4 0 1 1 0 NOTHING;"
                        + " DEPOSIT 6 0 1 1 0 NOTHING; DEPOSIT 2 0 1 1 0 NOTHING; DEPOSIT 2 0 1 1 0 NOTHING;"
                        + " DEPOSIT 0 0 1 1 0 SUBMIT; DEPOSIT 0 0 1 1 0 NOTHING; DEPOSIT 4 0 1 1 0 NOTHING;"
                        + " CHAIN 0 0 1 1 1000 NOTHING; DEPOSIT 4 0 1 1 0 NOTHING; OVERFLOW_DEPOSIT 0 0 1 1 0 NOTHING;"
                        + " DEPOSIT 0 0 1 1 0 NOTHING; TRANSFER 0 3 1 1 0 NOTHING; DEPOSIT 0 0 1 1 0 NOTHING;"
                        + " DEPOSIT 4 0 1 1 0 NOTHING; DEPOSIT 2 0 1 1 0 SUBMIT; DEPOSIT 0 0 1 1 0 SUBMIT_AND_RUN;"
                        + " TRANSFER 1 0 71 1 300000 NOTHING",
                new Setup(5, 10, FaultPlan.builder().crashRate(0.01338166249025506).transientRate(0.03354267308707972)
                        .stallRate(0.0250349696554687).staleReadRate(0.3).operatorRedrive(Duration.ofMinutes(10))
                        .build(), 3, -2733268935406123999L));
    }

    /** Checks one workload ("KIND from to amount amount2 waitMillis AFTER; ...") as the second property does. */
    private void replay(int accounts, String ops, Setup setup) {
        List<Op> list = new ArrayList<>();
        for (String op : ops.split(";")) {
            String[] f = op.trim().split(" ");
            list.add(new Op(Kind.valueOf(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]), Long.parseLong(f[3]),
                    Long.parseLong(f[4]), Long.parseLong(f[5]), After.valueOf(f[6])));
        }
        eager(SimulationProperty.forAll(Gen.constant(new Workload(accounts, list))).setups(Gen.constant(setup)))
                .tries(1).check(this::run);
    }

    void run(Workload workload, World world) throws IOException {
        Plan plan = plan(workload);
        Ingress<LedgerTransaction> ingress = Ledger.ingress(world.simulation().system());
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
            for (String key : plan.accounts()) {
                ActorSnapshot<Account> s = world.snapshot(Ledger.ACCOUNT, key);
                assertEquals(List.of(), s.stash(), "still deferred with no wake: " + s);
            }
        }
        // the operator's wake of every account sends any credit or refund a message moved by the queue left behind
        QueueRedriveRuns.wakeAllIfTheQueueMoved(world, plan.accounts().stream().map(k -> Ledger.account(k).id())
                .toList());
        check(world, plan);
    }

    private static void submit(World world, Ingress<LedgerTransaction> ingress, Plan plan, int i) {
        ingress.submit(plan.batches().get(i));
        for (Malformed m : plan.malformed().get(i)) {
            world.sendRaw(Ledger.account(m.account()).id(), m.id(), m.type(),
                    m.body().getBytes(StandardCharsets.UTF_8), Map.of());
        }
    }

    /** A credit or refund in a dead letter: its transfer and amount. */
    record Money(String type, String transferId, long amount) {
        static Money of(DeadLetter d) throws IOException {
            String type = d.attributes().get(Envelope.TYPE);
            if (!d.attributes().containsKey(Envelope.FROM) || !("Credit".equals(type) || "Refund".equals(type))) {
                return null;
            }
            JsonNode body = JSON.readTree(d.body());
            return new Money(type, body.get("transferId").asText(), body.get("amount").asLong());
        }
    }

    private void check(World world, Plan plan) throws IOException {
        Fates fates = Fates.of(world);
        String context = world.setup() + "; " + fates + "; " + world.lastRun();
        if (!world.movedByQueueRedrive().isEmpty()) {
            coverage.count("a message moved by the queue");
        }
        Map<String, ActorSnapshot<Account>> snapshots = new LinkedHashMap<>();
        for (String key : plan.accounts()) {
            snapshots.put(key, world.snapshot(Ledger.ACCOUNT, key));
        }
        String g0 = Ledger.account("x").id().groupId();
        String prefix = g0.substring(0, g0.indexOf('/') + 1);

        // money in flight: credits and refunds in the dead-letter queue (never applied), and those the queue moved
        // (applied or not)
        Map<String, Money> deadCredits = new HashMap<>();
        Map<String, Money> deadRefunds = new HashMap<>();
        Map<String, Money> movedCredits = new HashMap<>();
        Map<String, Money> movedRefunds = new HashMap<>();
        long deadMoney = 0;
        BigInteger movedMoney = BigInteger.ZERO;
        for (DeadLetter d : fates.deadLetters()) {
            Money m = Money.of(d);
            if (m != null) {
                coverage.count("credit or refund dead-lettered");
                (m.type().equals("Credit") ? deadCredits : deadRefunds).put(m.transferId(), m);
                deadMoney = Math.addExact(deadMoney, m.amount());
            }
        }
        for (DeadLetter d : fates.movedLetters()) {
            Money m = Money.of(d);
            if (m != null) {
                (m.type().equals("Credit") ? movedCredits : movedRefunds).put(m.transferId(), m);
                movedMoney = movedMoney.add(BigInteger.valueOf(m.amount()));
            }
        }

        // every rejection, with its reason (the runtime keeps them all here)
        Map<String, String> rejectedWhy = new HashMap<>();
        Map<String, Instant> rejectedAt = new HashMap<>();
        long applied = 0, rejected = 0, stashed = 0, held = 0, parked = 0, deadLettered = 0;
        BigInteger balances = BigInteger.ZERO;
        BigInteger deposited = BigInteger.ZERO;
        for (ActorSnapshot<Account> s : snapshots.values()) {
            assertEquals(s.rejected(), s.recentRejections().size(), "rejections not all kept at " + s.id()
                    + "; " + context);
            for (ActorSnapshot.RejectionView r : s.recentRejections()) {
                rejectedWhy.put(r.messageId(), r.reason());
                rejectedAt.put(r.messageId(), r.at());
            }
            applied += s.applied();
            rejected += s.rejected();
            stashed += s.stash().size();
            held += s.held();
            parked += s.parked().isPresent() ? 1 : 0;
            deadLettered += s.deadLettered();
            Account a = s.state();
            assertTrue(a.balance() >= 0, "G5: " + s.id() + " has balance " + a.balance() + "; " + context);
            assertTrue(a.suspense() >= 0 && a.deposited() >= 0, "G5: " + s.id() + " is " + a + "; " + context);
            balances = balances.add(BigInteger.valueOf(a.balance())).add(BigInteger.valueOf(a.suspense()));
            deposited = deposited.add(BigInteger.valueOf(a.deposited()));
            if (!fates.wakeLost(s.id().groupId())) {
                assertEquals(List.of(), s.stash(), "still deferred after everything settled: " + s + "; " + context);
                assertFalse(s.parked().isPresent(), "parked: " + s + "; " + context);
            }
        }

        // G5: money conserved: balances + suspense + money in flight = deposits; a moved credit or refund may have
        // been applied, so with those the difference lies between the money dead-lettered and that plus the moved
        BigInteger inFlight = deposited.subtract(balances);
        if (fates.movedBack().isEmpty()) {
            assertTrue(inFlight.compareTo(BigInteger.valueOf(deadMoney)) >= 0
                            && inFlight.compareTo(BigInteger.valueOf(deadMoney).add(movedMoney)) <= 0,
                    "G5 money not conserved: " + balances + " in balances and suspense, " + deadMoney
                            + " dead-lettered in flight, " + movedMoney + " moved by the queue, vs " + deposited
                            + " deposited; " + context);
        } else {
            // a message dead-lettered and moved back by the operator: its body is gone, so only the bound holds
            assertTrue(inFlight.compareTo(BigInteger.valueOf(deadMoney)) >= 0, "G5 money created: " + balances
                    + " + " + deadMoney + " > " + deposited + "; " + context);
        }

        // Actors a well-formed message of which was dead-lettered: those the letters name, and those whose record
        // counts more dead letters than the malformed messages sent to them. The second catches a letter the operator
        // moved back whose report was lost (a consumer dying right after the dead-letter send): the world shows
        // no trace of such a letter, and its message came later than it was sent (an account's opening, say).
        Map<String, Long> malformedAt = new HashMap<>();
        plan.malformed().stream().flatMap(List::stream).forEach(m -> malformedAt.merge(m.account(), 1L, Long::sum));
        Set<String> touched = new HashSet<>();
        for (String key : plan.accounts()) {
            ActorSnapshot<Account> s = snapshots.get(key);
            if (fates.touched(s.id().groupId()) && !malformedAt.containsKey(key)
                    || s.deadLettered() > malformedAt.getOrDefault(key, 0L)) {
                touched.add(key);
            }
        }
        for (DeadLetter d : fates.deadLetters()) {
            if (!plan.malformedIds().contains(d.messageId())) {
                touched.add(ActorId.fromGroupId(d.groupId()).key());
            }
        }
        for (DeadLetter d : fates.movedLetters()) {
            touched.add(ActorId.fromGroupId(d.groupId()).key());
        }
        Set<String> mustDie = new HashSet<>();
        for (String id : plan.malformedIds()) {
            String group = plan.malformed().stream().flatMap(List::stream).filter(m -> m.id().equals(id))
                    .findFirst().map(m -> Ledger.account(m.account()).id().groupId()).orElseThrow();
            assertTrue(fates.everDead(group, id), "malformed message " + id + " not dead-lettered; " + context);
            mustDie.add(group + " " + id);
        }

        Map<String, String> openId = new HashMap<>();
        Map<String, String> groupOf = new HashMap<>();
        for (String key : plan.accounts()) {
            groupOf.put(key, Ledger.account(key).id().groupId());
        }
        for (LedgerTransaction tx : plan.all()) {
            if (tx instanceof OpenTx o) {
                openId.put(o.account(), o.id());
            }
        }

        // the exact oracle, per account: deposits applied once each, transfers at most once, their credit (or
        // refund) arriving exactly once unless dead-lettered. Each message the queue moved is a fact unknown (applied
        // or not): some combination of them must give every account's balance and deposits exactly.
        List<String> uncertain = new ArrayList<>();
        for (LedgerTransaction tx : plan.all()) {
            if (!plan.special().contains(tx.id()) && fates.movedByQueue(groupOf.get(tx.account()), tx.id())
                    && !rejectedWhy.containsKey(tx.id()) && !(tx instanceof OpenTx)) {
                uncertain.add("tx " + tx.id());
            }
        }
        for (LedgerTransaction tx : plan.all()) {
            // a credit to an account whose opening was dead-lettered and moved back by the operator, or moved by the
            // queue after it was applied, may have come before the opening (refunded) or after it (credited)
            if (tx instanceof TransferTx t && !plan.special().contains(t.id())
                    && snapshots.get(t.to()).state().open() && openId.containsKey(t.to())
                    && (fates.everDead(groupOf.get(t.to()), openId.get(t.to())) || touched.contains(t.to()))) {
                uncertain.add("route " + t.id());
            }
        }
        for (String t : movedCredits.keySet()) {
            if (!plan.special().contains(t)) {
                uncertain.add("credit " + t);
            }
        }
        for (String t : movedRefunds.keySet()) {
            if (!plan.special().contains(t)) {
                uncertain.add("refund " + t);
            }
        }
        for (LedgerTransaction tx : plan.all()) {
            if (plan.special().contains(tx.id())) {
                continue;
            }
            String group = groupOf.get(tx.account());
            String why = rejectedWhy.get(tx.id());
            boolean openLost = fates.everDead(groupOf.get(tx.account()), openId.get(tx.account()))
                    || touched.contains(tx.account());
            if (tx instanceof DepositTx d) {
                if (plan.overflowIds().contains(d.id())) {
                    if (!touched.contains(d.account())) {
                        assertEquals(Ledger.DEPOSIT_TOO_LARGE, why, "the overflow finding: " + d + "; " + context);
                        coverage.count("overflowing deposit rejected");
                    }
                } else if (why != null) {
                    // a deposit is refused only by an account not open (its opening lost or late), or, at an
                    // overflow scenario's account whose first deposit came late (moved back), for overflowing
                    boolean lateFirst = why.equals(Ledger.DEPOSIT_TOO_LARGE) && d.account().startsWith("big-")
                            && touched.contains(d.account());
                    assertTrue(openLost && why.equals(Ledger.NOT_OPEN) || lateFirst, "deposit " + d + " rejected: "
                            + why + "; " + context);
                }
            } else if (tx instanceof TransferTx t) {
                if (t.account().equals(t.to()) && !fates.everDead(group, t.id())) {
                    // an account is opened before anything else of its batch; if the queue moved the opening
                    // before it was applied, the account never opened, and that is checked first
                    boolean open = snapshots.get(t.account()).state().open();
                    if (open && openLost) {
                        // moved back by the operator, the opening may have come after the transfer
                        assertTrue(Ledger.SAME_ACCOUNT.equals(why) || Ledger.NOT_OPEN.equals(why), t + "; " + context);
                    } else {
                        assertEquals(open ? Ledger.SAME_ACCOUNT : Ledger.NOT_OPEN, why, t + "; " + context);
                    }
                }
                if (why != null) {
                    if (t.waitMillis() > 0) {
                        assertNotEquals(Ledger.INSUFFICIENT_FUNDS, why, "a waiting transfer was refused at once: "
                                + t + "; " + context);
                    } else {
                        assertNotEquals(DEADLINE_PASSED, why, "a transfer that may not wait was deferred: " + t
                                + "; " + context);
                    }
                    if (why.equals(Ledger.NOT_OPEN)) {
                        assertTrue(openLost, "a transfer from an opened account refused as not open: " + t + "; "
                                + context);
                    }
                }
            }
        }
        boolean exact = uncertain.size() <= MAX_UNCERTAIN && fates.movedBack().isEmpty();
        if (exact) {
            Map<String, long[]> actual = new HashMap<>();
            for (String key : plan.ordinary()) {
                Account a = snapshots.get(key).state();
                actual.put(key, new long[]{a.balance(), a.deposited(), a.suspense()});
            }
            Map<String, long[]> found = null;
            Map<String, long[]> none = null;
            for (long mask = 0; mask < (1L << uncertain.size()) && found == null; mask++) {
                Map<String, long[]> expected = expected(plan, uncertain, mask, fates, groupOf, rejectedWhy,
                        deadCredits, deadRefunds, movedCredits, movedRefunds, snapshots);
                if (mask == 0) {
                    none = expected;
                }
                if (same(expected, actual)) {
                    found = expected;
                }
            }
            if (!uncertain.isEmpty()) {
                coverage.count("exact check with moved messages");
            }
            if (found == null) {
                StringBuilder diff = new StringBuilder();
                for (String key : plan.ordinary()) {
                    long[] e = none.get(key);
                    long[] a = actual.get(key);
                    if (e[0] != a[0] || e[1] != a[1] || e[2] != a[2]) {
                        diff.append(key).append(": expected balance ").append(e[0]).append(" deposited ")
                                .append(e[1]).append(", was ").append(snapshots.get(key).state()).append("; ");
                    }
                }
                fail("no combination of the " + uncertain.size() + " uncertain facts " + uncertain
                        + " gives the balances: a transaction was applied twice or lost. With none applied: " + diff
                        + context);
            }
            if (fates.onlyThese(mustDie)) {
                // every message accounted for: in = produced + sent by accounts (credits and refunds; the
                // snapshots' "sent" also counts the runtime's own stash timers, so they are counted from the
                // oracle) + the letters the operator moved back (each handled again); out = every way a message ends
                long sent = found.values().stream().mapToLong(x -> x[3]).sum() + racesSent(plan, snapshots);
                long produced = plan.all().size() + plan.malformedIds().size() + world.lastRun().operatorMoves();
                assertEquals(produced + sent, applied + rejected + stashed + held + parked + deadLettered,
                        "messages not accounted for: " + produced + " produced + " + sent + " sent vs " + applied
                                + " applied + " + rejected + " rejected + " + stashed + " stashed + " + held
                                + " held + " + parked + " parked + " + deadLettered + " dead-lettered; " + context);
            }
        } else {
            coverage.count("too uncertain for the exact check");
        }

        checkChains(world, plan, touched, snapshots, rejectedWhy, groupOf, context);
        checkRaces(plan, touched, snapshots, context);
    }

    private static boolean same(Map<String, long[]> expected, Map<String, long[]> actual) {
        for (Map.Entry<String, long[]> e : actual.entrySet()) {
            long[] x = expected.get(e.getKey());
            long[] a = e.getValue();
            if (x[0] != a[0] || x[1] != a[1] || x[2] != a[2]) {
                return false;
            }
        }
        return true;
    }

    /** Each account's balance, deposits and suspense if the uncertain facts in {@code mask} happened. */
    private static Map<String, long[]> expected(Plan plan, List<String> uncertain, long mask, Fates fates,
                                                Map<String, String> groupOf, Map<String, String> rejectedWhy,
                                                Map<String, Money> deadCredits, Map<String, Money> deadRefunds,
                                                Map<String, Money> movedCredits, Map<String, Money> movedRefunds,
                                                Map<String, ActorSnapshot<Account>> snapshots) {
        Map<String, long[]> out = new HashMap<>();
        for (String key : plan.accounts()) {
            out.put(key, new long[4]); // balance, deposited, suspense, credits and refunds sent
        }
        for (LedgerTransaction tx : plan.all()) {
            if (plan.special().contains(tx.id()) || tx instanceof OpenTx || rejectedWhy.containsKey(tx.id())) {
                continue;
            }
            String group = groupOf.get(tx.account());
            if (fates.deadLettered(group, tx.id())) {
                continue;
            }
            int u = uncertain.indexOf("tx " + tx.id());
            if (u >= 0 && (mask & (1L << u)) == 0) {
                continue; // moved by the queue before it was applied
            }
            if (tx instanceof DepositTx d) {
                out.get(d.account())[0] += d.amount();
                out.get(d.account())[1] += d.amount();
            } else if (tx instanceof TransferTx t) {
                out.get(t.account())[0] -= t.amount();
                out.get(t.account())[3]++;
                if (deadCredits.containsKey(t.id())) {
                    continue; // debited, never credited: in flight
                }
                int c = uncertain.indexOf("credit " + t.id());
                if (c >= 0 && (mask & (1L << c)) == 0) {
                    continue; // moved by the queue before the receiver applied it: in flight
                }
                int route = uncertain.indexOf("route " + t.id());
                boolean refused = !snapshots.get(t.to()).state().open() || (route >= 0 && (mask & (1L << route)) != 0);
                if (!refused) {
                    out.get(t.to())[0] += t.amount();
                    continue;
                }
                out.get(t.to())[3]++;
                if (!deadRefunds.containsKey(t.id())) {
                    int r = uncertain.indexOf("refund " + t.id());
                    if (r < 0 || (mask & (1L << r)) != 0) {
                        out.get(t.account())[0] += t.amount();
                    }
                }
            }
        }
        return out;
    }

    /** Credits and refunds the accounts of the overflow races sent: 3, or 4 when A refunded W's credit. */
    private static long racesSent(Plan plan, Map<String, ActorSnapshot<Account>> snapshots) {
        long n = 0;
        for (Race r : plan.races()) {
            n += snapshots.get(r.a()).state().suspense() > 0 ? 3 : 4;
        }
        return n;
    }

    /** Same-batch funding: A's onward transfer is always handled before B's credit reaches A. */
    private void checkChains(World world, Plan plan, Set<String> touched, Map<String, ActorSnapshot<Account>> snapshots,
                             Map<String, String> rejectedWhy, Map<String, String> groupOf, String context) {
        for (Chain c : plan.chains()) {
            if (touched.contains(c.a()) || touched.contains(c.b()) || touched.contains(c.c())) {
                coverage.count("chain: dead-lettered");
                continue;
            }
            String why = rejectedWhy.get(c.onwardId());
            Account a = snapshots.get(c.a()).state();
            Account b = snapshots.get(c.b()).state();
            Account cc = snapshots.get(c.c()).state();
            String where = c + ": a=" + a + " b=" + b + " c=" + cc + "; " + context;
            assertEquals(Account.opened(0, c.funding()), b, where);
            if (c.waitMillis() == 0) {
                assertEquals(Ledger.INSUFFICIENT_FUNDS, why, where);
                assertEquals(Account.opened(c.funding(), 0), a, where);
                assertEquals(Account.opened(0, 0), cc, where);
                assertEquals(0, snapshots.get(c.a()).deferred(), where);
                coverage.count("chain: no wait, insufficient funds");
                continue;
            }
            assertEquals(1, snapshots.get(c.a()).deferred(), "A's onward transfer must have waited; " + where);
            if (why == null) {
                assertEquals(Account.opened(c.funding() - c.onward(), 0), a, where);
                assertEquals(Account.opened(c.onward(), 0), cc, where);
                coverage.count("chain: waited, then applied");
            } else if (why.equals(DEADLINE_PASSED)) {
                // legitimate only if B's credit reached A after the deadline: the credit's handling expires A's
                // transfer first. A credit applied before the expiry means it came in time and did not release it.
                List<Outcome> atA = world.outcomes().stream()
                        .filter(o -> o.groupId().equals(groupOf.get(c.a()))).toList();
                int expiry = -1;
                int credit = -1;
                for (int i = 0; i < atA.size(); i++) {
                    Outcome o = atA.get(i);
                    if (o.messageId().equals(c.onwardId()) && o.kind() == Outcome.Kind.REJECTED) {
                        expiry = i;
                    } else if (o.kind() == Outcome.Kind.APPLIED && !o.messageId().startsWith("tx-")
                            && credit < 0) {
                        credit = i; // the only message to A not from the producer: B's credit
                    }
                }
                assertTrue(expiry < 0 || credit < 0 || expiry < credit, "A's transfer expired after B's credit"
                        + " had been applied; " + atA + "; " + where);
                assertEquals(Account.opened(c.funding(), 0), a, where);
                assertEquals(Account.opened(0, 0), cc, where);
                coverage.count("chain: waited, deadline passed");
            } else {
                fail("A's onward transfer rejected with '" + why + "'; " + where);
            }
        }
    }

    /** The overflow race: whichever of the credit and the refund reaches A first, no money is lost. */
    private void checkRaces(Plan plan, Set<String> touched, Map<String, ActorSnapshot<Account>> snapshots,
                            String context) {
        for (Race r : plan.races()) {
            if (touched.contains(r.w()) || touched.contains(r.a()) || touched.contains(r.ghost())) {
                coverage.count("race: dead-lettered");
                continue;
            }
            Account w = snapshots.get(r.w()).state();
            Account a = snapshots.get(r.a()).state();
            String where = r + ": w=" + w + " a=" + a + "; " + context;
            assertEquals(Account.NEW, snapshots.get(r.ghost()).state(), where);
            if (a.suspense() > 0) {
                // the credit came first (A at MAX - 5), then the refund of 10 did not fit
                assertEquals(new Account(true, MAX - 5, 100, 10), a, where);
                assertEquals(Account.opened(0, Race.CREDIT), w, where);
                coverage.count("race: refund kept in suspense");
            } else {
                // the refund came first (A at 100), then the credit did not fit and went back to W
                assertEquals(Account.opened(100, 100), a, where);
                assertEquals(Account.opened(Race.CREDIT, Race.CREDIT), w, where);
                assertEquals(Ledger.CREDIT_TOO_LARGE, snapshots.get(r.a()).recentRejections().get(0).reason(), where);
                coverage.count("race: credit refunded on overflow");
            }
        }
    }
}
