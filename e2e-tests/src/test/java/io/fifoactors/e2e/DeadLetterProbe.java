package io.fifoactors.e2e;

import io.fifoactors.sqs.SqsDeadLetters;
import io.fifoactors.sqs.SqsQueues;
import io.fifoactors.sqswire.StoredLetter;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a dead-letter queue with {@link SqsDeadLetters} and takes the letters off it (a FIFO dead-letter queue hands
 * out a group's next letters only once the earlier ones left it), keeping what it took.
 */
final class DeadLetterProbe {
    private final SqsDeadLetters letters;
    private final List<StoredLetter> taken = new ArrayList<>();

    DeadLetterProbe(SqsClient sqs, SqsQueues queues) {
        this.letters = SqsDeadLetters.builder().client(sqs).queues(queues).build();
    }

    SqsDeadLetters reader() {
        return letters;
    }

    /** Takes every letter there is now. */
    List<StoredLetter> takeAll() {
        for (int empty = 0; empty < 2; ) {
            List<StoredLetter> got = letters.receive(10, Duration.ofSeconds(30), Duration.ZERO);
            if (got.isEmpty()) {
                empty++;
            } else {
                letters.delete(got);
                taken.addAll(got);
            }
        }
        return List.copyOf(taken);
    }

    /** Takes letters until {@code n} in all were taken or the timeout passes; returns all taken. */
    List<StoredLetter> awaitTaken(int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (taken.size() < n && System.nanoTime() < deadline) {
            List<StoredLetter> got = letters.receive(10, Duration.ofSeconds(30), Duration.ofSeconds(1));
            if (!got.isEmpty()) {
                letters.delete(got);
                taken.addAll(got);
            }
        }
        return List.copyOf(taken);
    }

    List<StoredLetter> taken() {
        return List.copyOf(taken);
    }
}
