package io.fifoactors.benchmarks;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.codec.JacksonCodec;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.port.StoredRecord;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.BatchOutcome;
import io.fifoactors.examples.ledger.Account;
import io.fifoactors.examples.ledger.Ledger;
import io.fifoactors.examples.ledger.LedgerTransaction;
import io.fifoactors.inmemory.InMemoryMailbox;
import io.fifoactors.inmemory.InMemoryStateStore;
import io.fifoactors.inmemory.VirtualClock;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * B1 for fifo-actors: {@link ActorSystem#process} driven directly on batches of deliveries built in memory, over
 * {@link InMemoryStateStore} and {@link InMemoryMailbox} (every outgoing credit really goes through
 * {@code InMemoryMailbox.send}). No simulator, no receive: what is measured is the runtime (decode, handler, fold,
 * encode, conditional commit, outbox flush and clear) plus the in-memory ports.
 *
 * <p>With {@code threads > 1}, accounts are partitioned by group id over worker threads (as SQS FIFO hands a group to
 * one consumer at a time); each worker builds batches of up to {@code batchSize} deliveries from its own transactions
 * and from the credits sent to its accounts, credits first, in the order they were sent.
 */
final class RuntimeThroughput {
    private RuntimeThroughput() {
    }

    /**
     * @param avgStateBytes   fifo-actors only: mean size of an actor's state bytes at the end (NaN for others)
     * @param avgControlBytes fifo-actors only: mean size of an actor's control record at the end
     * @param workerCpuSeconds fifo-actors only: CPU time of the worker threads in the timed phase (the runtime's own
     *                         cost, less sensitive than the wall time to other processes on the machine; excludes
     *                         GC and JIT threads)
     */
    record Result(String name, long external, long handled, double seconds, long failed, boolean moneyConserved,
                  double avgStateBytes, double avgControlBytes, double workerCpuSeconds) {
        double externalPerSecond() {
            return external / seconds;
        }

        double handledPerSecond() {
            return handled / seconds;
        }
    }

    static Result run(LedgerWorkload w, int threads, int batchSize) {
        VirtualClock clock = VirtualClock.at(Domain.NOW);
        InMemoryStateStore store = InMemoryStateStore.create();
        InMemoryMailbox inner = InMemoryMailbox.builder().clock(clock).build();
        Partitions partitions = new Partitions(threads);
        CapturingMailbox mailbox = new CapturingMailbox(inner, partitions);
        ActorSystem system = ActorSystem.builder()
                .register(Ledger.ACCOUNT)
                .stateStore(store).mailbox(mailbox).clock(clock).codec(JacksonCodec.create())
                .build();

        // encoding what producers send is the producer's cost, not the runtime's: done before the clock starts
        List<List<OutgoingMessage>> opens = split(encode(system, w.opens()), partitions);
        List<List<OutgoingMessage>> txs = split(encode(system, w.transactions()), partitions);
        AtomicLong sequence = new AtomicLong(10_000_000_000_000_000L);

        runPhase(system, opens, partitions, sequence, batchSize, null, null);
        mailbox.resetCounters();
        long t0 = System.nanoTime();
        long[] failed = new long[1];
        long[] cpu = new long[1];
        runPhase(system, txs, partitions, sequence, batchSize, failed, cpu);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long handled = w.transactions().size() + mailbox.captured.get();

        long balances = 0;
        long deposited = 0;
        long stateBytes = 0;
        long controlBytes = 0;
        JacksonCodec codec = JacksonCodec.create();
        List<ActorId> ids = store.actorIds();
        for (ActorId id : ids) {
            StoredRecord r = store.load(id).orElseThrow();
            stateBytes += r.state().length;
            controlBytes += r.control().length;
            Account a = codec.decode(r.state(), Account.class);
            balances += a.balance();
            deposited += a.deposited();
        }
        boolean conserved = balances == w.depositTotal() && deposited == w.depositTotal();
        return new Result("fifo-actors (" + threads + (threads == 1 ? " thread" : " threads") + ")",
                w.transactions().size(), handled, seconds, failed[0], conserved,
                stateBytes / (double) ids.size(), controlBytes / (double) ids.size(), cpu[0] / 1e9);
    }

    private static List<OutgoingMessage> encode(ActorSystem system, List<LedgerTransaction> txs) {
        List<OutgoingMessage> out = new ArrayList<>(txs.size());
        for (LedgerTransaction tx : txs) {
            out.add(system.encodeExternal(Ledger.account(tx.account()), tx.toMessage(), tx.id()));
        }
        return out;
    }

    private static List<List<OutgoingMessage>> split(List<OutgoingMessage> all, Partitions p) {
        List<List<OutgoingMessage>> parts = new ArrayList<>();
        for (int i = 0; i < p.count; i++) {
            parts.add(new ArrayList<>());
        }
        for (OutgoingMessage m : all) {
            parts.get(p.of(m.groupId())).add(m);
        }
        return parts;
    }

    /** Runs the workers until every external message and every credit it caused is processed. */
    private static void runPhase(ActorSystem system, List<List<OutgoingMessage>> external, Partitions partitions,
                                 AtomicLong sequence, int batchSize, long[] failedOut, long[] cpuNanosOut) {
        long total = 0;
        for (List<OutgoingMessage> part : external) {
            total += part.size();
        }
        AtomicLong externalLeft = new AtomicLong(total);
        AtomicLong failed = new AtomicLong();
        AtomicLong cpuNanos = new AtomicLong();
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        List<Thread> workers = new ArrayList<>();
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int p = 0; p < partitions.count; p++) {
            final int part = p;
            Thread t = new Thread(() -> {
                long cpu0 = threads.getCurrentThreadCpuTime();
                try {
                    work(system, external.get(part), partitions, part, sequence, batchSize, externalLeft, failed);
                    cpuNanos.addAndGet(threads.getCurrentThreadCpuTime() - cpu0);
                } catch (Throwable e) {
                    errors.add(e);
                    externalLeft.set(0);
                    partitions.outstanding.set(0);
                }
            }, "b1-worker-" + p);
            workers.add(t);
            t.start();
        }
        for (Thread t : workers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException("a B1 worker failed", errors.get(0));
        }
        if (failedOut != null) {
            failedOut[0] = failed.get();
        }
        if (cpuNanosOut != null) {
            cpuNanosOut[0] = cpuNanos.get();
        }
    }

    private static void work(ActorSystem system, List<OutgoingMessage> mine, Partitions partitions, int part,
                             AtomicLong sequence, int batchSize, AtomicLong externalLeft, AtomicLong failed) {
        ConcurrentLinkedQueue<OutgoingMessage> credits = partitions.queues.get(part);
        Instant sentAt = Domain.NOW;
        int next = 0;
        List<Delivery> batch = new ArrayList<>(batchSize);
        while (true) {
            batch.clear();
            int fromCredits = 0;
            OutgoingMessage m;
            while (batch.size() < batchSize && (m = credits.poll()) != null) {
                batch.add(delivery(m, sequence, sentAt));
                fromCredits++;
            }
            int fromExternal = 0;
            while (batch.size() < batchSize && next < mine.size()) {
                batch.add(delivery(mine.get(next++), sequence, sentAt));
                fromExternal++;
            }
            if (batch.isEmpty()) {
                if (externalLeft.get() == 0 && partitions.outstanding.get() == 0) {
                    return;
                }
                Thread.onSpinWait();
                continue;
            }
            BatchOutcome outcome = system.process(batch);
            if (!outcome.failed().isEmpty()) {
                failed.addAndGet(outcome.failed().size());
            }
            if (fromCredits > 0) {
                partitions.outstanding.addAndGet(-fromCredits);
            }
            if (fromExternal > 0) {
                externalLeft.addAndGet(-fromExternal);
            }
        }
    }

    private static Delivery delivery(OutgoingMessage m, AtomicLong sequence, Instant sentAt) {
        long seq = sequence.incrementAndGet();
        return new Delivery(m.messageId(), m.groupId(), Long.toString(seq), 1, sentAt, m.attributes(), m.body(),
                "r-" + seq);
    }

    /** Accounts split over workers by group id. */
    static final class Partitions {
        final int count;
        final List<ConcurrentLinkedQueue<OutgoingMessage>> queues = new ArrayList<>();
        final AtomicLong outstanding = new AtomicLong();

        Partitions(int count) {
            this.count = count;
            for (int i = 0; i < count; i++) {
                queues.add(new ConcurrentLinkedQueue<>());
            }
        }

        int of(String groupId) {
            return (groupId.hashCode() & 0x7fffffff) % count;
        }
    }

    /**
     * The in-memory mailbox, plus a copy of every sent message handed to the worker that owns its group (standing in
     * for the receive, which is not what B1 measures).
     */
    static final class CapturingMailbox implements Mailbox {
        private final InMemoryMailbox inner;
        private final Partitions partitions;
        final AtomicLong captured = new AtomicLong();

        CapturingMailbox(InMemoryMailbox inner, Partitions partitions) {
            this.inner = inner;
            this.partitions = partitions;
        }

        void resetCounters() {
            captured.set(0);
        }

        @Override
        public void send(List<OutgoingMessage> messages) {
            inner.send(messages);
            partitions.outstanding.addAndGet(messages.size());
            captured.addAndGet(messages.size());
            for (OutgoingMessage m : messages) {
                partitions.queues.get(partitions.of(m.groupId())).add(m);
            }
        }

        @Override
        public List<Delivery> receive(int maxMessages, Duration visibilityTimeout, Duration waitTime) {
            throw new UnsupportedOperationException("B1 builds its batches itself");
        }

        @Override
        public List<Delivery> acknowledge(List<Delivery> deliveries) {
            return inner.acknowledge(deliveries);
        }

        @Override
        public void release(List<Delivery> deliveries, Duration delay) {
            inner.release(deliveries, delay);
        }

        @Override
        public void deadLetter(DeadLetter letter) {
            inner.deadLetter(letter);
        }
    }
}
