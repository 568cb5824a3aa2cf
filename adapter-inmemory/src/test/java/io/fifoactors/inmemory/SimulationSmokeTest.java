package io.fifoactors.inmemory;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulationSmokeTest {
    @Test
    void appendsAndForwardsArriveInOrderWithFaults() {
        try (Simulation sim = Simulation.builder().configure(b -> b.register(Recorder.REC))
                .consumers(4).seed(7).faults(FaultPlan.uniform(0.1)).build()) {
            List<String> expectedA = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                sim.system().tell(Recorder.REC.ref("a"), new Recorder.Forward("t" + i, "b"), "in-" + i);
                expectedA.add("t" + i);
            }
            Simulation.RunResult r = sim.run();
            assertTrue(r.settled(), r.toString());
            var a = sim.system().inspect(Recorder.REC, "a");
            var b = sim.system().inspect(Recorder.REC, "b");
            assertEquals(expectedA, a.state().entries(), r.toString());
            assertEquals(50, b.state().entries().size(), r.toString());
        }
    }

    @Test
    void storeCallsTakeTheStoreLatencyAndMailboxCallsTheirs() {
        FaultPlan plan = FaultPlan.builder().latency(Duration.ofMillis(1), Duration.ofMillis(1))
                .storeLatency(Duration.ofMillis(500), Duration.ofMillis(500)).build();
        assertEquals(Duration.ofMillis(500), plan.minStoreLatency());
        assertEquals(Duration.ofMillis(1), FaultPlan.builder().latency(Duration.ofMillis(1), Duration.ofMillis(1))
                .build().maxStoreLatency(), "the store takes the common latency unless set apart");
        Duration slowStore = oneAppend(plan);
        Duration slowMailbox = oneAppend(FaultPlan.builder().latency(Duration.ofMillis(500), Duration.ofMillis(500))
                .storeLatency(Duration.ofMillis(1), Duration.ofMillis(1)).build());
        // one message: a receive, a load and a commit, an acknowledgement; then idle receives until the end
        assertTrue(slowStore.compareTo(Duration.ofMillis(1000)) >= 0, "load + commit at 500 ms each: " + slowStore);
        assertTrue(slowMailbox.compareTo(Duration.ofMillis(1000)) >= 0, "receive + ack at 500 ms each: " + slowMailbox);
        assertTrue(slowStore.compareTo(Duration.ofMillis(1500)) < 0, "mailbox calls took 1 ms: " + slowStore);
    }

    private static Duration oneAppend(FaultPlan plan) {
        java.time.Instant start = java.time.Instant.parse("2026-01-01T00:00:00Z");
        try (Simulation sim = Simulation.builder().configure(b -> b.register(Recorder.REC)).consumers(1).seed(3)
                .start(start).faults(plan).build()) {
            sim.system().tell(Recorder.REC.ref("a"), new Recorder.Append("t"), "in-1");
            Simulation.RunResult r = sim.run();
            assertTrue(r.settled(), r.toString());
            return Duration.between(start, r.endTime());
        }
    }
}
