package io.fifoactors.inmemory;

import io.fifoactors.core.ActorId;
import org.junit.jupiter.api.Test;

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
                sim.system().send(ActorId.of("rec", "a"), new Recorder.Forward("t" + i, "b"), "in-" + i);
                expectedA.add("t" + i);
            }
            Simulation.RunResult r = sim.run();
            assertTrue(r.settled(), r.toString());
            var a = sim.system().inspect(ActorId.of("rec", "a"), Recorder.Log.class);
            var b = sim.system().inspect(ActorId.of("rec", "b"), Recorder.Log.class);
            assertEquals(expectedA, a.state().entries(), r.toString());
            assertEquals(50, b.state().entries().size(), r.toString());
            System.out.println(r);
        }
    }
}
