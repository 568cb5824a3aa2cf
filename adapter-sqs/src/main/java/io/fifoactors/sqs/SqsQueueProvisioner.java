package io.fifoactors.sqs;

import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.port.MailboxLimits;
import io.fifoactors.sqswire.SqsWire;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Creates, idempotently, the queues of an SQS deployment: the two FIFO queues a {@link SqsMailbox} needs,
 * {@code <name>.fifo} and its dead-letter queue {@code <name>-dlq.fifo}, and, for timers, the standard queue
 * {@code <name>-timers} of a {@link SqsScheduler}.
 *
 * <ul>
 *   <li>Both FIFO queues: explicit deduplication ids (ContentBasedDeduplication=false) and the high-throughput FIFO
 *       settings (DeduplicationScope=messageGroup, FifoThroughputLimit=perMessageGroupId).</li>
 *   <li>The mailbox queue: the visibility timeout, MaximumMessageSize 262,144 (the portable
 *       {@code Mailbox.MAX_MESSAGE_BYTES} plus the adapter's reserve) and, by default, <b>no redrive policy</b>
 *       with the longest retention (14 days): the runtime dead-letters with reasons itself
 *       ({@code ActorSystem.Builder.runtimeRedrive}). {@link Builder#maxReceiveCount} sets a redrive policy
 *       instead (move after that many receives).</li>
 *   <li>The dead-letter queue: MaximumMessageSize 1,048,576 (the largest SQS allows), so that every message a
 *       queue can hold can be dead-lettered with its reason; the longest retention by default.</li>
 *   <li>The timer queue: a standard queue (per-message delays of up to 15 minutes), MaximumMessageSize 262,144,
 *       long polling (ReceiveMessageWaitTimeSeconds 20), 14 days' retention.</li>
 * </ul>
 *
 * <pre>{@code
 * SqsQueues queues = SqsQueueProvisioner.builder().client(sqs).build().provision("accounts");
 * String timers = SqsQueueProvisioner.builder().client(sqs).build().provisionTimerQueue("accounts");
 * }</pre>
 *
 * <p>Provisioning a queue that exists brings its attributes to these settings. Thread-safe: it keeps no mutable
 * state; the client is the caller's and is never closed.
 */
public final class SqsQueueProvisioner {
    private static final String FIFO_SUFFIX = ".fifo";
    private static final String DLQ_SUFFIX = "-dlq";
    private static final String TIMER_SUFFIX = "-timers";
    private static final int MAX_QUEUE_NAME = 80;
    /** The longest base name: the dead-letter queue's name adds "-dlq.fifo". */
    static final int MAX_BASE_NAME = MAX_QUEUE_NAME - DLQ_SUFFIX.length() - FIFO_SUFFIX.length();
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final long MIN_RETENTION_SECONDS = 60;
    private static final long MAX_RETENTION_SECONDS = 1_209_600;

    private final SqsClient client;
    private final int maxReceiveCount;
    private final Duration visibilityTimeout;
    private final Duration deadLetterRetention;
    private final boolean redrive;

    private SqsQueueProvisioner(Builder b) {
        this.redrive = b.redrive;
        this.client = b.client;
        this.maxReceiveCount = b.maxReceiveCount;
        this.visibilityTimeout = b.visibilityTimeout;
        this.deadLetterRetention = b.deadLetterRetention;
    }

    /** A new builder; {@code client} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Creates (or updates) {@code <name>.fifo} and {@code <name>-dlq.fifo} and returns their URLs and ARNs.
     *
     * @param name the base name: letters, digits, '-' and '_', at most 71 characters; a trailing ".fifo" is ignored
     * @throws IllegalArgumentException if the name is not a valid base name
     * @throws io.fifoactors.core.TransientFailureException if SQS failed for a passing reason
     * @throws io.fifoactors.core.PermanentFailureException if SQS refused
     */
    public SqsQueues provision(String name) {
        String base = baseName(name);
        String dlqName = base + DLQ_SUFFIX + FIFO_SUFFIX;
        String queueName = base + FIFO_SUFFIX;

        Map<QueueAttributeName, String> dlqAttributes = fifoAttributes();
        dlqAttributes.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD,
                Long.toString(deadLetterRetention.getSeconds()));
        dlqAttributes.put(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, Long.toString(SqsWire.LARGEST_MAX_MESSAGE_BYTES));
        String dlqUrl = createOrUpdate(dlqName, dlqAttributes);
        String dlqArn = arn(dlqUrl);

        Map<QueueAttributeName, String> attributes = fifoAttributes();
        attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(visibilityTimeout.getSeconds()));
        attributes.put(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, Long.toString(SqsWire.DEFAULT_MAX_MESSAGE_BYTES));
        if (redrive) {
            attributes.put(QueueAttributeName.REDRIVE_POLICY, redrivePolicy(dlqArn, maxReceiveCount));
        } else {
            // the runtime redrives (ActorSystem.Builder.runtimeRedrive): no policy, and the longest retention
            attributes.put(QueueAttributeName.REDRIVE_POLICY, ""); // removes one an existing queue has
            attributes.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, Long.toString(MAX_RETENTION_SECONDS));
        }
        String queueUrl = createOrUpdate(queueName, attributes);
        if (!redrive) {
            String left = attribute(queueUrl, QueueAttributeName.REDRIVE_POLICY);
            if (left != null && !left.isEmpty()) {
                // a runtime-redriven queue must never move a message itself: refuse rather than run unsafely
                throw new ConfigurationException("queue " + queueName + " keeps its redrive policy after an attempt"
                        + " to remove it; remove it by hand before using it without one");
            }
        }
        return new SqsQueues(queueUrl, dlqUrl, arn(queueUrl), dlqArn);
    }

    /**
     * Creates (or updates) the standard queue {@code <name>-timers} that carries timer firings (see
     * {@link SqsScheduler}) and returns its URL.
     *
     * @param name the base name, as for {@link #provision}
     */
    public String provisionTimerQueue(String name) {
        String queueName = baseName(name) + TIMER_SUFFIX;
        Map<QueueAttributeName, String> a = new EnumMap<>(QueueAttributeName.class);
        a.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, Long.toString(MAX_RETENTION_SECONDS));
        a.put(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, Long.toString(SqsWire.DEFAULT_MAX_MESSAGE_BYTES));
        a.put(QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS, "20");
        a.put(QueueAttributeName.VISIBILITY_TIMEOUT, "30");
        return createOrUpdate(queueName, a);
    }

    /** Deletes one queue by URL (for example the timer queue); a queue that does not exist is ignored. */
    public void deleteQueue(String queueUrl) {
        Objects.requireNonNull(queueUrl, "queueUrl");
        try {
            client.deleteQueue(b -> b.queueUrl(queueUrl));
        } catch (QueueDoesNotExistException gone) {
            // already deleted
        } catch (SdkException e) {
            throw SqsErrors.map("DeleteQueue", queueUrl, e);
        }
    }

    /** Deletes both queues; queues that do not exist are ignored. SQS may take up to 60 s to free the names. */
    public void delete(SqsQueues queues) {
        Objects.requireNonNull(queues, "queues");
        for (String url : new String[] {queues.queueUrl(), queues.deadLetterQueueUrl()}) {
            try {
                client.deleteQueue(b -> b.queueUrl(url));
            } catch (QueueDoesNotExistException gone) {
                // already deleted
            } catch (SdkException e) {
                throw SqsErrors.map("DeleteQueue", url, e);
            }
        }
    }

    /** The redrive policy JSON. */
    static String redrivePolicy(String deadLetterArn, int maxReceiveCount) {
        return "{\"deadLetterTargetArn\":\"" + deadLetterArn + "\",\"maxReceiveCount\":" + maxReceiveCount + "}";
    }

    static String baseName(String name) {
        Objects.requireNonNull(name, "name");
        String base = isFifo(name) ? name.substring(0, name.length() - FIFO_SUFFIX.length()) : name;
        if (base.isEmpty() || base.length() > MAX_BASE_NAME || !NAME.matcher(base).matches()) {
            throw new IllegalArgumentException("queue base name '" + name + "' must be 1 to " + MAX_BASE_NAME
                    + " letters, digits, '-' or '_' (the queues are <name>.fifo and <name>-dlq.fifo)");
        }
        return base;
    }

    private static Map<QueueAttributeName, String> fifoAttributes() {
        Map<QueueAttributeName, String> a = new EnumMap<>(QueueAttributeName.class);
        a.put(QueueAttributeName.FIFO_QUEUE, "true");
        a.put(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "false");
        a.put(QueueAttributeName.DEDUPLICATION_SCOPE, "messageGroup");
        a.put(QueueAttributeName.FIFO_THROUGHPUT_LIMIT, "perMessageGroupId");
        return a;
    }

    private String createOrUpdate(String queueName, Map<QueueAttributeName, String> attributes) {
        try {
            Map<QueueAttributeName, String> initial = new EnumMap<>(attributes);
            initial.values().removeIf(String::isEmpty); // an empty value only removes an attribute on update
            return client.createQueue(b -> b.queueName(queueName).attributes(initial)).queueUrl();
        } catch (QueueNameExistsException exists) {
            // AWS refuses CreateQueue for an existing queue whose attributes differ: converge instead.
            return update(queueName, attributes);
        } catch (SdkException e) {
            throw SqsErrors.map("CreateQueue", queueName, e);
        }
    }

    /**
     * Brings an existing queue to the wanted attributes: sets those the queue reports with a different value.
     * Attributes the server does not report (ElasticMQ leaves out DeduplicationScope, FifoThroughputLimit and
     * MessageRetentionPeriod, and refuses to set the first two) are left alone.
     */
    private String update(String queueName, Map<QueueAttributeName, String> wanted) {
        try {
            String url = client.getQueueUrl(b -> b.queueName(queueName)).queueUrl();
            Map<QueueAttributeName, String> current = client.getQueueAttributes(
                    b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL)).attributes();
            Map<QueueAttributeName, String> changes = changes(current, wanted);
            if (!changes.isEmpty()) {
                client.setQueueAttributes(b -> b.queueUrl(url).attributes(changes));
            }
            return url;
        } catch (SdkException e) {
            throw SqsErrors.map("SetQueueAttributes", queueName, e);
        }
    }

    /**
     * The wanted attributes that the queue reports with another value (FifoQueue cannot change), and a redrive
     * policy the queue does not have yet.
     */
    static Map<QueueAttributeName, String> changes(Map<QueueAttributeName, String> current,
                                                   Map<QueueAttributeName, String> wanted) {
        Map<QueueAttributeName, String> changes = new EnumMap<>(QueueAttributeName.class);
        wanted.forEach((name, value) -> {
            String now = current.get(name);
            if (name == QueueAttributeName.REDRIVE_POLICY && now == null && !value.isEmpty()) {
                changes.put(name, value); // a queue without a policy reports none: add it
            } else if (name != QueueAttributeName.FIFO_QUEUE && now != null && !sameValue(name, now, value)) {
                changes.put(name, value);
            }
        });
        return changes;
    }

    private static boolean sameValue(QueueAttributeName name, String now, String wanted) {
        if (name == QueueAttributeName.REDRIVE_POLICY) {
            // servers differ in quoting the count and in spacing: compare without them
            return now.replaceAll("[\\s\"]", "").equals(wanted.replaceAll("[\\s\"]", ""));
        }
        return now.equals(wanted);
    }

    private String attribute(String queueUrl, QueueAttributeName name) {
        try {
            return client.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(name)).attributes().get(name);
        } catch (SdkException e) {
            throw SqsErrors.map("GetQueueAttributes", queueUrl, e);
        }
    }

    private String arn(String queueUrl) {
        try {
            String arn = client.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            if (arn == null) {
                throw new PermanentFailureException("SQS returned no QueueArn for " + queueUrl);
            }
            return arn;
        } catch (SdkException e) {
            throw SqsErrors.map("GetQueueAttributes", queueUrl, e);
        }
    }

    @Override
    public String toString() {
        return "SqsQueueProvisioner[" + (redrive ? "maxReceiveCount=" + maxReceiveCount : "no redrive")
                + ", visibilityTimeout=" + visibilityTimeout
                + ", deadLetterRetention=" + deadLetterRetention + "]";
    }

    /**
     * Builds an {@link SqsQueueProvisioner}.
     *
     * <pre>{@code
     * SqsQueueProvisioner p = SqsQueueProvisioner.builder()
     *         .client(sqs).visibilityTimeout(Duration.ofSeconds(30)).build();
     * }</pre>
     *
     * <p>Not thread-safe; build on one thread.
     */
    public static final class Builder {
        private SqsClient client;
        private int maxReceiveCount = 5;
        private Duration visibilityTimeout = Duration.ofSeconds(30);
        private Duration deadLetterRetention = Duration.ofSeconds(MAX_RETENTION_SECONDS);
        private boolean redrive = false;

        private Builder() {
        }

        /**
         * No redrive policy on the queue (an existing one is removed) and the longest retention (14 days): for an
         * {@code ActorSystem} built with {@code runtimeRedrive(maxReceiveCount)}, which dead-letters by receive count
         * itself. The default; undoes an earlier {@link #maxReceiveCount}.
         */
        public Builder noRedrive() {
            this.redrive = false;
            return this;
        }

        /** The SQS client (required); never closed by the provisioner. */
        public Builder client(SqsClient client) {
            this.client = client;
            return this;
        }

        /**
         * Gives the queue a redrive policy: SQS moves a message to the dead-letter queue after this many receives,
         * 1 to 1000 (without a reason; see docs/semantics.md on queue redrive). Without this call the queue has no
         * redrive policy, the recommended default.
         */
        public Builder maxReceiveCount(int maxReceiveCount) {
            this.maxReceiveCount = maxReceiveCount;
            this.redrive = true;
            return this;
        }

        /** The queue's default visibility timeout, whole seconds up to 12 hours (default 30 s). */
        public Builder visibilityTimeout(Duration visibilityTimeout) {
            this.visibilityTimeout = visibilityTimeout;
            return this;
        }

        /** How long the dead-letter queue keeps messages: 60 s to 14 days (default 14 days). */
        public Builder deadLetterRetention(Duration deadLetterRetention) {
            this.deadLetterRetention = deadLetterRetention;
            return this;
        }

        /**
         * The provisioner.
         *
         * @throws ConfigurationException if the client is missing or a setting is out of range
         */
        public SqsQueueProvisioner build() {
            if (client == null) {
                throw new ConfigurationException("SqsQueueProvisioner.builder() is missing client(SqsClient)");
            }
            if (maxReceiveCount < 1 || maxReceiveCount > 1000) {
                throw new ConfigurationException("SqsQueueProvisioner maxReceiveCount must be 1 to 1000, was "
                        + maxReceiveCount);
            }
            if (visibilityTimeout == null || visibilityTimeout.isNegative()
                    || visibilityTimeout.getNano() != 0
                    || visibilityTimeout.getSeconds() > MailboxLimits.MAX_VISIBILITY_SECONDS) {
                throw new ConfigurationException("SqsQueueProvisioner visibilityTimeout must be whole seconds from 0"
                        + " to 12 hours, was " + visibilityTimeout);
            }
            if (deadLetterRetention == null || deadLetterRetention.getNano() != 0
                    || deadLetterRetention.getSeconds() < MIN_RETENTION_SECONDS
                    || deadLetterRetention.getSeconds() > MAX_RETENTION_SECONDS) {
                throw new ConfigurationException("SqsQueueProvisioner deadLetterRetention must be whole seconds from"
                        + " 60 s to 14 days, was " + deadLetterRetention);
            }
            return new SqsQueueProvisioner(this);
        }
    }

    /** Whether a queue URL or name is a FIFO queue's: SQS requires those to end in ".fifo". */
    static boolean isFifo(String urlOrName) {
        return urlOrName.endsWith(FIFO_SUFFIX);
    }

    /**
     * Checks that a configured queue URL is a FIFO queue's.
     *
     * @param owner   the class configured, for the message
     * @param queue   which queue it must be ("queue", "dead-letter queue")
     * @param setting the builder setting that gave the URL
     * @throws ConfigurationException if it is not
     */
    static void requireFifo(String owner, String queue, String setting, String url) {
        if (!isFifo(url)) {
            throw new ConfigurationException(owner + " needs a FIFO " + queue + ", but " + setting + " " + url
                    + " does not end in .fifo");
        }
    }
}
