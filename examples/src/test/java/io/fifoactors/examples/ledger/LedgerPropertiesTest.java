package io.fifoactors.examples.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.Envelope;
import io.fifoactors.core.runtime.Ingress;
import io.fifoactors.core.runtime.RejectionRecord;
import io.fifoactors.examples.SimSetup;
import io.fifoactors.examples.ledger.LedgerTransaction.DepositTx;
import io.fifoactors.examples.ledger.LedgerTransaction.OpenTx;
import io.fifoactors.examples.ledger.LedgerTransaction.TransferTx;
import io.fifoactors.inmemory.Simulation;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

import java.io.IOException;
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
 * G5 for the ledger on the simulator, under random ledgers, random ingress batches and random fault schedules: no
 * balance below zero, money conserved, every deposit applied exactly once, every transfer applied at most once with
 * its credit (or refund) arriving exactly once, malformed messages dead-lettered, every message accounted for. Each
 * workload may also contain "same-batch funding" chains, the case a single ordering of the ingress batch cannot
 * get right: B deposits and transfers to A, and A transfers onwards, all in one batch, A starting at zero.
 */
class LedgerPropertiesTest {
    static final int GHOSTS = 2;
    static final String SAME_BATCH = "same-batch funding";

    enum Kind { DEPOSIT, TRANSFER, TO_GHOST, CHAIN, MALFORMED }

    /** What the producer does after an operation: keep filling the batch, or submit it (and maybe run, or retry). */
    enum After { NOTHING, SUBMIT, SUBMIT_AND_RUN, SUBMIT_TWICE }

    record Op(Kind kind, int from, int to, long amount, long amount2, long waitMillis, After after) {
    }

    record Workload(int accounts, List<Op> ops) {
    }

    /** B (0) deposits {@code funding} and sends it to A (0); A sends {@code onward} to C, waiting or not. */
    record Chain(String b, String a, String c, long funding, long onward, long waitMillis, String onwardId) {
    }

    /**
     * The workload turned into ingress batches, each with the malformed messages a broken producer sends beside it
     * (they must be dead-lettered).
     */
    record Plan(List<List<LedgerTransaction>> batches, List<List<OutgoingMessage>> malformed, List<After> afters,
                List<LedgerTransaction> all, Set<String> malformedIds, List<String> accounts, List<Chain> chains,
                long maxWaitMillis) {
    }

    @Provide
    Arbitrary<Workload> ledgers() {
        return Arbitraries.integers().between(2, 8).flatMap(n -> op(n).list().ofMinSize(1).ofMaxSize(60)
                .map(ops -> new Workload(n, ops)));
    }

    private static Arbitrary<Op> op(int accounts) {
        Arbitrary<Kind> kinds = Arbitraries.frequency(Tuple.of(4, Kind.DEPOSIT), Tuple.of(5, Kind.TRANSFER),
                Tuple.of(1, Kind.TO_GHOST), Tuple.of(1, Kind.CHAIN), Tuple.of(1, Kind.MALFORMED));
        Arbitrary<Integer> account = Arbitraries.integers().between(0, accounts - 1);
        Arbitrary<Long> waits = Arbitraries.frequency(Tuple.of(4, 0L), Tuple.of(1, 1_000L), Tuple.of(2, 60_000L),
                Tuple.of(1, 300_000L));
        Arbitrary<After> after = Arbitraries.frequency(Tuple.of(12, After.NOTHING), Tuple.of(2, After.SUBMIT),
                Tuple.of(2, After.SUBMIT_AND_RUN), Tuple.of(1, After.SUBMIT_TWICE));
        return Combinators.combine(kinds, account, account, Arbitraries.longs().between(1, 200),
                Arbitraries.longs().between(1, 200), waits, after).as(Op::new);
    }

    @Provide
    Arbitrary<SimSetup> setups() {
        return SimSetup.arbitrary();
    }

    static String key(int i) {
        return "acc-" + i;
    }

    static Plan plan(Workload w) {
        List<List<LedgerTransaction>> batches = new ArrayList<>();
        List<List<OutgoingMessage>> malformed = new ArrayList<>();
        Set<String> malformedIds = new HashSet<>();
        List<After> afters = new ArrayList<>();
        List<LedgerTransaction> all = new ArrayList<>();
        List<String> accounts = new ArrayList<>();
        List<Chain> chains = new ArrayList<>();
        long maxWait = 0;
        List<LedgerTransaction> batch = new ArrayList<>();
        List<OutgoingMessage> bad = new ArrayList<>();
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
            maxWait = Math.max(maxWait, op.waitMillis());
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
                case MALFORMED -> {
                    boolean unknownType = op.amount() % 2 == 0;
                    bad.add(new OutgoingMessage(Ledger.account(key(op.from())).groupId(), id,
                            Map.of(Envelope.TYPE, unknownType ? "NoSuchMessage" : "Deposit"),
                            (unknownType ? "{}" : "{\"amount\":").getBytes(StandardCharsets.UTF_8)));
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
        return new Plan(batches, malformed, afters, all, malformedIds, accounts, chains, maxWait);
    }

    @Property
    void moneyIsConservedAndEveryTransactionAppliedAtMostOnce(@ForAll("ledgers") Workload workload,
                                                             @ForAll("setups") SimSetup setup) throws IOException {
        Plan plan = plan(workload);
        try (Simulation sim = setup.simulation(Ledger.ACCOUNT)) {
            Ingress<LedgerTransaction> ingress = Ledger.ingress(sim.system());
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
            // every deadline passes; each account wakes, expires what still waits and sends any stranded outbox
            Instant beforeDeadlines = sim.clock().instant();
            sim.clock().advance(Duration.ofMillis(plan.maxWaitMillis()).plusMinutes(1));
            for (String key : plan.accounts()) {
                sim.system().wake(Ledger.account(key), "final-wake-" + key);
            }
            last = sim.run();
            String context = "seed " + setup.seed() + "; " + last.replayHint() + "; " + setup + "; " + last;
            assertTrue(last.settled(), "did not settle: " + context);
            check(sim, plan, beforeDeadlines, context);
        }
    }

    private static void submit(Simulation sim, Ingress<LedgerTransaction> ingress, Plan plan, int i) {
        ingress.submit(plan.batches().get(i));
        if (!plan.malformed().get(i).isEmpty()) {
            sim.mailbox().send(plan.malformed().get(i));
        }
    }

    private static void check(Simulation sim, Plan plan, Instant beforeDeadlines, String context) throws IOException {
        Map<String, ActorSnapshot<Account>> snapshots = new LinkedHashMap<>();
        for (String key : plan.accounts()) {
            snapshots.put(key, sim.system().inspect(Ledger.account(key), Account.class));
        }

        // dead letters: which messages, which actors, and the money inside credits and refunds
        ObjectMapper json = new ObjectMapper();
        Set<String> deadIds = new HashSet<>();
        Set<String> deadGroups = new HashSet<>();
        Set<String> deadWakeGroups = new HashSet<>();
        Set<String> deadCredits = new HashSet<>();
        Set<String> deadRefunds = new HashSet<>();
        long deadMoney = 0;
        for (DeadLetter d : sim.mailbox().deadLetters()) {
            String type = d.attributes().get(Envelope.TYPE);
            if (Envelope.SYSTEM_WAKE.equals(type)) {
                deadWakeGroups.add(d.groupId());
                continue;
            }
            deadIds.add(d.messageId());
            deadGroups.add(d.groupId());
            if ("Credit".equals(type) || "Refund".equals(type)) {
                assertTrue(d.attributes().containsKey(Envelope.SENDER), "a " + type + " not sent by an actor: "
                        + context);
                JsonNode body = json.readTree(d.body());
                deadMoney += body.get("amount").asLong();
                ("Credit".equals(type) ? deadCredits : deadRefunds).add(body.get("transferId").asText());
            }
        }

        // every rejection, with its reason (the simulation keeps them all)
        Map<String, String> rejectedWhy = new HashMap<>();
        Map<String, Instant> rejectedAt = new HashMap<>();
        long applied = 0, rejected = 0, stashed = 0, held = 0, parked = 0, sent = 0;
        long balances = 0, deposited = 0;
        for (ActorSnapshot<Account> s : snapshots.values()) {
            assertEquals(s.rejected(), s.recentRejections().size(), "rejections not all kept at " + s.id()
                    + "; " + context);
            for (RejectionRecord r : s.recentRejections()) {
                rejectedWhy.put(r.messageId(), r.reason());
                rejectedAt.put(r.messageId(), r.at());
            }
            applied += s.applied();
            rejected += s.rejected();
            stashed += s.stashed();
            held += s.held();
            parked += s.parked() ? 1 : 0;
            sent += s.sent();
            balances += s.state().balance();
            deposited += s.state().deposited();
            assertTrue(s.state().balance() >= 0, "G5: " + s.id() + " has balance " + s.state().balance()
                    + "; " + context);
            if (!deadWakeGroups.contains(s.id().groupId())) {
                assertEquals(0, s.stashed() + s.held(), "still deferred or held at " + s.id() + " after every"
                        + " deadline passed: " + s + "; " + context);
                assertFalse(s.parked(), "parked: " + s + "; " + context);
            }
        }
        for (int g = 0; g < GHOSTS; g++) {
            Account ghost = snapshots.get("ghost-" + g).state();
            assertEquals(new Account(false, 0, 0), ghost, "credits to a never-opened account are refunded; "
                    + context);
        }

        // G5: money is conserved: what is in the balances plus what is stuck in dead letters is what was deposited
        assertEquals(deposited, balances + deadMoney, "money not conserved: " + balances + " in balances + "
                + deadMoney + " dead-lettered in flight vs " + deposited + " deposited; " + context);

        // every message accounted for: in = produced + sent by actors; out = every way a message can end
        assertTrue(deadIds.containsAll(plan.malformedIds()), "malformed messages not dead-lettered; " + context);
        long produced = plan.all().size() + plan.malformedIds().size();
        assertEquals(produced + sent, applied + rejected + stashed + held + parked + deadIds.size(),
                "messages not accounted for: " + produced + " produced + " + sent + " sent vs " + applied
                        + " applied + " + rejected + " rejected + " + stashed + " stashed + " + held + " held + "
                        + parked + " parked + " + deadIds.size() + " dead-lettered; " + context);

        // the exact oracle: deposits applied once each, transfers applied at most once, their credit (or refund)
        // arriving exactly once unless dead-lettered
        Map<String, Long> expectedBalance = new HashMap<>();
        Map<String, Long> expectedDeposited = new HashMap<>();
        Map<String, String> openId = new HashMap<>();
        for (LedgerTransaction tx : plan.all()) {
            if (tx instanceof OpenTx o) {
                openId.put(o.account(), o.id());
            }
        }
        long producedDeposits = 0;
        for (LedgerTransaction tx : plan.all()) {
            if (tx instanceof DepositTx d) {
                if (deadIds.contains(d.id()) || deadIds.contains(openId.get(d.account()))) {
                    continue;
                }
                assertFalse(rejectedWhy.containsKey(d.id()), "deposit " + d + " rejected: "
                        + rejectedWhy.get(d.id()) + "; " + context);
                producedDeposits += d.amount();
                expectedDeposited.merge(d.account(), d.amount(), Long::sum);
                expectedBalance.merge(d.account(), d.amount(), Long::sum);
            } else if (tx instanceof TransferTx t) {
                String why = rejectedWhy.get(t.id());
                if (t.account().equals(t.to()) && !deadIds.contains(t.id())) {
                    assertEquals("cannot transfer to the same account", why, t + "; " + context);
                }
                if (why != null) {
                    if (t.waitMillis() > 0) {
                        assertNotEquals("insufficient funds", why, "a waiting transfer was refused at once: " + t
                                + "; " + context);
                    } else {
                        assertNotEquals("deferral deadline passed", why, "a transfer that may not wait was"
                                + " deferred: " + t + "; " + context);
                    }
                    continue;
                }
                if (deadIds.contains(t.id())) {
                    continue;
                }
                expectedBalance.merge(t.account(), -t.amount(), Long::sum);
                if (deadCredits.contains(t.id())) {
                    continue; // debited, never credited: counted in deadMoney
                }
                if (snapshots.get(t.to()).state().open()) {
                    expectedBalance.merge(t.to(), t.amount(), Long::sum);
                } else if (!deadRefunds.contains(t.id())) {
                    expectedBalance.merge(t.account(), t.amount(), Long::sum);
                }
            }
        }
        assertEquals(producedDeposits, deposited, "G2: deposits applied " + deposited + " vs " + producedDeposits
                + " produced (dead letters excluded); " + context);
        for (Map.Entry<String, ActorSnapshot<Account>> e : snapshots.entrySet()) {
            Account a = e.getValue().state();
            assertEquals(expectedDeposited.getOrDefault(e.getKey(), 0L), a.deposited(),
                    "deposits at " + e.getKey() + "; " + context);
            assertEquals(expectedBalance.getOrDefault(e.getKey(), 0L), a.balance(),
                    "balance of " + e.getKey() + " is not what its applied transactions give: a transaction was"
                            + " applied twice or lost; " + context);
        }

        // same-batch funding: A's onward transfer is always handled before B's credit reaches A
        if (plan.chains().isEmpty()) {
            Statistics.label(SAME_BATCH).collect("no chain");
        }
        for (Chain c : plan.chains()) {
            if (deadGroups.contains(Ledger.account(c.a()).groupId())
                    || deadGroups.contains(Ledger.account(c.b()).groupId())
                    || deadGroups.contains(Ledger.account(c.c()).groupId())) {
                Statistics.label(SAME_BATCH).collect("dead-lettered");
                continue;
            }
            String why = rejectedWhy.get(c.onwardId());
            Account a = snapshots.get(c.a()).state();
            Account b = snapshots.get(c.b()).state();
            Account cc = snapshots.get(c.c()).state();
            String where = c + ": a=" + a + " b=" + b + " c=" + cc + "; " + context;
            assertEquals(new Account(true, 0, c.funding()), b, where);
            if (c.waitMillis() == 0) {
                assertEquals("insufficient funds", why, where);
                assertEquals(new Account(true, c.funding(), 0), a, where);
                assertEquals(new Account(true, 0, 0), cc, where);
                assertEquals(0, snapshots.get(c.a()).deferred(), where);
                Statistics.label(SAME_BATCH).collect("no wait, insufficient funds");
                continue;
            }
            assertEquals(1, snapshots.get(c.a()).deferred(), "A's onward transfer must have waited; " + where);
            if (why == null) {
                assertEquals(new Account(true, c.funding() - c.onward(), 0), a, where);
                assertEquals(new Account(true, c.onward(), 0), cc, where);
                Statistics.label(SAME_BATCH).collect("waited, then applied");
            } else if (why.equals("deferral deadline passed")) {
                // legitimate only if B's credit reached A after the deadline (it expires A's transfer first); an
                // expiry at the final wake would mean the credit arrived in time and did not release the transfer
                assertFalse(rejectedAt.get(c.onwardId()).isAfter(beforeDeadlines), "A's transfer expired only at"
                        + " the final wake; " + where);
                assertEquals(new Account(true, c.funding(), 0), a, where);
                assertEquals(new Account(true, 0, 0), cc, where);
                Statistics.label(SAME_BATCH).collect("waited, deadline passed");
            } else {
                fail("A's onward transfer rejected with '" + why + "'; " + where);
            }
        }
        Statistics.label(SAME_BATCH).coverage(cov -> {
            cov.check("waited, then applied").count(n -> n > 0);
            cov.check("no wait, insufficient funds").count(n -> n > 0);
        });
    }
}
