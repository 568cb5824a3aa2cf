package io.fifoactors.lambda;

import io.fifoactors.sqswire.WireMessage;

import java.util.List;
import java.util.Objects;

/**
 * Moves one received batch of timer carriers on: the due ones into the FIFO mailbox queue, the others back onto the
 * timer queue for another hop, deleting nothing (the event source mapping deletes what the batch response does not
 * report). The SDK-free port through which {@link SqsTimerHandler} reaches the SQS adapter's timer forwarder, so that
 * this module depends on no other adapter: the wiring adapts {@code SqsTimerForwarder::forward}.
 *
 * <pre>{@code
 * SqsTimerForwarder f = SqsTimerForwarder.builder().client(sqs).timerQueueUrl(timers).mailboxQueueUrl(queue).build();
 * TimerForwarding forwarding = carriers -> {
 *     SqsTimerForwarder.Result r = f.forward(carriers);
 *     return new TimerForwarding.Result(r.failed(), r.forwarded(), r.resent(), r.dropped());
 * };
 * }</pre>
 *
 * <p>Implementations are thread-safe. A failure of a whole batch may be thrown (every carrier is then retried);
 * failures of some carriers are reported in {@link Result#failed()}.
 */
@FunctionalInterface
public interface TimerForwarding {
    /** Forwards or re-sends each carrier; returns which ones to receive again. */
    Result forward(List<WireMessage> carriers);

    /**
     * What one batch came to.
     *
     * <pre>{@code
     * new TimerForwarding.Result(List.of(), 3, 1, 0);   // 3 forwarded, 1 sent on for another hop
     * }</pre>
     *
     * <p>Immutable (the list is copied; the messages are shared). Thread-safe.
     *
     * @param failed    carriers whose sends failed: reported to the event source mapping, received again
     * @param forwarded carriers that went into the mailbox queue
     * @param resent    carriers sent on to the timer queue for another hop (not due yet)
     * @param dropped   messages that were not timer carriers, dropped
     */
    record Result(List<WireMessage> failed, int forwarded, int resent, int dropped) {
        public Result {
            failed = List.copyOf(Objects.requireNonNull(failed, "failed"));
            if (forwarded < 0 || resent < 0 || dropped < 0) {
                throw new IllegalArgumentException("counts must not be negative");
            }
        }
    }
}
