package io.fifoactors.sqs;

import io.fifoactors.contract.MailboxFixture;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Mailbox;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fresh, uniquely named pair of FIFO queues on a (local) SQS server, with an {@link SqsMailbox} on them. Dead
 * letters are taken off the dead-letter queue (received and deleted) and kept, so that every call sees all of them.
 * Waiting is long polling, never sleeping.
 */
final class SqsMailboxFixture implements MailboxFixture {
    private static final AtomicLong COUNTER = new AtomicLong();

    private final SqsQueueProvisioner provisioner;
    private final SqsQueues queues;
    private final SqsMailbox mailbox;
    private final int maxReceiveCount;
    private final List<DeadLetter> deadLetters = new ArrayList<>();

    SqsMailboxFixture(SqsClient client, String prefix, int maxReceiveCount) {
        this.maxReceiveCount = maxReceiveCount;
        this.provisioner = SqsQueueProvisioner.builder().client(client).maxReceiveCount(maxReceiveCount).build();
        this.queues = provisioner.provision(prefix + "-" + COUNTER.incrementAndGet() + "-" + System.nanoTime());
        this.mailbox = SqsMailbox.builder().client(client).queues(queues).build();
    }

    @Override
    public SqsMailbox mailbox() {
        return mailbox;
    }

    SqsQueues queues() {
        return queues;
    }

    @Override
    public int maxReceiveCount() {
        return maxReceiveCount;
    }

    @Override
    public synchronized List<DeadLetter> deadLetters(int atLeast, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean first = true;
        while (first || (deadLetters.size() < atLeast && System.nanoTime() < deadline)) {
            long leftMillis = Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
            Duration wait = deadLetters.size() >= atLeast ? Duration.ZERO
                    : Duration.ofMillis(Math.min(1000, Math.max(1, leftMillis)));
            deadLetters.addAll(mailbox.takeDeadLetters(Mailbox.MAX_BATCH, wait));
            first = false;
        }
        return List.copyOf(deadLetters);
    }

    @Override
    public void close() {
        provisioner.delete(queues);
    }
}
