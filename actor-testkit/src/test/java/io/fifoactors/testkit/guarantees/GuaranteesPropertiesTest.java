package io.fifoactors.testkit.guarantees;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fifoactors.core.ActorId;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.runtime.Envelope;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.inmemory.FaultPlan;
import io.fifoactors.inmemory.InMemoryMailbox;
import io.fifoactors.property.Gen;
import io.fifoactors.testkit.Setup;
import io.fifoactors.testkit.SimulationProperty;
import io.fifoactors.testkit.World;
import org.junit.jupiter.api.Test;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * G1-G4, timers, deferrals and exact outcomes under random workloads and random deployments and faults (crashes,
 * transient errors, stalls past the visibility timeout and past the deduplication window, outages, dead-letter send
 * failures, stale reads, an operator moving dead letters back, hostile producers forging senders, handlers that
 * hang), checked on the {@link Probe} actors' logs, the dead-letter queue and the reported outcomes.
 */
class GuaranteesPropertiesTest {
    static final int ACTORS = 6;

    enum Kind { APPEND, FORWARD, POISON, FLAKY, MALFORMED, UNKNOWN_TYPE, FORGED, HANG, LATER, WAIT, GO }

    record Op(Kind kind, int actor, int other) {
    }

    static final Gen<Kind> KINDS = Gen.frequency(
            Gen.weighted(10, Kind.APPEND), Gen.weighted(6, Kind.FORWARD), Gen.weighted(1, Kind.POISON),
            Gen.weighted(2, Kind.FLAKY), Gen.weighted(1, Kind.MALFORMED), Gen.weighted(1, Kind.UNKNOWN_TYPE),
            Gen.weighted(1, Kind.FORGED), Gen.weighted(1, Kind.HANG), Gen.weighted(2, Kind.LATER),
            Gen.weighted(1, Kind.WAIT), Gen.weighted(1, Kind.GO));

    static final Gen<List<Op>> WORKLOADS = Gen.combine(KINDS, Gen.integers(0, ACTORS - 1),
            Gen.integers(0, ACTORS - 1), Op::new).list(1, 40);

    @Test
    void everyMessageIsAppliedOnceInOrderOrDeadLetteredWithItsReason() {
        SimulationProperty.forAll(WORKLOADS)
                .actors(b -> b.register(Probe.PROBE).hotMarks(2).keptRejections(100))
                .check(GuaranteesPropertiesTest::check);
    }

    /**
     * Found by the soak (try 5,325 of 10,000): a producer's Forward the queue's redrive policy moved (after it was
     * applied: its last receive ended in a crash) and the operator moved back was applied again, and its forward with
     * it. The documented gap of the queue redrive policy; the check exempts such messages from "applied once" only.
     */
    @Test
    void aMessageTheQueueMovedAndTheOperatorMovedBackIsTheOnlyOneThatMayApplyTwice() {
        String ops = "FORWARD 4 0,FORWARD 4 5,POISON 5 0,APPEND 0 0,APPEND 0 0,APPEND 4 0,APPEND 2 0,APPEND 4 0,"
                + "APPEND 0 0,APPEND 0 0,FORWARD 0 4,APPEND 0 0,APPEND 4 0,APPEND 5 0,FORWARD 5 0,MALFORMED 1 0,"
                + "LATER 3 1,APPEND 5 0,APPEND 0 0,FORWARD 1 1,APPEND 5 0,APPEND 4 0";
        List<Op> list = new ArrayList<>();
        for (String o : ops.split(",")) {
            String[] f = o.split(" ");
            list.add(new Op(Kind.valueOf(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2])));
        }
        FaultPlan plan = FaultPlan.builder().crashRate(0.01907979716799664).transientRate(0.033444674930652764)
                .stallRate(0.023260980146880324).stall(Duration.ofMinutes(7))
                .outages(0.00931791027960971, Duration.ofSeconds(5), Duration.ofMinutes(2))
                .deadLetterFailureRate(0.04044793721698388).staleReadRate(0.3).operatorRedrive(Duration.ofMinutes(10))
                .build();
        SimulationProperty.forAll(WORKLOADS)
                .actors(b -> b.register(Probe.PROBE).hotMarks(2).keptRejections(100))
                .checkExample(list, new Setup(3, 10, plan, 10, -3281953980532725447L), (o, world) -> {
                    check(o, world);
                    assertTrue(world.movedBackByOperator().stream().anyMatch(d -> d.messageId().equals("in-14")
                            && InMemoryMailbox.REDRIVE_REASON.equals(d.reason())), "the case no longer arises");
                });
    }

    /** Many senders to one receiver, with stalls past the deduplication window: re-sends checked in the archive. */
    @Test
    void reSendsAreRecognisedAtAnyNumberOfSenders() {
        Gen<List<Op>> fanIn = Gen.integers(0, 39).map(i -> new Op(Kind.FORWARD, i, 0)).list(10, 40);
        SimulationProperty.forAll(fanIn)
                .actors(b -> b.register(Probe.PROBE).hotMarks(1))
                .tries(Math.max(50, Integer.getInteger("fa.property.tries", 100) / 5))
                .check((ops, world) -> {
                    for (int i = 0; i < ops.size(); i++) {
                        Op op = ops.get(i);
                        world.tell(Probe.PROBE.ref("s" + op.actor()), new Probe.Forward("t" + i, "hub"), "in-" + i);
                    }
                    world.runUntilQuiet();
                    List<String> hub = world.state(Probe.PROBE, "hub").entries();
                    assertEquals(new HashSet<>(hub).size(), hub.size(), "the hub applied a re-send twice: " + hub);
                    assertEquals(ops.size(), hub.size(), "the hub missed a message: " + hub);
                });
    }

    static void check(List<Op> ops, World world) throws Exception {
        Probe.clock = world.simulation().clock();
        Map<Integer, List<String>> ingressTags = new HashMap<>();
        Set<String> mustDeadLetter = new HashSet<>();
        Set<String> forged = new HashSet<>();
        Map<String, String> laterTags = new LinkedHashMap<>();
        Map<String, String> waitTags = new LinkedHashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            String id = "in-" + i;
            String tag = "t" + i;
            ActorId target = Probe.PROBE.id("k" + op.actor());
            var ref = Probe.PROBE.ref("k" + op.actor());
            switch (op.kind()) {
                case APPEND -> world.tell(ref, new Probe.Append(tag), id);
                case FORWARD -> world.tell(ref, new Probe.Forward(tag, "k" + op.other()), id);
                case FLAKY -> world.tell(ref, new Probe.Flaky(tag, 2 + (i % 2)), id);
                case HANG -> world.tell(ref, new Probe.Hang(tag), id);
                case POISON -> world.tell(ref, new Probe.Poison(tag), id);
                case LATER -> world.tell(ref, new Probe.Later(tag, 1_000L * (1 + op.other() * 400)), id);
                case WAIT -> world.tell(ref, new Probe.Wait(tag), id);
                case GO -> world.tell(ref, new Probe.Go(), id);
                case MALFORMED -> world.sendRaw(target, id, "Append", "{\"tag\":".getBytes(StandardCharsets.UTF_8),
                        Map.of());
                case UNKNOWN_TYPE -> world.sendRaw(target, id, "Nope", "{}".getBytes(StandardCharsets.UTF_8),
                        Map.of());
                case FORGED -> world.sendForged(target, id, "Append", "{\"tag\":\"" + tag + "\"}",
                        Probe.PROBE.id("k" + op.other()), Long.MAX_VALUE / 2);
            }
            switch (op.kind()) {
                case POISON, MALFORMED, UNKNOWN_TYPE -> mustDeadLetter.add(id);
                case FORGED -> {
                    mustDeadLetter.add(id);
                    forged.add(id);
                }
                case LATER -> laterTags.put(tag, "k" + op.actor());
                case WAIT -> waitTags.put(tag, id + " k" + op.actor());
                case GO -> { }
                default -> ingressTags.computeIfAbsent(op.actor(), k -> new ArrayList<>()).add(tag);
            }
        }
        world.runUntilQuiet();
        String context = world.setup() + "; " + world.lastRun();

        // G4: nothing reaches the dead-letter queue without its reason; the queue moves nothing by itself
        // without a redrive policy
        if (world.setup().queueRedrive() == 0) {
            assertTrue(world.movedByQueueRedrive().isEmpty(), "the queue moved messages: " + context);
        }
        List<DeadLetter> dead = world.deadLetters();
        Set<String> deadIds = new HashSet<>();
        Set<String> deadForwardedTags = new HashSet<>();
        ObjectMapper json = new ObjectMapper();
        for (DeadLetter d : dead) {
            assertTrue(!d.reason().isBlank(), "a dead letter without its reason: " + d + "; " + context);
            deadIds.add(d.messageId());
            if ("Forwarded".equals(d.attributes().get(Envelope.TYPE))) {
                deadForwardedTags.add(json.readTree(d.body()).get("tag").asText());
            }
            if (forged.contains(d.messageId())) {
                assertTrue(d.reason().startsWith("unauthenticated"), "forged, but dead-lettered for: " + d.reason());
            }
        }
        Set<String> everDeadLettered = new HashSet<>(deadIds);
        // moved back by the operator: dead-lettered once (the report of it may be lost with a consumer that sent the
        // letter and died), then a new message to its actor, applied after the group's later ones
        Set<String> movedBack = new HashSet<>();
        // a producer's message the queue moved (after it was applied, if its last receive ended in a crash) and the
        // operator moved back may be applied a second time, and so may what it forwards: the queue redrive policy's
        // documented gap (docs/semantics.md, where the guarantees end); exempt from the applied-once check only
        Set<String> queueMovedBackTags = new HashSet<>();
        for (DeadLetter d : world.movedBackByOperator()) {
            movedBack.add(d.messageId());
            everDeadLettered.add(d.messageId());
            if (InMemoryMailbox.REDRIVE_REASON.equals(d.reason()) && d.messageId().startsWith("in-")) {
                queueMovedBackTags.add("t" + d.messageId().substring(3));
            }
        }
        // With a queue redrive policy the queue moves a message by itself after maxReceiveCount receives, and a
        // message waiting behind failing ones of its group spends receives too: SQS adds no reason to those. That is
        // the price of the queue's policy (docs/semantics.md, section 5); without one, nothing is ever moved so.
        for (DeadLetter d : world.movedByQueueRedrive()) {
            everDeadLettered.add(d.messageId());
            if ("Forwarded".equals(d.attributes().get(Envelope.TYPE))) {
                deadForwardedTags.add(json.readTree(d.body()).get("tag").asText());
            }
        }
        for (Outcome o : world.outcomes()) {
            if (o.kind() == Outcome.Kind.DEAD_LETTERED) {
                everDeadLettered.add(o.messageId());
            }
        }
        for (String id : mustDeadLetter) {
            assertTrue(everDeadLettered.contains(id), id + " was not dead-lettered: " + context);
        }

        // exact outcomes: a message applied or rejected is reported so once, whatever the consumers did
        Map<String, Integer> settled = new HashMap<>();
        for (Outcome o : world.outcomes()) {
            if ((o.kind() == Outcome.Kind.APPLIED || o.kind() == Outcome.Kind.REJECTED)
                    && !everDeadLettered.contains(o.messageId())) {
                settled.merge(o.groupId() + " " + o.messageId(), 1, Integer::sum);
            }
        }
        settled.forEach((m, n) -> assertEquals(1, n, "reported settled " + n + " times: " + m + ": "
                + world.outcomes().stream().filter(o -> (o.groupId() + " " + o.messageId()).equals(m)).toList()
                + "; " + context));

        Map<Integer, List<String>> direct = new LinkedHashMap<>();
        Map<Integer, List<String>> forwardedBy = new HashMap<>();
        for (int k = 0; k < ACTORS; k++) {
            List<String> entries = world.state(Probe.PROBE, "k" + k).entries();
            List<String> mine = new ArrayList<>();
            for (String e : entries) {
                if (e.startsWith("from ")) {
                    String from = e.substring(5, e.indexOf(':'));
                    forwardedBy.computeIfAbsent(Integer.parseInt(from.substring(1)) * 10 + k,
                            x -> new ArrayList<>()).add(e.substring(e.indexOf(':') + 2));
                } else if (!e.equals("go")) {
                    mine.add(e);
                }
            }
            List<String> notGo = entries.stream().filter(e -> !e.equals("go"))
                    .filter(e -> !queueMovedBackTags.contains(e.substring(e.lastIndexOf(' ') + 1))).toList();
            assertEquals(new HashSet<>(notGo).size(), notGo.size(), "an entry applied twice at k" + k + ": "
                    + entries + "; " + context);
            direct.put(k, mine);
            // G1: applied in enqueue order; G2/G4: applied once, or dead-lettered
            List<String> expected = new ArrayList<>(ingressTags.getOrDefault(k, List.of()));
            for (String tag : expected) {
                String id = "in-" + tag.substring(1);
                assertTrue(mine.contains(tag) || everDeadLettered.contains(id), "message " + id + " (" + tag
                        + ") for k" + k + " neither applied nor dead-lettered: " + context);
            }
            List<String> inOrder = new ArrayList<>(mine);
            inOrder.retainAll(expected);
            inOrder.removeIf(tag -> movedBack.contains("in-" + tag.substring(1)));
            List<String> expectedApplied = new ArrayList<>(expected);
            expectedApplied.retainAll(mine);
            expectedApplied.removeIf(tag -> movedBack.contains("in-" + tag.substring(1)));
            assertEquals(expectedApplied, inOrder, "k" + k + " applied out of order: " + context);
        }
        // timers: each set timer fired exactly once, after it was set
        laterTags.forEach((tag, actor) -> {
            List<String> log = world.state(Probe.PROBE, actor).entries();
            int set = log.indexOf("set " + tag);
            if (set >= 0) {
                int fired = log.indexOf("fired " + tag);
                assertTrue(fired > set, "timer " + tag + " at " + actor + " did not fire after it was set: " + log
                        + "; " + context);
                if (!queueMovedBackTags.contains(tag)) { // set again by the copy moved back, and fired again
                    assertEquals(fired, log.lastIndexOf("fired " + tag), "timer " + tag + " fired twice: " + context);
                }
            } else {
                assertTrue(everDeadLettered.contains("in-" + tag.substring(1)), "Later " + tag + " lost: "
                        + context);
            }
        });
        // deferrals: a waiting message is applied once (after "go") or rejected at its deadline, never lost
        waitTags.forEach((tag, where) -> {
            String id = where.split(" ")[0];
            List<String> log = world.state(Probe.PROBE, where.split(" ")[1]).entries();
            boolean applied = log.contains(tag);
            // from the record: an outcome is reported after its commit, and a consumer dying in between takes the
            // report with it (never the effect)
            boolean rejected = world.snapshot(Probe.PROBE, where.split(" ")[1]).recentRejections().stream()
                    .anyMatch(r -> r.messageId().equals(id) && r.reason().startsWith("deferral deadline passed"));
            assertTrue(applied != rejected || everDeadLettered.contains(id), "Wait " + tag + " applied=" + applied
                    + " rejected=" + rejected + "; its outcomes " + world.outcomes().stream()
                    .filter(o -> o.messageId().equals(id)).toList() + "; the actor: "
                    + world.snapshot(Probe.PROBE, where.split(" ")[1]) + "; " + context);
            if (applied) {
                assertTrue(log.indexOf("go") < log.indexOf(tag), "Wait " + tag + " applied before go: " + log);
            }
        });
        // G3: what A forwarded to B arrives at B once each, in A's order (or dead-lettered)
        for (int a = 0; a < ACTORS; a++) {
            for (int b = 0; b < ACTORS; b++) {
                List<String> sentInOrder = new ArrayList<>();
                for (int i = 0; i < ops.size(); i++) {
                    Op o = ops.get(i);
                    if (o.kind() == Kind.FORWARD && o.actor() == a && o.other() == b
                            && direct.get(a).contains("t" + i)) {
                        sentInOrder.add("t" + i);
                    }
                }
                List<String> arrived = forwardedBy.getOrDefault(a * 10 + b, List.of());
                List<String> expected = new ArrayList<>(sentInOrder);
                expected.removeIf(deadForwardedTags::contains);
                List<String> arrivedNotDead = new ArrayList<>(arrived);
                arrivedNotDead.removeIf(deadForwardedTags::contains);
                // a forward moved back by the operator is sent again later, out of its first order
                expected.removeIf(tag -> movedBack.contains("in-" + tag.substring(1)));
                arrivedNotDead.removeIf(tag -> movedBack.contains("in-" + tag.substring(1)));
                List<String> arrivedOnce = arrived.stream().filter(t -> !queueMovedBackTags.contains(t)).toList();
                assertEquals(new HashSet<>(arrivedOnce).size(), arrivedOnce.size(), "k" + b + " applied a forward of k"
                        + a + " twice: " + arrived + "; " + context);
                assertEquals(expected, arrivedNotDead, "forwarded k" + a + " -> k" + b + ": " + context);
                assertTrue(sentInOrder.containsAll(arrived), "k" + b + " got a forward k" + a
                        + " never applied: " + context);
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameRun() {
        io.fifoactors.property.Property.forAll(WORKLOADS, Setup.GEN)
                .tries(Math.max(20, Integer.getInteger("fa.property.tries", 100) / 20))
                .check((ops, setup) -> assertEquals(fingerprint(ops, setup), fingerprint(ops, setup)));
    }

    private static List<Object> fingerprint(List<Op> ops, Setup setup) {
        io.fifoactors.inmemory.Simulation.Builder b = io.fifoactors.inmemory.Simulation.builder()
                .configure(c -> c.register(Probe.PROBE)).consumers(setup.consumers()).batchSize(setup.batchSize())
                .faults(setup.faults()).seed(setup.seed());
        if (setup.queueRedrive() > 0) {
            b.queueRedrive(setup.queueRedrive());
        }
        try (io.fifoactors.inmemory.Simulation sim = b.build()) {
            Probe.clock = sim.clock();
            for (int i = 0; i < ops.size(); i++) {
                Op op = ops.get(i);
                var ref = Probe.PROBE.ref("k" + op.actor());
                sim.system().tell(ref, op.kind() == Kind.FORWARD ? new Probe.Forward("t" + i, "k" + op.other())
                        : new Probe.Append("t" + i), "in-" + i);
            }
            io.fifoactors.inmemory.Simulation.RunResult r = sim.run();
            List<Object> f = new ArrayList<>();
            f.add(r.traceHash());
            f.add(r.steps());
            f.add(r.outcomes());
            for (int k = 0; k < ACTORS; k++) {
                f.add(sim.system().inspect(Probe.PROBE, "k" + k).state());
            }
            return f;
        }
    }
}
