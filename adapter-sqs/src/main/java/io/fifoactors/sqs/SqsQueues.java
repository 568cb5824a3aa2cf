package io.fifoactors.sqs;

import java.util.Objects;

/**
 * A provisioned mailbox queue and its dead-letter queue, both FIFO: their URLs and ARNs.
 *
 * <pre>{@code
 * SqsQueues queues = provisioner.provision("accounts");
 * SqsMailbox mailbox = SqsMailbox.builder().client(sqs).queues(queues).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param queueUrl           the mailbox queue's URL
 * @param deadLetterQueueUrl the dead-letter queue's URL
 * @param queueArn           the mailbox queue's ARN
 * @param dlqArn             the dead-letter queue's ARN
 */
public record SqsQueues(String queueUrl, String deadLetterQueueUrl, String queueArn, String dlqArn) {
    public SqsQueues {
        Objects.requireNonNull(queueUrl, "queueUrl");
        Objects.requireNonNull(deadLetterQueueUrl, "deadLetterQueueUrl");
        Objects.requireNonNull(queueArn, "queueArn");
        Objects.requireNonNull(dlqArn, "dlqArn");
    }
}
