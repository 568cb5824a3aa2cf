package io.fifoactors.benchmarks.jmh;

import io.fifoactors.core.runtime.FifoBatchFailures;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * JMH: the FIFO batch-failure rule on a batch of 10 (4 groups), with no failure, or one failure in the middle of a
 * group (that message and the group's later ones fail).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FifoBatchFailuresBenchmark {
    /** One message of a batch. */
    public record Item(String group, int index) {
    }

    @Param({"none", "one"})
    public String failures;

    private List<Item> batch;
    private int failing;

    @Setup
    public void setup() {
        batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(new Item("account/acc-0000" + (i % 4), i));
        }
        failing = failures.equals("none") ? -1 : 5;
    }

    @Benchmark
    public List<Item> failedWithSuffix() {
        return FifoBatchFailures.failedWithSuffix(batch, Item::group, it -> it.index() == failing);
    }
}
