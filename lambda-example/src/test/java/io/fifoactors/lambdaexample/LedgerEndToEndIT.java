package io.fifoactors.lambdaexample;

import com.fasterxml.jackson.databind.JsonNode;
import io.fifoactors.core.ActorId;
import io.fifoactors.core.runtime.Ingress;
import io.fifoactors.examples.ledger.Account;
import io.fifoactors.examples.ledger.Ledger;
import io.fifoactors.examples.ledger.LedgerTransaction;
import io.fifoactors.examples.ledger.LedgerTransaction.DepositTx;
import io.fifoactors.examples.ledger.LedgerTransaction.OpenTx;
import io.fifoactors.examples.ledger.LedgerTransaction.TransferTx;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ledger scenario end to end: a producer ingests transactions into ElasticMQ; a local event source mapping (one
 * poller per "container") receives batches of up to 10 as Lambda does, invokes the packaged function through the
 * runtime interface client, and deletes what the partial batch response does not report; state lands in dynalite.
 * Then G1-G5 are checked on the final states and on the function's own outcome logs.
 */
class LedgerEndToEndIT {
    private static final int ACCOUNTS = 6;
    private static final int TRANSACTIONS = 120;
    private static final int INGRESS_BATCH = 20;
    private static final int CONTAINERS = 2;
    private static final long SEED = 20241125L;
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);
    private static final Set<String> TERMINAL = Set.of("APPLIED", "REJECTED", "DEAD_LETTERED");

    /** One emulated container: a function process, its Runtime API and the poller feeding it. */
    private static final class Container {
        final RuntimeApiServer api;
        final FunctionProcess fn;
        final AtomicBoolean busy = new AtomicBoolean();
        final AtomicInteger invocations = new AtomicInteger();
        final List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        final List<String> errors = Collections.synchronizedList(new ArrayList<>());
        Thread poller;

        Container(RuntimeApiServer api, FunctionProcess fn) {
            this.api = api;
            this.fn = fn;
        }
    }

    @Test
    void theLedgerScenarioKeepsItsGuaranteesThroughThePackagedFunction() throws Exception {
        List<Container> containers = new ArrayList<>();
        Object progress = new Object();
        AtomicBoolean stop = new AtomicBoolean();
        try (LocalAws aws = LocalAws.start("e2e")) {
            try {
                for (int i = 0; i < CONTAINERS; i++) {
                    RuntimeApiServer api = RuntimeApiServer.start();
                    containers.add(new Container(api, FunctionProcess.start(
                            FunctionProcess.taskRoot("task-root-e2e-" + i), api, aws.functionEnv())));
                }
                for (Container c : containers) {
                    c.api.awaitFirstNext(Duration.ofSeconds(60));
                    c.poller = new Thread(() -> poll(aws, c, stop, progress), "esm-poller");
                    c.poller.setDaemon(true);
                    c.poller.start();
                }
                long started = System.nanoTime();
                Map<String, List<String>> sentOrder = produce(aws);
                awaitDrained(aws, containers, progress);
                double seconds = (System.nanoTime() - started) / 1e9;
                stop.set(true);
                for (Container c : containers) {
                    c.poller.join(TimeUnit.SECONDS.toMillis(30));
                }
                check(aws, containers, sentOrder, seconds);
            } finally {
                stop.set(true);
                for (Container c : containers) {
                    c.fn.close();
                    c.api.close();
                }
            }
        }
    }

    /** The event source mapping's loop for one container. */
    private static void poll(LocalAws aws, Container c, AtomicBoolean stop, Object progress) {
        while (!stop.get()) {
            List<Message> batch;
            try {
                batch = EsmEvents.receive(aws.sqs, aws.queues.queueUrl(), 10, 30, 1);
                if (!batch.isEmpty()) {
                    c.busy.set(true); // the batch stays counted as in flight by the queue until it is settled
                    RuntimeApiServer.Result r = c.api.invoke(EsmEvents.eventJson(batch, aws.queues.queueArn()),
                            Duration.ofSeconds(30));
                    c.invocations.incrementAndGet();
                    c.latencies.add(r.latencyMillis());
                    List<String> failed = new ArrayList<>();
                    if (r.error()) {
                        c.errors.add(r.body());
                        batch.forEach(m -> failed.add(m.messageId()));
                    } else {
                        EsmEvents.JSON.readTree(r.body()).get("batchItemFailures")
                                .forEach(f -> failed.add(f.get("itemIdentifier").asText()));
                    }
                    aws.settle(batch, failed);
                }
            } catch (RuntimeException | IOException | AssertionError e) {
                if (!stop.get()) {
                    c.errors.add(e.toString());
                }
            } finally {
                c.busy.set(false);
                synchronized (progress) {
                    progress.notifyAll();
                }
            }
        }
    }

    /** Ingests the scenario; returns, per account, the producer's message ids in the order they were sent. */
    private static Map<String, List<String>> produce(LocalAws aws) {
        SplittableRandom random = new SplittableRandom(SEED);
        Ingress<LedgerTransaction> ingress = Ledger.ingress(aws.producer);
        List<List<LedgerTransaction>> batches = new ArrayList<>();
        List<LedgerTransaction> opens = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            opens.add(new OpenTx("open-" + i, key(i)));
        }
        batches.add(opens);
        List<LedgerTransaction> txs = new ArrayList<>();
        for (int n = 0; n < TRANSACTIONS; n++) {
            String from = key(random.nextInt(ACCOUNTS));
            if (random.nextInt(100) < 40) {
                txs.add(new DepositTx("tx-" + n, from, 1 + random.nextInt(1000)));
            } else {
                String to = random.nextInt(100) < 5 ? "ghost-" + random.nextInt(2) : key(random.nextInt(ACCOUNTS));
                txs.add(new TransferTx("tx-" + n, from, to, 1 + random.nextInt(500), 0));
            }
            if (txs.size() == INGRESS_BATCH) {
                batches.add(txs);
                txs = new ArrayList<>();
            }
        }
        if (!txs.isEmpty()) {
            batches.add(txs);
        }
        Map<String, List<String>> sentOrder = new HashMap<>();
        for (List<LedgerTransaction> batch : batches) {
            for (LedgerTransaction tx : ingress.order(batch)) {
                sentOrder.computeIfAbsent(tx.account(), k -> new ArrayList<>()).add(tx.id());
            }
            ingress.submit(batch);
        }
        return sentOrder;
    }

    private static String key(int i) {
        return "acc-" + i;
    }

    /** Waits, on the pollers' progress signal, until the queue is empty and no container is invoking. */
    private static void awaitDrained(LocalAws aws, List<Container> containers, Object progress)
            throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        int quietChecks = 0;
        while (quietChecks < 2) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the queue did not drain within " + SETTLE_TIMEOUT + "; " + aws.queued()
                        + " messages left; errors: " + containers.stream().flatMap(c -> c.errors.stream())
                        .collect(Collectors.toList()));
            }
            synchronized (progress) {
                progress.wait(250);
            }
            boolean idle = containers.stream().noneMatch(c -> c.busy.get());
            quietChecks = idle && aws.queued() == 0 ? quietChecks + 1 : 0;
        }
    }

    private record Seen(String actor, String messageId, BigInteger sequence, String outcome) {
    }

    private static void check(LocalAws aws, List<Container> containers, Map<String, List<String>> sentOrder,
                              double seconds) {
        for (Container c : containers) {
            assertEquals(List.of(), c.errors, "invocation errors");
        }
        List<Seen> outcomes = new ArrayList<>();
        int duplicates = 0;
        for (Container c : containers) {
            for (JsonNode l : c.fn.jsonLines()) {
                if (!"outcome".equals(l.path("message").asText())) {
                    continue;
                }
                String kind = l.get("outcome").asText();
                if (kind.equals("DUPLICATE")) {
                    duplicates++;
                }
                if (TERMINAL.contains(kind)) {
                    assertTrue(l.has("sequence"), "an outcome without a sequence: " + l);
                    outcomes.add(new Seen(l.get("actor").asText(), l.get("messageId").asText(),
                            new BigInteger(l.get("sequence").asText()), kind));
                }
            }
        }
        // G2/G4: every message (producer's and actor-to-actor) has exactly one terminal outcome; nothing was lost
        Map<String, Long> perMessage = outcomes.stream()
                .collect(Collectors.groupingBy(s -> s.actor() + " " + s.messageId(), Collectors.counting()));
        perMessage.forEach((id, n) -> assertEquals(1L, n, "terminal outcomes of " + id));
        Set<String> producerIds = sentOrder.values().stream().flatMap(List::stream).collect(Collectors.toSet());
        Set<String> settledProducerIds = outcomes.stream().map(Seen::messageId).filter(producerIds::contains)
                .collect(Collectors.toSet());
        assertEquals(producerIds, settledProducerIds, "every produced transaction has an outcome");
        assertTrue(EsmEvents.receive(aws.sqs, aws.queues.deadLetterQueueUrl(), 10, 30, 0).isEmpty(),
                "nothing was dead-lettered");
        assertEquals(0, outcomes.stream().filter(s -> s.outcome().equals("DEAD_LETTERED")).count());

        // G1: each account applied the producer's messages in the order they were sent, in sequence order
        Map<String, List<Seen>> byActor = outcomes.stream().collect(Collectors.groupingBy(Seen::actor));
        for (Map.Entry<String, List<String>> e : sentOrder.entrySet()) {
            List<Seen> seen = new ArrayList<>(byActor.getOrDefault(Ledger.account(e.getKey()).groupId(), List.of()));
            seen.sort(Comparator.comparing(Seen::sequence));
            List<String> applied = seen.stream().map(Seen::messageId).filter(producerIds::contains)
                    .collect(Collectors.toList());
            assertEquals(e.getValue(), applied, "FIFO order of " + e.getKey());
        }
        // G3: what one account sent another arrived in the sender's order (ids end in the sender's sequence)
        for (List<Seen> seen : byActor.values()) {
            Map<String, Long> lastFromSender = new HashMap<>();
            seen.stream().sorted(Comparator.comparing(Seen::sequence))
                    .filter(s -> !producerIds.contains(s.messageId()))
                    .forEach(s -> {
                        int dash = s.messageId().lastIndexOf('-');
                        String sender = s.messageId().substring(0, dash);
                        long seq = Long.parseLong(s.messageId().substring(dash + 1));
                        Long previous = lastFromSender.put(sender, seq);
                        assertTrue(previous == null || previous < seq, "pairwise order broken at " + s);
                    });
        }

        // G5: no balance below zero; money conserved; every deposit applied once; refused credits refunded
        Map<String, Account> accounts = new LinkedHashMap<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            accounts.put(key(i), aws.account(key(i)));
        }
        for (int g = 0; g < 2; g++) {
            accounts.put("ghost-" + g, aws.account("ghost-" + g));
        }
        long balances = 0;
        long deposited = 0;
        for (Map.Entry<String, Account> a : accounts.entrySet()) {
            assertTrue(a.getValue().balance() >= 0, a.getKey() + " went below zero");
            balances += a.getValue().balance();
            deposited += a.getValue().deposited();
        }
        long produced = 0;
        Set<String> depositIds = new HashSet<>();
        SplittableRandom replay = new SplittableRandom(SEED);
        for (int n = 0; n < TRANSACTIONS; n++) {
            replay.nextInt(ACCOUNTS);
            if (replay.nextInt(100) < 40) {
                produced += 1 + replay.nextInt(1000);
                depositIds.add("tx-" + n);
            } else {
                if (replay.nextInt(100) < 5) {
                    replay.nextInt(2);
                } else {
                    replay.nextInt(ACCOUNTS);
                }
                replay.nextInt(500);
            }
        }
        assertEquals(produced, deposited, "every deposit applied exactly once");
        assertEquals(deposited, balances, "money conserved");
        assertEquals(0, accounts.get("ghost-0").balance() + accounts.get("ghost-1").balance(),
                "credits to unopened accounts were refunded");
        assertTrue(outcomes.stream().anyMatch(s -> s.actor().startsWith("account/ghost-")
                && s.outcome().equals("REJECTED")), "the scenario sent credits to unopened accounts");
        long appliedDeposits = outcomes.stream().filter(s -> depositIds.contains(s.messageId())
                && s.outcome().equals("APPLIED")).count();
        assertEquals(depositIds.size(), appliedDeposits);

        int invocations = containers.stream().mapToInt(c -> c.invocations.get()).sum();
        List<Double> latencies = containers.stream().flatMap(c -> c.latencies.stream()).sorted()
                .collect(Collectors.toList());
        System.out.printf("%n[measure] end to end: %d transactions + %d opens -> %d settled messages in %d"
                        + " invocations on %d containers, %.1f s; invocation median %.1f ms, p90 %.1f ms; %d"
                        + " duplicates skipped%n", TRANSACTIONS, ACCOUNTS, outcomes.size(), invocations, CONTAINERS,
                seconds, latencies.get(latencies.size() / 2), latencies.get(latencies.size() * 9 / 10), duplicates);
        for (Map.Entry<String, Account> a : accounts.entrySet()) {
            ActorId id = Ledger.account(a.getKey());
            System.out.printf("[measure]   %s balance %d deposited %d%n", id, a.getValue().balance(),
                    a.getValue().deposited());
        }
    }

}
