package io.fifoactors.e2e;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.Envelope;
import io.fifoactors.core.runtime.Ingress;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.dynamodb.DynamoDbStateStore;
import io.fifoactors.examples.demo.aws.AwsServers;
import io.fifoactors.examples.demo.aws.OffsetClock;
import io.fifoactors.examples.demo.aws.PollerNode;
import io.fifoactors.examples.demo.aws.QueueProbe;
import io.fifoactors.examples.demo.aws.RequestCounter;
import io.fifoactors.sqs.SqsMailbox;
import io.fifoactors.sqs.SqsPoller;
import io.fifoactors.sqs.SqsQueues;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Matcher;

/**
 * A domain scenario on real servers: records go through the domain's ingress (with a few malformed messages mixed
 * in) while an {@link SqsPoller} consumes; when the queue is drained, the runtime clock jumps past every deferral
 * deadline and every actor is woken; then the records in the store, the dead-letter queue and the outcome log are
 * checked against the guarantees. Subclasses supply the domain.
 *
 * @param <R> the producer's record type
 * @param <S> the actor state type
 */
abstract class PollerScenario<R, S> {
    /** Deferred messages wait at most this long. */
    static final Duration MAX_WAIT = Duration.ofMinutes(5);
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(90);

    /** The knobs. */
    record Config(int actors, int messages, long seed, double deferShare, int malformed, int ingressBatch,
                  int consumers, boolean consumeWhileProducing) {
    }

    /** Everything a domain check may look at. */
    record Run<R, S>(Config cfg, List<R> produced, Map<ActorId, ActorSnapshot<S>> snapshots,
                     List<QueueProbe.Dead> dead, Set<String> deadIds, OutcomeLog log, SqsPoller.Stats stats,
                     Checks checks) {
    }

    abstract String name();

    abstract ActorType<S, ?> type();

    abstract List<R> generate(Config cfg, SplittableRandom random);

    abstract Ingress<R> ingress(ActorSystem system);

    abstract String idOf(R record);

    abstract ActorId targetOf(R record);

    /** Whether a record may be replaced by a malformed message (set-up records stay intact). */
    boolean poisonable(R record) {
        return true;
    }

    /** Every actor the workload may touch. */
    abstract List<ActorId> actors(Config cfg);

    abstract void domainChecks(Run<R, S> run);

    /** Runs the scenario and checks it; returns the request tables (consumer side, producer side). */
    final String run(AwsServers aws, Config cfg) {
        RequestCounter consumerRequests = new RequestCounter();
        RequestCounter producerRequests = new RequestCounter();
        AwsServers.Env env = aws.fresh(name(), 10, Duration.ofSeconds(5));
        SqsQueues queues = env.queues();
        QueueProbe probe = new QueueProbe(aws.sqs());
        OffsetClock clock = new OffsetClock();
        OutcomeLog log = new OutcomeLog();
        SplittableRandom random = new SplittableRandom(cfg.seed());
        List<R> records = generate(cfg, random);
        Set<Integer> malformedAt = new HashSet<>();
        while (malformedAt.size() < cfg.malformed()) {
            int i = random.nextInt(records.size());
            if (poisonable(records.get(i))) {
                malformedAt.add(i);
            }
        }

        List<R> valid = new ArrayList<>();
        Map<ActorId, List<String>> expectedOrder = new HashMap<>();
        long started = System.nanoTime();
        SqsPoller.Stats stats;
        try (SqsClient sqs = aws.newSqsClient(consumerRequests);
             DynamoDbClient dynamo = aws.newDynamoClient(consumerRequests);
             SqsClient producerSqs = aws.newSqsClient(producerRequests)) {
            PollerNode node = PollerNode.builder(sqs, dynamo, queues, env.table()).name(name()).register(type())
                    .clock(clock).listener(log).consumers(cfg.consumers()).groupThreads(4)
                    .visibility(Duration.ofSeconds(5)).waitTime(Duration.ofSeconds(1)).build();
            SqsMailbox producerMailbox = SqsMailbox.builder().client(producerSqs).queues(queues).build();
            ActorSystem producer = ActorSystem.builder().register(type()).mailbox(producerMailbox)
                    .stateStore(node.store()).build();
            Ingress<R> ingress = ingress(producer);
            if (cfg.consumeWhileProducing()) {
                node.start();
            }
            try {
                for (int from = 0; from < records.size(); from += cfg.ingressBatch()) {
                    List<R> good = new ArrayList<>();
                    List<OutgoingMessage> bad = new ArrayList<>();
                    for (int i = from; i < Math.min(records.size(), from + cfg.ingressBatch()); i++) {
                        R r = records.get(i);
                        if (malformedAt.contains(i)) {
                            bad.add(malformed(r, random));
                        } else {
                            good.add(r);
                        }
                    }
                    ingress.submit(good);
                    if (!bad.isEmpty()) {
                        producerMailbox.send(bad);
                    }
                    valid.addAll(good);
                    for (R r : ingress.order(good)) {
                        expectedOrder.computeIfAbsent(targetOf(r), a -> new ArrayList<>()).add(idOf(r));
                    }
                    for (OutgoingMessage m : bad) {
                        expectedOrder.computeIfAbsent(ActorId.fromGroupId(m.groupId()), a -> new ArrayList<>())
                                .add(m.messageId());
                    }
                }
                if (!cfg.consumeWhileProducing()) {
                    node.start(); // the whole workload is waiting in the queue: a backlog
                }
                probe.awaitDrained(queues.queueUrl(), DRAIN_TIMEOUT);
                // Every deadline passes; waking each actor expires what is still deferred.
                clock.advance(MAX_WAIT.plusMinutes(1));
                for (ActorId id : actors(cfg)) {
                    producer.wake(id, "final-wake-" + id.key());
                }
                probe.awaitDrained(queues.queueUrl(), DRAIN_TIMEOUT);
            } finally {
                if (!node.stop()) {
                    throw new AssertionError("the poller did not shut down gracefully");
                }
            }
            stats = node.poller().stats();
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        List<QueueProbe.Dead> dead = probe.takeDeadLetters(queues.deadLetterQueueUrl(), cfg.malformed(),
                Duration.ofSeconds(10));
        Set<String> deadIds = new HashSet<>();
        Set<String> deadWakes = new HashSet<>();
        for (QueueProbe.Dead d : dead) {
            (Envelope.SYSTEM_WAKE.equals(d.type()) ? deadWakes : deadIds).add(d.messageId());
        }
        ActorSystem inspector = ActorSystem.builder().register(type())
                .mailbox(SqsMailbox.builder().client(aws.sqs()).queues(queues).build())
                .stateStore(DynamoDbStateStore.builder().client(aws.dynamo()).tableName(env.table()).build()).build();
        Map<ActorId, ActorSnapshot<S>> snapshots = new LinkedHashMap<>();
        long applied = 0, rejected = 0, stashed = 0, held = 0, parked = 0, sent = 0, deferred = 0;
        for (ActorId id : actors(cfg)) {
            ActorSnapshot<S> s = inspector.inspect(id, type().stateClass());
            snapshots.put(id, s);
            applied += s.applied();
            rejected += s.rejected();
            deferred += s.deferred();
            stashed += s.stashed();
            held += s.held();
            parked += s.parked() ? 1 : 0;
            sent += s.sent();
        }
        long produced = valid.size() + cfg.malformed();
        long in = produced + sent;
        long out = applied + rejected + stashed + held + parked + deadIds.size();

        Checks checks = new Checks(name() + " on SqsPoller + SqsMailbox (ElasticMQ) + DynamoDbStateStore (dynalite), "
                + (cfg.consumeWhileProducing() ? "consuming while producing" : "consuming a backlog"));
        checks.figure("records produced", produced + " (" + cfg.malformed() + " malformed on purpose)")
                .figure("actor-to-actor messages", sent)
                .figure("deliveries", stats.messages() + " in " + stats.batches() + " batches, "
                        + stats.receives() + " receives")
                .figure("applied / rejected", applied + " / " + rejected)
                .figure("deferred (ever)", deferred)
                .figure("dead-lettered", deadIds.size())
                .figure("outcomes", log.counts())
                .figure("heartbeats", stats.heartbeats())
                .figure("wall time", String.format("%.1f s (%.0f deliveries/s)", seconds,
                        stats.messages() / seconds));
        checks.check("every message accounted for exactly once", in == out,
                "in: " + produced + " produced + " + sent + " sent = " + in + "; out: " + applied + " applied + "
                        + rejected + " rejected + " + stashed + " deferred + " + held + " held + " + parked
                        + " parked + " + deadIds.size() + " dead-lettered = " + out);
        checks.check("every malformed message dead-lettered", deadIds.size() == cfg.malformed(),
                cfg.malformed() + " malformed, " + deadIds.size() + " dead letters");
        checks.check("nothing left deferred, held or parked", stashed == 0 && held == 0 && parked == 0
                && deadWakes.isEmpty(), stashed + " deferred, " + held + " held, " + parked + " parked");
        checks.check("G2 no message applied twice", log.appliedTwice().isEmpty(), "applied twice: "
                + log.appliedTwice());
        checks.check("no poller errors", stats.receiveErrors() == 0 && stats.processErrors() == 0
                && stats.settleErrors() == 0 && stats.heartbeatErrors() == 0, stats.toString());
        checkOrder(log, expectedOrder, sent, checks);
        domainChecks(new Run<>(cfg, valid, snapshots, dead, deadIds, log, stats, checks));
        checks.printAndAssert();

        long messages = produced + sent;
        String mode = cfg.consumeWhileProducing() ? "consuming while producing" : "consuming a backlog";
        return RequestCounter.table(name() + ", " + mode + ": requests per message by API, consumer side"
                + " (SqsPoller + runtime)",
                Map.of(), consumerRequests.snapshot(), messages, stats.messages())
                + RequestCounter.table(name() + ": requests per message by API, producer side (ingress)",
                Map.of(), producerRequests.snapshot(), produced, produced);
    }

    /** G1 (each actor decided its producer's messages in send order) and G3 (pairwise actor-to-actor order). */
    private static void checkOrder(OutcomeLog log, Map<ActorId, List<String>> expectedOrder, long sent,
                                   Checks checks) {
        Map<ActorId, List<String>> observed = log.decisionOrder();
        List<String> g1 = new ArrayList<>();
        for (Map.Entry<ActorId, List<String>> e : expectedOrder.entrySet()) {
            Set<String> expectedIds = new HashSet<>(e.getValue());
            List<String> seen = observed.getOrDefault(e.getKey(), List.of()).stream()
                    .filter(expectedIds::contains).toList();
            if (!seen.equals(e.getValue())) {
                g1.add(e.getKey() + ": expected " + e.getValue() + ", decided " + seen);
            }
        }
        checks.check("G1 each actor decided its messages in the order they were sent", g1.isEmpty(),
                g1.isEmpty() ? expectedOrder.size() + " actors" : g1.get(0));

        List<String> g3 = new ArrayList<>();
        Set<String> actorMessages = new HashSet<>();
        for (Map.Entry<ActorId, List<String>> e : observed.entrySet()) {
            Map<String, Long> lastFromSender = new TreeMap<>();
            for (String id : e.getValue()) {
                Matcher m = OutcomeLog.ACTOR_MESSAGE_ID.matcher(id);
                if (!m.matches()) {
                    continue;
                }
                actorMessages.add(id);
                long seq = Long.parseLong(m.group(2));
                Long last = lastFromSender.put(m.group(1), seq);
                if (last != null && last >= seq) {
                    g3.add(e.getKey() + " decided " + id + " after sequence " + last + " of the same sender");
                }
            }
        }
        checks.check("G3 actor-to-actor messages decided in the order each sender sent them", g3.isEmpty(),
                g3.isEmpty() ? actorMessages.size() + " messages" : g3.get(0));
        checks.check("G2 every actor-to-actor message decided exactly once", actorMessages.size() == sent,
                actorMessages.size() + " decided of " + sent + " sent");
    }

    private OutgoingMessage malformed(R record, SplittableRandom random) {
        boolean unknownType = random.nextBoolean();
        return new OutgoingMessage(targetOf(record).groupId(), idOf(record),
                Map.of(Envelope.TYPE, unknownType ? "NoSuchMessage" : type().messages().keySet().iterator().next()),
                (unknownType ? "{}" : "{\"amount\":").getBytes(StandardCharsets.UTF_8));
    }

    static long count(List<Outcome> outcomes, Outcome.Kind kind) {
        return outcomes.stream().filter(o -> o.kind() == kind).count();
    }
}
