package io.fifoactors.core.runtime;

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
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * JMH: the control record's binary codec ({@link ActorControl#encode} / {@link ActorControl#decode}), which runs on
 * every load and every commit. Lives in the runtime's package because the codec is package-private; compiled into
 * the benchmarks module only (a split package on the class path, never in a library jar).
 *
 * <ul>
 *   <li>{@code fresh}: a new actor (what most commits of a young actor carry).</li>
 *   <li>{@code typical}: 20 sender marks, 20 kept rejections, one outbox entry (a ledger account after a while).</li>
 *   <li>{@code heavy}: 1,000 sender marks (the default bound), 20 rejections, 10 stashed messages.</li>
 * </ul>
 *
 * <p>{@code creditCycle}: what a credit from a known sender costs the record: decode, check and advance that sender's
 * mark, encode.</p>
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

    private ActorControl control;
    private byte[] bytes;

    @Setup
    public void setup() {
        control = new ActorControl();
        control.appliedSeq = "18446744073709551615000001";
        control.applied = 1234;
        if (!shape.equals("fresh")) {
            int marks = shape.equals("heavy") ? 1000 : 20;
            for (int i = 0; i < marks; i++) {
                control.advanceSenderMark("account/acc-" + i, i + 1, 10_000);
            }
            for (int i = 0; i < 20; i++) {
                control.recordRejection(new RejectionRecord("tx-" + i, "Transfer", "insufficient funds",
                        Instant.ofEpochMilli(1_700_000_000_000L + i)), 20);
            }
            control.outSeq = 17;
            control.outbox.add(new OutboxEntry(17, "account/acc-00042", "0123456789abcdef01234567-17",
                    Map.of(Envelope.TYPE, "Credit", Envelope.SENDER, "account/acc-00001", Envelope.SENDER_SEQ, "17"),
                    "{\"transferId\":\"tx-991\",\"from\":\"acc-00001\",\"amount\":250}"
                            .getBytes(StandardCharsets.UTF_8)));
        }
        if (shape.equals("heavy")) {
            for (int i = 0; i < 10; i++) {
                control.stash.add(new Stashed("tx-s" + i, "Transfer",
                        "{\"transferId\":\"tx-s\",\"to\":\"acc-00002\",\"amount\":5,\"waitMillis\":60000}"
                                .getBytes(StandardCharsets.UTF_8), null, 0, 1_700_000_000_000L, 1,
                        1_700_000_060_000L, null));
            }
        }
        bytes = control.encode();
    }

    @Benchmark
    public byte[] encode() {
        return control.encode();
    }

    @Benchmark
    public ActorControl decode() {
        return ActorControl.decode(bytes);
    }

    private long seq = 1_000_000;

    @Benchmark
    public byte[] creditCycle() {
        ActorControl c = ActorControl.decode(bytes);
        String sender = shape.equals("fresh") ? "account/acc-0" : "account/acc-7";
        if (!c.isDuplicateFromSender(sender, ++seq)) {
            c.advanceSenderMark(sender, seq, 1000);
        }
        return c.encode();
    }
}
