package io.fifoactors.benchmarks;

import io.fifoactors.benchmarks.jmh.FifoBatchFailuresBenchmark;
import io.fifoactors.benchmarks.jmh.ProcessBenchmark;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each benchmark runs once at a tiny size and produces numbers. Nothing here is timed: no assertion depends on how
 * fast anything ran, only on the run completing, producing positive figures and keeping the ledger's money.
 */
class BenchmarksSmokeTest {
    private static Main.Options tiny(String... more) {
        String[] base = {"--quick", "--b1-accounts", "50", "--b1-messages", "1000", "--b2-accounts", "6",
                "--b2-messages", "40", "--b3-accounts", "50", "--b3-messages", "300", "--b4-accounts", "20",
                "--b4-messages", "200"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return Main.Options.parse(all);
    }

    private static PrintStream sink(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    @Test
    void b1RunsEveryContender() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        List<RuntimeThroughput.Result> results = Main.b1(tiny(), sink(text));
        assertEquals(Runtime.getRuntime().availableProcessors() > 1 ? 5 : 4, results.size());
        for (RuntimeThroughput.Result r : results) {
            assertEquals(1000, r.external(), r.name());
            assertTrue(r.handled() > r.external(), r.name() + " handled the credits too");
            assertTrue(r.seconds() > 0, r.name());
            assertTrue(r.moneyConserved(), r.name() + " kept the money");
            assertEquals(0, r.failed(), r.name());
        }
        assertTrue(text.toString(StandardCharsets.UTF_8).contains("| fifo-actors (1 thread) |"));
    }

    @Test
    void b2CountsRequestsOnLocalServers() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        List<AwsRequests.Figures> figures = Main.b2(tiny(), sink(text));
        // three workloads (ledger, bursts of 5, bursts of 10) x six designs (four fifo-actors settings, two others)
        assertEquals(18, figures.size());
        assertEquals(java.util.Set.of("fifo-actors", "fifo-actors, record cache", "fifo-actors, runtime redrive",
                        "fifo-actors, runtime redrive + record cache", "naive single group", "idempotency records"),
                figures.stream().map(AwsRequests.Figures::design).collect(java.util.stream.Collectors.toSet()));
        for (AwsRequests.Figures f : figures) {
            assertTrue(f.handled() >= f.transactions(), f.design());
            assertTrue(f.consumer().all() > 0, f.design());
            assertTrue(f.consumer().get("SQS ReceiveMessage") > 0, f.design());
            assertTrue(f.consumer().writeUnits() > 0, f.design());
            assertTrue(f.conserved(), f.design() + " kept the money");
        }
        assertTrue(text.toString(StandardCharsets.UTF_8).contains("| idempotency records |"));
    }

    @Test
    void b3AndB4RunTheSimulator() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        List<SimulatorRuns.Figures> scaling = Main.b3(tiny(), sink(text));
        assertFalse(scaling.isEmpty());
        for (SimulatorRuns.Figures f : scaling) {
            assertTrue(f.settled(), f.design());
            assertTrue(f.simSeconds() > 0 && f.handled() > 0, f.design());
            assertTrue(f.conserved() == null || f.conserved(), f.design() + " kept the money");
        }
        List<SimulatorRuns.Figures> speed = Main.b4(tiny(), sink(text));
        assertEquals(3, speed.size());
        for (SimulatorRuns.Figures f : speed) {
            assertTrue(f.settled() && f.deliveries() >= f.transactions());
        }
        assertTrue(text.toString(StandardCharsets.UTF_8).contains("## B4"));
    }

    @Test
    void jmhBenchmarkMethodsRunOnce() {
        ProcessBenchmark p = new ProcessBenchmark();
        p.shape = "2x5";
        p.kind = "transfer";
        p.setup();
        assertEquals(10, p.process().succeeded().size());
        FifoBatchFailuresBenchmark f = new FifoBatchFailuresBenchmark();
        f.failures = "one";
        f.setup();
        assertFalse(f.failedWithSuffix().isEmpty());
        io.fifoactors.core.runtime.ControlCodecBenchmark c = new io.fifoactors.core.runtime.ControlCodecBenchmark();
        c.shape = "heavy";
        c.setup();
        byte[] encoded = c.encode();
        assertTrue(encoded.length > 16_000, "1,000 sender marks of 16 bytes each");
        Object decoded = c.decode();
        assertTrue(decoded != null);
    }

    @Test
    void profileSummaryNamesAreas() {
        assertEquals("JDK / other (no fifo-actors frame on the stack)", ProfileSummary.area(List.of()));
    }
}
