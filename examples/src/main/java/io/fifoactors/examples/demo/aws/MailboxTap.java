package io.fifoactors.examples.demo.aws;

import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.ForwardingMailbox;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.port.ScheduledMessage;
import io.fifoactors.core.port.Scheduler;
import io.fifoactors.core.runtime.Envelope;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches what a consumer's runtime does through its ports, for the demo's figures and the end-to-end checks: the
 * timers it schedules (their due times) and when each is first received back from the mailbox (its firing delay:
 * SQS's whole-second delays, the forwarder's hops and polls, the poller's receive), and the ids of the actor-to-actor
 * messages it sends. Wrap the consumer's mailbox and scheduler with {@link #mailbox} and {@link #scheduler}; the
 * wrappers change nothing of what they pass on.
 *
 * <pre>{@code
 * MailboxTap tap = new MailboxTap(Clock.systemUTC());
 * ActorSystem.builder().mailbox(tap.mailbox(sqsMailbox)).scheduler(tap.scheduler(sqsScheduler))...
 * tap.firingDelays();   // one per timer received, in milliseconds after its due time
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class MailboxTap {
    private final Clock clock;
    private final Map<String, Instant> dueAt = new ConcurrentHashMap<>();
    private final Map<String, Long> delayMillis = new ConcurrentHashMap<>();
    private final Set<String> actorMessagesSent = ConcurrentHashMap.newKeySet();

    /** A tap reading receive times from {@code clock} (the clock due times are computed with). */
    public MailboxTap(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** {@code scheduler}, noting each timer's due time. */
    public Scheduler scheduler(Scheduler scheduler) {
        Objects.requireNonNull(scheduler, "scheduler");
        return messages -> {
            for (ScheduledMessage m : messages) {
                dueAt.putIfAbsent(m.message().messageId(), m.dueAt()); // a retried schedule has the same due time
            }
            scheduler.schedule(messages);
        };
    }

    /** {@code mailbox}, noting when each scheduled timer is first received and every actor-to-actor message sent. */
    public Mailbox mailbox(Mailbox mailbox) {
        Objects.requireNonNull(mailbox, "mailbox");
        return new ForwardingMailbox(mailbox) {
            @Override
            public void send(List<OutgoingMessage> messages) {
                super.send(messages);
                for (OutgoingMessage m : messages) {
                    if (m.attributes().containsKey(Envelope.FROM)
                            && !m.attributes().getOrDefault(Envelope.TYPE, "").startsWith("fa:")) {
                        actorMessagesSent.add(m.messageId());
                    }
                }
            }

            @Override
            public List<Delivery> receive(int maxMessages, Duration visibilityTimeout, Duration waitTime) {
                List<Delivery> batch = super.receive(maxMessages, visibilityTimeout, waitTime);
                Instant now = clock.instant();
                for (Delivery d : batch) {
                    if (Envelope.SYSTEM_TIMER.equals(d.attributes().get(Envelope.TYPE))) {
                        Instant due = dueAt.get(d.messageId());
                        if (due != null) {
                            delayMillis.putIfAbsent(d.messageId(), Duration.between(due, now).toMillis());
                        }
                    }
                }
                return batch;
            }

            @Override
            public String toString() {
                return "MailboxTap[" + mailbox + "]";
            }
        };
    }

    /** Timers scheduled so far (distinct firings). */
    public int scheduled() {
        return dueAt.size();
    }

    /**
     * For every timer received so far, how long after its due time its first receive came, in milliseconds
     * (negative: early, which the scheduler promises never happens), sorted.
     */
    public List<Long> firingDelays() {
        List<Long> out = new ArrayList<>(delayMillis.values());
        out.sort(null);
        return out;
    }

    /** The ids of the actor-to-actor messages sent so far (each once, however often it was sent). */
    public Set<String> actorMessagesSent() {
        return Set.copyOf(actorMessagesSent);
    }
}
