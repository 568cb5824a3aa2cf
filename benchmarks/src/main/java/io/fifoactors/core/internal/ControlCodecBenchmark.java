package io.fifoactors.core.internal;

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

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * JMH: the actor record's control codec ({@code Control.encode} / {@code Control.decode}), which runs on every load
 * and every commit. Lives in the runtime's internal package because the codec is package-private; compiled into the
 * benchmarks module only (a split package on the class path, never in a library jar). It follows the internals, so
 * it may need a change when they change.
 *
 * <ul>
 *   <li>{@code fresh}: a new actor (what most commits of a young actor carry).</li>
 *   <li>{@code typical}: the defaults' bounds reached: 16 sender marks ({@code hotMarks}), 3 kept rejections
 *       ({@code keptRejections}), one outbox entry (a ledger account after a while).</li>
 *   <li>{@code heavy}: 1,000 sender marks, 20 rejections, 10 stashed messages.</li>
 * </ul>
 *
 * <p>{@code creditCycle}: what a credit from a known sender costs the record: decode, advance that sender's mark,
 * encode.</p>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ControlCodecBenchmark {
    @Param({"fresh", "typical", "heavy"})
    public String shape;

    private Control control;
    private byte[] bytes;
    private long seq = 1_000_000;

    @Setup
    public void setup() {
        control = new Control();
        control.appliedSeq = "18446744073709551615000001";
        control.applied = 1234;
        if (!shape.equals("fresh")) {
            int marks = shape.equals("heavy") ? 1000 : 16;
            for (int i = 0; i < marks; i++) {
                control.advanceMark(Mark.senderKey("account/acc-" + i), i + 1, 1_700_000_000_000L + i);
            }
            int rejections = shape.equals("heavy") ? 20 : 3;
            for (int i = 0; i < rejections; i++) {
                control.recordRejection(new Rejection("tx-" + i, "Transfer", "insufficient funds",
                        1_700_000_000_000L + i), rejections);
            }
            control.outSeq = 17;
            control.outbox.add(new OutboxEntry.Message(17, 1_700_000_000_000L, "account/acc-00042", "Credit",
                    "{\"transferId\":\"tx-991\",\"from\":\"account/acc-00001\",\"amount\":250}"
                            .getBytes(StandardCharsets.UTF_8)));
        }
        if (shape.equals("heavy")) {
            for (int i = 0; i < 10; i++) {
                control.stash.add(new Stashed("tx-s" + i, "Transfer",
                        "{\"transferId\":\"tx-s\",\"to\":\"account/acc-00002\",\"amount\":5,\"waitMillis\":60000}"
                                .getBytes(StandardCharsets.UTF_8), Optional.empty(), Optional.empty(),
                        1_700_000_000_000L, 1, 1_700_000_060_000L, Optional.empty()));
            }
        }
        bytes = control.encode();
    }

    @Benchmark
    public byte[] encode() {
        return control.encode();
    }

    @Benchmark
    public Object decode() {
        return Control.decode(bytes);
    }

    @Benchmark
    public byte[] creditCycle() {
        Control c = Control.decode(bytes);
        c.advanceMark(Mark.senderKey(shape.equals("fresh") ? "account/acc-0" : "account/acc-7"), ++seq,
                1_700_000_100_000L);
        return c.encode();
    }

    /** The encoded size, for the smoke test. */
    public int encodedSize() {
        return bytes.length;
    }
}
