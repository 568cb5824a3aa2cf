package io.fifoactors.benchmarks;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.codec.JacksonCodec;
import io.fifoactors.core.port.StoredRecord;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.Ingress;
import io.fifoactors.core.runtime.MessageKeys;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.core.runtime.OutcomeListener;
import io.fifoactors.core.runtime.Poller;
import io.fifoactors.dynamodb.DynamoDbStateStore;
import io.fifoactors.examples.ledger.Account;
import io.fifoactors.examples.ledger.Ledger;
import io.fifoactors.examples.ledger.LedgerTransaction;
import io.fifoactors.inmemory.InMemoryMailbox;
import io.fifoactors.inmemory.InMemoryStateStore;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * B1 for fifo-actors: the whole consumer loop over the in-memory adapter, in real time. A {@link Poller} runs
 * {@code consumers} receive loops (one thread each) on an {@link InMemoryMailbox} (no redrive policy: the runtime's
 * defaults) and an {@link InMemoryStateStore}: each loop receives up to 10 messages (long polling, no spinning),
 * the {@link ActorSystem} processes them with {@code inlineGroups()} (the consumer thread runs its batch's actors
 * itself, one after the other, instead of handing them to a group pool), and the loop acknowledges them. The
 * producer, on the calling thread, sends the transactions through {@link Ingress} in batches of 10, inside the timed
 * section (Pekko's figures include its tells and mailboxes). The run ends when the mailbox is empty: every
 * transaction and every credit it caused has been received, processed and acknowledged.
 */
final class RuntimeThroughput {
    private RuntimeThroughput() {
    }

    /**
     * One contender's run.
     *
     * @param external       the transactions sent
     * @param handled        messages handled: the transactions and the credits they caused
     * @param allocatedBytes heap bytes allocated by the JVM's threads in the timed phase ({@link ThreadCost})
     * @param cpuNanos       CPU time of the JVM's threads in the timed phase (GC and JIT not counted)
     * @param gcMillis       the garbage collectors' time in the timed phase ({@link ThreadCost})
     * @param itemSizes      fifo-actors only: each actor's record at the end, as DynamoDB would bill its item
     *                       ({@link DynamoDbStateStore#itemSizeBytes}), sorted; empty for others
     */
    record Result(String name, long external, long handled, double seconds, long failed, boolean moneyConserved,
                  long allocatedBytes, long cpuNanos, long producerBytes, long producerCpuNanos, long gcMillis,
                  long[] itemSizes, String note) {
        double externalPerSecond() {
            return external / seconds;
        }

        double handledPerSecond() {
            return handled / seconds;
        }

        double bytesPerHandled() {
            return allocatedBytes / (double) handled;
        }

        double cpuMicrosPerHandled() {
            return cpuNanos / 1e3 / handled;
        }
    }

    /** Settled outcomes, by kind. */
    private static final class Counts implements OutcomeListener {
        final LongAdder settled = new LongAdder();
        final LongAdder retried = new LongAdder();

        @Override
        public void onOutcome(Outcome o) {
            switch (o.kind()) {
                case APPLIED, REJECTED, DEFERRED, DEAD_LETTERED, PARKED -> settled.increment();
                case RETRIED -> retried.increment();
                default -> { }
            }
        }
    }

    static Result run(LedgerWorkload w, int consumers) {
        Clock clock = Clock.systemUTC();
        InMemoryMailbox mailbox = InMemoryMailbox.builder().clock(clock).noRedrive().build();
        GroupCounting counting = new GroupCounting(mailbox);
        InMemoryStateStore store = InMemoryStateStore.builder().clock(clock).build();
        Counts counts = new Counts();
        ActorSystem system = ActorSystem.builder()
                .register(Ledger.ACCOUNT)
                .stateStore(store).mailbox(counting).scheduler(mailbox.scheduler()).clock(clock)
                .messageKeys(MessageKeys.random())
                .inlineGroups()
                .listener(counts)
                .build();
        // no ordering rule: every contender sees the transactions in the same order
        Ingress<LedgerTransaction> ingress = Ingress.builder(system, LedgerTransaction.class)
                .send(tx -> Ledger.account(tx.account()).tell(tx.toMessage()))
                .messageId(LedgerTransaction::id)
                .build();
        AtomicInteger threadNo = new AtomicInteger();
        Poller poller = Poller.builder().system(system).name("b1-fifo").consumers(consumers).maxMessages(10)
                .visibilityTimeout(Duration.ofSeconds(60)).waitTime(Duration.ofSeconds(1))
                .threadFactory(r -> new Thread(r, "b1-fifo-consumer-" + threadNo.incrementAndGet()))
                .build();
        poller.start();
        try {
            produce(ingress, w.opens(), mailbox);
            long enqueued0 = mailbox.enqueuedCount();
            long settled0 = counts.settled.sum();
            System.gc();
            Poller.Stats stats0 = poller.stats();
            long groups0 = counting.groups.sum();
            ThreadCost before = ThreadCost.snapshot();
            long t0 = System.nanoTime();
            produce(ingress, w.transactions(), mailbox);
            double seconds = (System.nanoTime() - t0) / 1e9;
            ThreadCost.Delta cost = ThreadCost.snapshot().since(before);
            Poller.Stats stats = poller.stats();
            long batches = stats.batches() - stats0.batches();
            long receives = stats.receives() - stats0.receives();
            long messages = stats.messages() - stats0.messages();
            String note = String.format(java.util.Locale.ROOT, "%,d batches of %.2f messages on average, %.2f "
                    + "messages per actor per batch; %,d receives, %,d of them empty", batches,
                    messages / (double) Math.max(1, batches),
                    messages / (double) Math.max(1, counting.groups.sum() - groups0), receives,
                    stats.emptyReceives() - stats0.emptyReceives());
            long handled = mailbox.enqueuedCount() - enqueued0;
            long settled = counts.settled.sum() - settled0;
            if (settled != handled) {
                throw new IllegalStateException("fifo-actors: " + settled + " outcomes for " + handled + " messages");
            }
            return new Result(name(consumers), w.transactions().size(), handled, seconds, counts.retried.sum(),
                    conserved(store, w), cost.allocatedBytes(), cost.cpuNanos(), cost.callerBytes(), cost.callerCpuNanos(), cost.gcMillis(),
                    itemSizes(store),
                    note);
        } finally {
            poller.shutdown(Duration.ofSeconds(10));
        }
    }

    /**
     * The mailbox as the runtime sees it, counting the actors (groups) of each received batch without allocating (a
     * receive returns each group's messages together).
     */
    static final class GroupCounting implements io.fifoactors.core.port.Mailbox {
        private final InMemoryMailbox inner;
        final LongAdder groups = new LongAdder();

        GroupCounting(InMemoryMailbox inner) {
            this.inner = inner;
        }

        @Override
        public void send(List<io.fifoactors.core.port.OutgoingMessage> messages) {
            inner.send(messages);
        }

        @Override
        public List<io.fifoactors.core.port.Delivery> receive(int maxMessages, Duration visibilityTimeout,
                                                               Duration waitTime) {
            List<io.fifoactors.core.port.Delivery> got = inner.receive(maxMessages, visibilityTimeout, waitTime);
            String last = null;
            int n = 0;
            for (int i = 0; i < got.size(); i++) {
                String g = got.get(i).groupId();
                if (!g.equals(last)) {
                    n++;
                    last = g;
                }
            }
            groups.add(n);
            return got;
        }

        @Override
        public List<io.fifoactors.core.port.Delivery> acknowledge(List<io.fifoactors.core.port.Delivery> deliveries) {
            return inner.acknowledge(deliveries);
        }

        @Override
        public void retryAfter(List<io.fifoactors.core.port.Delivery> deliveries, Duration delay) {
            inner.retryAfter(deliveries, delay);
        }

        @Override
        public void extendVisibility(List<io.fifoactors.core.port.Delivery> deliveries, Duration visibility) {
            inner.extendVisibility(deliveries, visibility);
        }

        @Override
        public void deadLetter(io.fifoactors.core.port.DeadLetter letter) {
            inner.deadLetter(letter);
        }

        @Override
        public io.fifoactors.core.port.RedrivePolicy redrivePolicy() {
            return inner.redrivePolicy();
        }
    }

    static String name(int consumers) {
        return "fifo-actors (Poller, " + consumers + (consumers == 1 ? " consumer" : " consumers") + ")";
    }

    /** Sends {@code txs} in Ingress batches of 10, then waits until the mailbox is empty. */
    private static void produce(Ingress<LedgerTransaction> ingress, List<LedgerTransaction> txs,
                                InMemoryMailbox mailbox) {
        for (int from = 0; from < txs.size(); from += 10) {
            ingress.submit(txs.subList(from, Math.min(txs.size(), from + 10)));
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (mailbox.size() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("fifo-actors did not drain its mailbox: " + mailbox.size() + " left");
            }
            sleepABit();
        }
    }

    static void sleepABit() {
        try {
            Thread.sleep(0, 200_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean conserved(InMemoryStateStore store, LedgerWorkload w) {
        JacksonCodec codec = JacksonCodec.create();
        long balances = 0;
        long deposited = 0;
        for (ActorId id : store.actorIds()) {
            Account a = codec.decode(store.load(id).orElseThrow().state(), Account.class);
            balances += a.balance() + a.suspense();
            deposited += a.deposited();
        }
        return balances == w.depositTotal() && deposited == w.depositTotal();
    }

    /** Every actor record's item size, as DynamoDB would bill it, sorted. */
    static long[] itemSizes(InMemoryStateStore store) {
        List<ActorId> ids = store.actorIds();
        long[] sizes = new long[ids.size()];
        for (int i = 0; i < sizes.length; i++) {
            StoredRecord r = store.load(ids.get(i)).orElseThrow();
            sizes[i] = DynamoDbStateStore.itemSizeBytes(ids.get(i), r);
        }
        Arrays.sort(sizes);
        return sizes;
    }
}
