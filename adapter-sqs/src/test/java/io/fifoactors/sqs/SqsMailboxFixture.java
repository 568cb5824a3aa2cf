package io.fifoactors.sqs;

import io.fifoactors.contract.MailboxFixture;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.sqswire.StoredLetter;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fresh, uniquely named pair of FIFO queues on an embedded ElasticMQ server, with an {@link SqsMailbox} on them.
 * Dead letters are read with {@link SqsDeadLetters} and made visible again, so every call sees what is on the
 * dead-letter queue. Waiting is long polling (time passing: a long poll of an empty queue), never sleeping.
 */
final class SqsMailboxFixture implements MailboxFixture {
    private static final AtomicLong COUNTER = new AtomicLong();

    private final SqsClient client;
    private final SqsQueueProvisioner provisioner;
    private final SqsQueues queues;
    private final SqsMailbox mailbox;
    private final SqsDeadLetters deadLetters;
    private final int maxReceiveCount;
    private String tickQueueUrl;

    /** {@code maxReceiveCount} 0: no redrive policy. */
    SqsMailboxFixture(SqsClient client, String prefix, int maxReceiveCount) {
        this.client = client;
        this.maxReceiveCount = maxReceiveCount;
        SqsQueueProvisioner.Builder b = SqsQueueProvisioner.builder().client(client);
        this.provisioner = (maxReceiveCount == 0 ? b.noRedrive() : b.maxReceiveCount(maxReceiveCount)).build();
        this.queues = provisioner.provision(prefix + "-" + COUNTER.incrementAndGet() + "-" + System.nanoTime() % 100_000);
        this.mailbox = SqsMailbox.builder().client(client).queues(queues).build();
        this.deadLetters = SqsDeadLetters.builder().client(client).queues(queues).build();
    }

    @Override
    public SqsMailbox mailbox() {
        return mailbox;
    }

    SqsQueues queues() {
        return queues;
    }

    SqsDeadLetters reader() {
        return deadLetters;
    }

    @Override
    public int maxReceiveCount() {
        return maxReceiveCount;
    }

    @Override
    public List<DeadLetter> deadLetters(int atLeast, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<StoredLetter> all = deadLetters.receiveAll(Duration.ofSeconds(30));
            deadLetters.release(all);
            if (all.size() >= atLeast || System.nanoTime() >= deadline) {
                List<DeadLetter> out = new ArrayList<>();
                for (StoredLetter l : all) {
                    out.add(new DeadLetter(l.groupId(), l.messageId(), l.deadLetterId(), l.attributes(), l.body(),
                            l.movedByRedrive() ? MOVED_BY_REDRIVE : l.reason()));
                }
                return out;
            }
            deadLetters.release(deadLetters.receive(10, Duration.ZERO, Duration.ofSeconds(1))); // waits by polling
        }
    }

    @Override
    public int moveBackDeadLetters() {
        return deadLetters.moveBack(deadLetters.receiveAll(Duration.ofSeconds(30)));
    }

    @Override
    public void letTimePass(Duration d) {
        if (tickQueueUrl == null) {
            tickQueueUrl = client.createQueue(b -> b.queueName("tick-" + COUNTER.incrementAndGet())).queueUrl();
        }
        long left = d.toMillis();
        while (left > 0) {
            int seconds = (int) Math.min(20, (left + 999) / 1000);
            long start = System.nanoTime();
            client.receiveMessage(b -> b.queueUrl(tickQueueUrl).waitTimeSeconds(seconds));
            left -= (System.nanoTime() - start) / 1_000_000;
        }
    }

    @Override
    public Set<Quirk> quirks() {
        return EnumSet.allOf(Quirk.class); // ElasticMQ 1.7.1: docs/semantics.md, section 8
    }

    @Override
    public void close() {
        provisioner.delete(queues);
        if (tickQueueUrl != null) {
            provisioner.deleteQueue(tickQueueUrl);
        }
    }
}
