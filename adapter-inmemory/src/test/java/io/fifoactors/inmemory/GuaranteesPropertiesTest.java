package io.fifoactors.inmemory;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fifoactors.core.ActorId;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.runtime.Envelope;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

import java.io.IOException;
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
 * G1-G4 under random workloads and random fault schedules, checked on the Recorder actor's logs and the dead-letter
 * queue. A failure message carries the simulation seed and the tail of its trace; jqwik prints the shrunk workload.
 */
class GuaranteesPropertiesTest {
    enum Kind { APPEND, FORWARD, POISON, FLAKY, MALFORMED, UNKNOWN_TYPE }

    record Op(Kind kind, int actor, int forwardTo) {
    }

    /**
     * {@code switches}: bit 0 stalls past the dedup window, bit 1 the record cache, bit 2 runtime redrive instead of
     * the queue's, bits 3-4 the redrive receive count (15, or a low 2-4 so that redrives after a commit happen).
     */
    record Setup(int consumers, int batchSize, double crash, double transientRate, double stall, long seed,
                 int switches) {
        boolean pastDedupWindow() {
            return (switches & 1) != 0;
        }

        boolean recordCache() {
            return (switches & 2) != 0;
        }

        boolean runtimeRedrive() {
            return (switches & 4) != 0;
        }

        int redriveAfter() {
            int k = (switches >> 3) & 3;
            return k == 0 ? 15 : k + 1;
        }

        /** A stall past SQS's 5-minute deduplication window makes late re-sends reach the receiver. */
        Duration stallFor() {
            return pastDedupWindow() ? Duration.ofMinutes(7) : Duration.ofSeconds(45);
        }
    }

    @Provide
    Arbitrary<List<Op>> workloads() {
        Arbitrary<Kind> kinds = Arbitraries.frequency(
                net.jqwik.api.Tuple.of(10, Kind.APPEND), net.jqwik.api.Tuple.of(6, Kind.FORWARD),
                net.jqwik.api.Tuple.of(1, Kind.POISON), net.jqwik.api.Tuple.of(2, Kind.FLAKY),
                net.jqwik.api.Tuple.of(1, Kind.MALFORMED), net.jqwik.api.Tuple.of(1, Kind.UNKNOWN_TYPE));
        Arbitrary<Op> op = Combinators.combine(kinds, Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, 5)).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(40);
    }

    @Provide
    Arbitrary<Setup> setups() {
        return Combinators.combine(Arbitraries.integers().between(1, 6), Arbitraries.integers().between(1, 10),
                Arbitraries.doubles().between(0, 0.06), Arbitraries.doubles().between(0, 0.06),
                Arbitraries.doubles().between(0, 0.03), Arbitraries.longs(), Arbitraries.integers().between(0, 31))
                .as(Setup::new);
    }

    @Property(shrinking = ShrinkingMode.FULL)
    void everyMessageIsAppliedOnceInOrderOrDeadLettered(@ForAll("workloads") List<Op> ops,
                                                        @ForAll("setups") Setup setup) throws IOException {
        try (Simulation sim = Simulation.builder()
                .configure(b -> b.register(Recorder.REC).recordCache(setup.recordCache() ? 16 : 0))
                .consumers(setup.consumers()).batchSize(setup.batchSize()).seed(setup.seed())
                .runtimeRedrive(setup.runtimeRedrive()).redriveMaxReceiveCount(setup.redriveAfter())
                .faults(FaultPlan.builder().crashRate(setup.crash()).transientRate(setup.transientRate())
                        .stallRate(setup.stall()).stall(setup.stallFor()).build())
                .build()) {
            Map<String, String> tagById = new HashMap<>();
            Map<Integer, List<String>> ingressTags = new HashMap<>();
            Set<String> poisonIds = new HashSet<>();
            Set<String> malformedIds = new HashSet<>();
            for (int i = 0; i < ops.size(); i++) {
                Op op = ops.get(i);
                String id = "in-" + i;
                String tag = "t" + i;
                ActorId target = ActorId.of("rec", "k" + op.actor());
                switch (op.kind()) {
                    case APPEND -> sim.system().send(target, new Recorder.Append(tag), id);
                    case FORWARD -> sim.system().send(target, new Recorder.Forward(tag, "k" + op.forwardTo()), id);
                    case FLAKY -> sim.system().send(target, new Recorder.Flaky(tag, 2 + (i % 2)), id);
                    case POISON -> sim.system().send(target, new Recorder.Poison(tag), id);
                    case MALFORMED -> sim.mailbox().send(List.of(new OutgoingMessage(target.groupId(), id,
                            Map.of(Envelope.TYPE, "Append"), "{\"tag\":".getBytes(StandardCharsets.UTF_8))));
                    case UNKNOWN_TYPE -> sim.mailbox().send(List.of(new OutgoingMessage(target.groupId(), id,
                            Map.of(Envelope.TYPE, "Nope"), "{}".getBytes(StandardCharsets.UTF_8))));
                }
                switch (op.kind()) {
                    case POISON -> poisonIds.add(id);
                    case MALFORMED, UNKNOWN_TYPE -> malformedIds.add(id);
                    default -> {
                        tagById.put(id, tag);
                        ingressTags.computeIfAbsent(op.actor(), k -> new ArrayList<>()).add(tag);
                    }
                }
            }
            Simulation.RunResult first = sim.run();
            assertTrue(first.settled(), "did not settle: " + first);
            // Outgoing messages stranded by a queue redrive go out at the actor's next activation; a wake is one.
            // With few receives before a redrive a wake can be redriven too: wake again until every actor ran one.
            Simulation.RunResult run = first;
            for (int round = 0; round < 100; round++) {
                Set<String> wakes = new HashSet<>();
                for (int k = 0; k < 6; k++) {
                    String id = "wake-" + round + "-k" + k;
                    wakes.add(id);
                    sim.system().wake(ActorId.of("rec", "k" + k), id);
                }
                run = sim.run();
                assertTrue(run.settled(), "did not settle: " + run);
                if (sim.mailbox().deadLetters().stream().noneMatch(d -> wakes.contains(d.messageId()))) {
                    break;
                }
            }
            String context = "seed " + setup.seed() + "; " + run.replayHint() + "; " + run;
            assertTrue(run.settled(), "did not settle: " + context);

            List<DeadLetter> dead = sim.mailbox().deadLetters();
            Set<String> deadIds = new HashSet<>();
            Set<String> deadForwardedTags = new HashSet<>();
            ObjectMapper json = new ObjectMapper();
            for (DeadLetter d : dead) {
                deadIds.add(d.messageId());
                if ("Forwarded".equals(d.attributes().get(Envelope.TYPE))) {
                    deadForwardedTags.add(json.readTree(d.body()).get("tag").asText());
                }
            }
            assertTrue(deadIds.containsAll(poisonIds), "poison not dead-lettered: " + context);
            assertTrue(deadIds.containsAll(malformedIds), "malformed not dead-lettered: " + context);

            Map<Integer, List<String>> logs = new LinkedHashMap<>();
            Map<Integer, List<String>> forwardedBy = new HashMap<>();
            for (int k = 0; k < 6; k++) {
                List<String> entries = sim.system().inspect(ActorId.of("rec", "k" + k), Recorder.Log.class)
                        .state().entries();
                assertEquals(new HashSet<>(entries).size(), entries.size(), "an entry applied twice at k" + k
                        + ": " + entries + "; " + context);
                List<String> direct = new ArrayList<>();
                for (String e : entries) {
                    if (e.startsWith("from ")) {
                        String from = e.substring(5, e.indexOf(':'));
                        forwardedBy.computeIfAbsent(Integer.parseInt(from.substring(1)) * 10 + k,
                                x -> new ArrayList<>()).add(e.substring(e.indexOf(':') + 2));
                    } else {
                        direct.add(e);
                    }
                }
                logs.put(k, direct);
                // G1: applied in enqueue order; G2/G4: each message applied once or dead-lettered
                List<String> expected = new ArrayList<>(ingressTags.getOrDefault(k, List.of()));
                List<String> missing = new ArrayList<>(expected);
                missing.removeAll(direct);
                for (String tag : missing) {
                    String id = "in-" + tag.substring(1);
                    assertTrue(deadIds.contains(id), "message " + id + " (" + tag + ") for k" + k
                            + " neither applied nor dead-lettered: " + context);
                }
                expected.retainAll(direct);
                assertEquals(expected, direct, "k" + k + " applied out of order or applied a stranger: " + context);
            }
            // G3: what A forwarded to B arrives at B once each, in A's order (or dead-lettered)
            for (Op op : ops) {
                if (op.kind() != Kind.FORWARD) {
                    continue;
                }
                int a = op.actor();
                int b = op.forwardTo();
                List<String> sentInOrder = new ArrayList<>();
                for (int i = 0; i < ops.size(); i++) {
                    Op o = ops.get(i);
                    if (o.kind() == Kind.FORWARD && o.actor() == a && o.forwardTo() == b
                            && logs.get(a).contains("t" + i)) {
                        sentInOrder.add("t" + i);
                    }
                }
                List<String> arrived = forwardedBy.getOrDefault(a * 10 + b, List.of());
                List<String> expected = new ArrayList<>(sentInOrder);
                expected.removeIf(deadForwardedTags::contains);
                List<String> arrivedNotDead = new ArrayList<>(arrived);
                arrivedNotDead.removeIf(deadForwardedTags::contains);
                assertEquals(expected, arrivedNotDead, "forwarded k" + a + " -> k" + b + ": " + context);
                assertTrue(sentInOrder.containsAll(arrived), "k" + b + " got a forward k" + a
                        + " never applied: " + context);
            }
        }
    }

    /**
     * Cases the property found, kept as examples. {@code spec}: A(ppend), F(orward) to the next digit, P(oison),
     * M(alformed), each followed by the actor.
     */
    @Example
    void foundAStaleCachedRecordHidingAnOutboxStrandedByRedrive() throws IOException {
        everyMessageIsAppliedOnceInOrderOrDeadLettered(ops("A2 A0 A0 A0 A0 A0 A0 A0 A0 A0 A0 A0 A0 A0 A0 A0 A0 A4 A1 A1 A1"
                + " A1 F00 F10 F30 P1 A1 P2 F20 P4"), new Setup(4, 7, 0.0, 0.04, 0.03, 121393, 18));
    }

    @Example
    void foundAWakeRedrivenBeforeItRan() throws IOException {
        everyMessageIsAppliedOnceInOrderOrDeadLettered(ops("A0 A0 A0 A0 A0 A0 A0 A0 A0 A0 A0 A0 A1 A1 A1 A1 A1 A1 F10"
                + " F20 A3"), new Setup(4, 6, 0.05, 0.02, 0.0, 1268922112181421877L, 8));
    }

    @Example
    void foundAStalledConsumerApplyingAMessageTheRuntimeHadDeadLettered() throws IOException {
        everyMessageIsAppliedOnceInOrderOrDeadLettered(ops("A1 A1 A4 A2 A0 A0 A0 A0 A0 A0 A0 A0 A0 A0 A0 A1 A1 A1 A3 F10"
                + " P1 P5 M4 F40"), new Setup(4, 7, 0.02, 0.05, 0.03, -7633, 13));
    }

    private static List<Op> ops(String spec) {
        List<Op> ops = new ArrayList<>();
        for (String t : spec.split(" ")) {
            Kind k = switch (t.charAt(0)) {
                case 'A' -> Kind.APPEND;
                case 'F' -> Kind.FORWARD;
                case 'M' -> Kind.MALFORMED;
                default -> Kind.POISON;
            };
            ops.add(new Op(k, t.charAt(1) - '0', t.length() > 2 ? t.charAt(2) - '0' : 0));
        }
        return ops;
    }

    @Property(tries = 50)
    void theSameSeedGivesTheSameRun(@ForAll("workloads") List<Op> ops, @ForAll("setups") Setup setup) {
        List<Object> first = runOnce(ops, setup);
        List<Object> second = runOnce(ops, setup);
        assertEquals(first, second);
    }

    private static List<Object> runOnce(List<Op> ops, Setup setup) {
        try (Simulation sim = Simulation.builder()
                .configure(b -> b.register(Recorder.REC).recordCache(setup.recordCache() ? 16 : 0))
                .consumers(setup.consumers()).batchSize(setup.batchSize()).seed(setup.seed())
                .runtimeRedrive(setup.runtimeRedrive()).redriveMaxReceiveCount(setup.redriveAfter())
                .faults(FaultPlan.builder().crashRate(setup.crash()).transientRate(setup.transientRate())
                        .stallRate(setup.stall()).stall(setup.stallFor()).build())
                .build()) {
            for (int i = 0; i < ops.size(); i++) {
                Op op = ops.get(i);
                ActorId target = ActorId.of("rec", "k" + op.actor());
                sim.system().send(target, op.kind() == Kind.FORWARD
                        ? new Recorder.Forward("t" + i, "k" + op.forwardTo()) : new Recorder.Append("t" + i), "in-" + i);
            }
            Simulation.RunResult r = sim.run();
            List<Object> fingerprint = new ArrayList<>();
            fingerprint.add(r.traceHash());
            fingerprint.add(r.steps());
            fingerprint.add(r.outcomes());
            for (int k = 0; k < 6; k++) {
                fingerprint.add(sim.system().inspect(ActorId.of("rec", "k" + k), Recorder.Log.class).state());
            }
            return fingerprint;
        }
    }
}
