package io.fifoactors.benchmarks;

import io.fifoactors.benchmarks.jmh.FifoBatchFailuresBenchmark;
import io.fifoactors.benchmarks.jmh.ProcessBenchmark;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each benchmark runs once at a tiny size and produces numbers. Nothing here is timed: no assertion depends on how
 * fast anything ran, only on the run completing, producing positive figures and keeping the ledger's money.
 */
class BenchmarksSmokeTest {
    private static Main.Options tiny() {
        return Main.Options.parse(new String[] {"--quick", "--b1-accounts", "50", "--b1-messages", "1000",
                "--item-accounts", "10", "--b2-accounts", "4", "--b2-messages", "20", "--b2-workloads", "plain", "--b3-accounts", "50",
                "--b3-messages", "300", "--b4-accounts", "20", "--b4-messages", "200"});
    }

    private static PrintStream sink(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    @Test
    void b1RunsEveryContender() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Main.B1 b1 = Main.b1(tiny(), sink(text));
        assertEquals(4, b1.results().size());
        for (RuntimeThroughput.Result r : b1.results()) {
            assertEquals(1000, r.external(), r.name());
            assertTrue(r.handled() > r.external(), r.name() + " handled the credits too");
            assertTrue(r.seconds() > 0, r.name());
            assertTrue(r.allocatedBytes() > 0, r.name());
            assertTrue(r.moneyConserved(), r.name() + " kept the money");
            assertEquals(0, r.failed(), r.name());
        }
        assertEquals(Set.of(50, 10), b1.itemSizes().keySet());
        assertTrue(b1.itemSizes().get(50).length == 50 && b1.itemSizes().get(50)[0] > 0);
        assertFalse(Main.b1Targets(b1).isEmpty());
        assertTrue(text.toString(StandardCharsets.UTF_8).contains("| fifo-actors (Poller, 2 consumers) |"));
    }

    @Test
    void b2CountsRequestsUnitsAndDollarsOnLocalServers() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        List<AwsRequests.Figures> figures = Main.b2(tiny(), sink(text));
        // one workload (plain; bursts and backlog only change the workload) x five designs
        assertEquals(5, figures.size());
        assertEquals(Set.of(AwsRequests.DEFAULTS, AwsRequests.REDRIVE, AwsRequests.CACHE, AwsRequests.NAIVE,
                AwsRequests.IDEMPOTENCY), figures.stream().map(AwsRequests.Figures::design).collect(Collectors.toSet()));
        for (AwsRequests.Figures f : figures) {
            assertTrue(f.handled() >= f.transactions(), f.design());
            assertTrue(f.consumer().get("SQS ReceiveMessage") > 0, f.design());
            assertTrue(f.consumer().writeUnits() > 0, f.design());
            assertTrue(f.dollarsPerMillion() > 0, f.design());
            assertTrue(f.conserved(), f.design() + " kept the money");
            if (f.design().startsWith("fifo-actors")) {
                assertEquals(4, f.itemSizes().length, f.design());
            }
        }
        assertFalse(Main.b2Targets(figures, null).isEmpty());
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
    }

    @Test
    void profileSummaryNamesAreas() {
        assertEquals("JDK / other (no fifo-actors frame on the stack)", ProfileSummary.area(List.of()));
    }
}
