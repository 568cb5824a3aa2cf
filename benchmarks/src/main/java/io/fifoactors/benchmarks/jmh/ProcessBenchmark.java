package io.fifoactors.benchmarks.jmh;

import io.fifoactors.core.ActorRef;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.port.RedrivePolicy;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.BatchOutcome;
import io.fifoactors.core.runtime.MessageKeys;
import io.fifoactors.examples.ledger.AccountMessage;
import io.fifoactors.examples.ledger.Ledger;
import io.fifoactors.inmemory.InMemoryStateStore;
import io.fifoactors.inmemory.VirtualClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * JMH: {@code ActorSystem.process} on one batch of 10 ledger messages over {@link InMemoryStateStore}, per message,
 * with the runtime's defaults (no queue redrive policy: no clearing write after a send) and {@code inlineGroups()}.
 * <ul>
 *   <li>{@code shape}: {@code 10x1}: ten accounts, one message each (ten commits); {@code 2x5}: two accounts, five
 *       messages each (two commits: the fold).</li>
 *   <li>{@code kind}: {@code deposit}s (no outgoing message) or {@code transfer}s (each sends a credit). Sends go to
 *       a mailbox that discards them, so memory stays flat over millions of invocations; B1 runs the same path
 *       with the real in-memory mailbox and receives the credits.</li>
 * </ul>
 * Balances grow without bound (deposits, and transfers of 1 from accounts that are topped up), so every transfer
 * succeeds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ProcessBenchmark {
    @Param({"10x1", "2x5"})
    public String shape;

    @Param({"deposit", "transfer"})
    public String kind;

    private ActorSystem system;
    private List<String> groups;
    private int perGroup;
    private List<OutgoingMessage> samples;
    private long sequence = 10_000_000_000_000_000L;
    /** Made once: parsing it per delivery (as before) allocated about 1 KB per message in the measured operation. */
    private static final Instant SENT_AT = Instant.parse("2026-01-01T00:00:00Z");
    private long ids;

    @Setup
    public void setup() {
        VirtualClock clock = VirtualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
        system = ActorSystem.builder().register(Ledger.ACCOUNT)
                .stateStore(InMemoryStateStore.builder().clock(clock).build())
                .mailbox(new DiscardingMailbox()).scheduler(messages -> { }).clock(clock)
                .messageKeys(MessageKeys.forSimulation(1)).inlineGroups().build();
        int accounts = shape.equals("10x1") ? 10 : 2;
        perGroup = shape.equals("10x1") ? 1 : 5;
        groups = new ArrayList<>();
        List<Delivery> setup = new ArrayList<>();
        for (int i = 0; i < accounts; i++) {
            ActorRef<AccountMessage> ref = Ledger.account("acc-" + i);
            groups.add(ref.id().groupId());
            setup.add(delivery(system.encode(ref.tell(new AccountMessage.Open()), "open-" + i)));
            setup.add(delivery(system.encode(ref.tell(new AccountMessage.Deposit(1_000_000_000L)), "d-" + i)));
        }
        system.process(setup);
        samples = new ArrayList<>();
        for (int i = 0; i < accounts; i++) {
            ActorRef<AccountMessage> ref = Ledger.account("acc-" + i);
            ActorRef<AccountMessage> to = Ledger.account("acc-" + ((i + 1) % accounts));
            samples.add(kind.equals("deposit")
                    ? system.encode(ref.tell(new AccountMessage.Deposit(1)), "x")
                    : system.encode(ref.tell(new AccountMessage.Transfer("t", to, 1, 0)), "x"));
        }
    }

    private Delivery delivery(OutgoingMessage m) {
        long seq = ++sequence;
        return new Delivery(m.messageId(), m.groupId(), Long.toString(seq), 1, Instant.parse("2026-01-01T00:00:00Z"),
                m.attributes(), m.body(), "r");
    }

    @Benchmark
    @OperationsPerInvocation(10)
    public BatchOutcome process() {
        List<Delivery> batch = new ArrayList<>(10);
        for (int i = 0; i < groups.size(); i++) {
            OutgoingMessage m = samples.get(i);
            for (int k = 0; k < perGroup; k++) {
                long seq = ++sequence;
                batch.add(new Delivery("m-" + (++ids), groups.get(i), Long.toString(seq), 1, SENT_AT,
                        m.attributes(), m.body(), "r"));
            }
        }
        return system.process(batch);
    }

    /** Accepts and forgets every message. */
    static final class DiscardingMailbox implements Mailbox {
        @Override
        public void send(List<OutgoingMessage> messages) {
        }

        @Override
        public List<Delivery> receive(int maxMessages, Duration visibilityTimeout, Duration waitTime) {
            return List.of();
        }

        @Override
        public List<Delivery> acknowledge(List<Delivery> deliveries) {
            return List.of();
        }

        @Override
        public void retryAfter(List<Delivery> deliveries, Duration delay) {
        }

        @Override
        public void extendVisibility(List<Delivery> deliveries, Duration visibility) {
        }

        @Override
        public void deadLetter(DeadLetter letter) {
        }

        @Override
        public RedrivePolicy redrivePolicy() {
            return RedrivePolicy.none();
        }
    }
}
