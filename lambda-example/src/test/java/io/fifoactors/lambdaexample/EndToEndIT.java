package io.fifoactors.lambdaexample;

import com.fasterxml.jackson.databind.JsonNode;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.lambda.LambdaSettings;
import io.fifoactors.lambdaexample.TestActors.Account;
import io.fifoactors.lambdaexample.TestActors.AccountMessage;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A ledger scenario end to end: a producer sends transactions to ElasticMQ; a local event source mapping (one poller
 * per "container") receives batches of up to 10 as Lambda does, invokes the packaged function through the runtime
 * interface client, and deletes what the partial batch response does not report; state lands in dynalite. Then
 * G1-G5 are checked on the final states and on the function's own outcome logs.
 *
 * <p>The accounts are {@link TestActors#ACCOUNT}, a small ledger of the tests (TODO: the examples' ledger once it is
 * on the typed API).
 */
class EndToEndIT {
    private static final int ACCOUNTS = 6;
    private static final int TRANSACTIONS = 120;
    private static final int INGRESS_BATCH = 10;
    private static final int CONTAINERS = 2;
    private static final long SEED = 20241125L;
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(90);
    private static final Set<String> TERMINAL = Set.of("APPLIED", "REJECTED", "DEAD_LETTERED");

    private record Tx(String id, String account, AccountMessage message) {
    }

    @Test
    void theLedgerScenarioKeepsItsGuaranteesThroughThePackagedFunction() throws Exception {
        List<EsmLoop> containers = new ArrayList<>();
        Object progress = new Object();
        try (LocalAws aws = LocalAws.start("e2e")) {
            Map<String, String> env = new HashMap<>(aws.functionEnv());
            env.put(LambdaSettings.WIRING, TestWiring.class.getName());
            try {
                for (int i = 0; i < CONTAINERS; i++) {
                    Path root = FunctionProcess.taskRoot("task-root-e2e-" + i);
                    FunctionProcess.addTestClasses(root, TestWiring.class, TestActors.class);
                    containers.add(EsmLoop.start("actors-" + i, aws, aws.queues.queueUrl(), aws.queues.queueArn(),
                            env, FunctionProcess.HANDLER, progress, root));
                }
                long started = System.nanoTime();
                Map<String, List<String>> sentOrder = produce(aws);
                awaitDrained(aws, containers, progress);
                double seconds = (System.nanoTime() - started) / 1e9;
                containers.forEach(EsmLoop::stop);
                check(aws, containers, sentOrder, seconds);
            } finally {
                containers.forEach(EsmLoop::close);
            }
        }
    }

    /** Sends the scenario; returns, per account, the producer's message ids in the order they were sent. */
    private static Map<String, List<String>> produce(LocalAws aws) {
        SplittableRandom random = new SplittableRandom(SEED);
        List<Tx> txs = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            txs.add(new Tx("open-" + i, key(i), new AccountMessage.Open()));
        }
        for (int n = 0; n < TRANSACTIONS; n++) {
            String from = key(random.nextInt(ACCOUNTS));
            if (random.nextInt(100) < 40) {
                txs.add(new Tx("tx-" + n, from, new AccountMessage.Deposit(1 + random.nextInt(1000))));
            } else {
                String to = random.nextInt(100) < 5 ? "ghost-" + random.nextInt(2) : key(random.nextInt(ACCOUNTS));
                txs.add(new Tx("tx-" + n, from, new AccountMessage.Transfer(to, 1 + random.nextInt(500))));
            }
        }
        Map<String, List<String>> sentOrder = new HashMap<>();
        for (int i = 0; i < txs.size(); i += INGRESS_BATCH) {
            List<OutgoingMessage> batch = new ArrayList<>();
            for (Tx tx : txs.subList(i, Math.min(txs.size(), i + INGRESS_BATCH))) {
                batch.add(aws.producer.encode(TestActors.account(tx.account()).tell(tx.message()), tx.id()));
                sentOrder.computeIfAbsent(tx.account(), k -> new ArrayList<>()).add(tx.id());
            }
            aws.producer.mailbox().send(batch);
        }
        return sentOrder;
    }

    private static String key(int i) {
        return "acc-" + i;
    }

    /** Waits, on the pollers' progress signal, until the queue is empty and no container is invoking. */
    private static void awaitDrained(LocalAws aws, List<EsmLoop> containers, Object progress)
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

    private static void check(LocalAws aws, List<EsmLoop> containers, Map<String, List<String>> sentOrder,
                              double seconds) {
        for (EsmLoop c : containers) {
            assertEquals(List.of(), c.errors, "invocation errors");
        }
        List<Seen> outcomes = new ArrayList<>();
        int duplicates = 0;
        for (EsmLoop c : containers) {
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
            List<Seen> seen = new ArrayList<>(byActor.getOrDefault(TestActors.ACCOUNT.id(e.getKey()).groupId(),
                    List.of()));
            seen.sort(Comparator.comparing(Seen::sequence));
            List<String> applied = seen.stream().map(Seen::messageId).filter(producerIds::contains)
                    .collect(Collectors.toList());
            assertEquals(e.getValue(), applied, "FIFO order of " + e.getKey());
        }
        // G3: what one account sent another arrived in the sender's order (ids end in the sender's sequence)
        int actorToActor = 0;
        for (List<Seen> seen : byActor.values()) {
            Map<String, Long> lastFromSender = new HashMap<>();
            List<Seen> fromActors = seen.stream().sorted(Comparator.comparing(Seen::sequence))
                    .filter(s -> !producerIds.contains(s.messageId())).collect(Collectors.toList());
            actorToActor += fromActors.size();
            for (Seen s : fromActors) {
                int dash = s.messageId().lastIndexOf('-');
                String sender = s.messageId().substring(0, dash);
                long seq = Long.parseLong(s.messageId().substring(dash + 1));
                Long previous = lastFromSender.put(sender, seq);
                assertTrue(previous == null || previous < seq, "pairwise order broken at " + s);
            }
        }
        assertTrue(actorToActor > 0, "the scenario sent credits between accounts");

        // G5: no balance below zero; money conserved; every deposit applied once; refused credits refunded
        Map<String, Account> accounts = new LinkedHashMap<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            accounts.put(key(i), aws.producer.inspect(TestActors.ACCOUNT, key(i)).state());
        }
        for (int g = 0; g < 2; g++) {
            accounts.put("ghost-" + g, aws.producer.inspect(TestActors.ACCOUNT, "ghost-" + g).state());
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
        long appliedDeposits = outcomes.stream().filter(s -> depositIds.contains(s.messageId())
                && s.outcome().equals("APPLIED")).count();
        assertEquals(depositIds.size(), appliedDeposits);

        int invocations = containers.stream().mapToInt(c -> c.invocations.get()).sum();
        List<Double> latencies = containers.stream().flatMap(c -> c.latencies.stream()).sorted()
                .collect(Collectors.toList());
        System.out.printf("%n[measure] end to end: %d transactions + %d opens -> %d settled messages (%d between"
                        + " accounts) in %d invocations on %d containers, %.1f s; invocation median %.1f ms, p90 %.1f"
                        + " ms; %d duplicates skipped%n", TRANSACTIONS, ACCOUNTS, outcomes.size(), actorToActor,
                invocations, CONTAINERS, seconds, latencies.get(latencies.size() / 2),
                latencies.get(latencies.size() * 9 / 10), duplicates);
        for (Map.Entry<String, Account> a : accounts.entrySet()) {
            System.out.printf("[measure]   %s balance %d deposited %d%n", a.getKey(), a.getValue().balance(),
                    a.getValue().deposited());
        }
    }
}
