package io.fifoactors.sqs;

import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.FifoActorsException;
import io.fifoactors.core.TransientFailureException;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.OutgoingMessage;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * A {@link Mailbox} on an SQS FIFO queue and its FIFO dead-letter queue, over an injected AWS SDK v2
 * {@code SqsClient}. The group id is the MessageGroupId, the message id the MessageDeduplicationId, attributes are
 * SQS message attributes and bodies are bytes (sent as text when SQS accepts them as text, else Base64).
 *
 * <pre>{@code
 * SqsQueues queues = SqsQueueProvisioner.builder().client(sqs).maxReceiveCount(5).build().provision("accounts");
 * Mailbox mailbox = SqsMailbox.builder().client(sqs).queues(queues).build();
 * mailbox.send(List.of(new OutgoingMessage("account/a1", "m-1", Map.of("fa-type", "Deposit"), body)));
 * }</pre>
 *
 * <p>Limits: a message (body, attributes and the mailbox's own attributes) may have at most 262,144 bytes, and at
 * most 7 attributes (SQS allows 10; the mailbox keeps 3 for itself, all named {@code fa-sqs-...}). Checks happen
 * before anything of a send is enqueued. Sending keeps each group's order by sending at most one message per group
 * in each SendMessageBatch request, so messages of a single group cost one request each.
 *
 * <p>Thread-safe: it keeps no mutable state, and {@code SqsClient} is thread-safe. It closes nothing: the client
 * belongs to the caller.
 */
public final class SqsMailbox implements Mailbox {
    /** The longest visibility timeout or release delay SQS accepts. */
    static final long MAX_VISIBILITY_SECONDS = 43_200;
    /** The longest long poll SQS accepts; longer waits are shortened to it. */
    static final long MAX_WAIT_SECONDS = 20;
    private static final List<MessageSystemAttributeName> SYSTEM_ATTRIBUTES = List.of(
            MessageSystemAttributeName.SEQUENCE_NUMBER,
            MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
            MessageSystemAttributeName.MESSAGE_GROUP_ID,
            MessageSystemAttributeName.SENT_TIMESTAMP,
            MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID);
    private static final String ALL_MESSAGE_ATTRIBUTES = "All";
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    private final SqsClient client;
    private final String queueUrl;
    private final String deadLetterQueueUrl;
    private final int maxSendRetries;
    private final Duration retryBackoff;
    private final Sleeper sleeper;

    private SqsMailbox(Builder b) {
        this.client = b.client;
        this.queueUrl = b.queueUrl;
        this.deadLetterQueueUrl = b.deadLetterQueueUrl;
        this.maxSendRetries = b.maxSendRetries;
        this.retryBackoff = b.retryBackoff;
        this.sleeper = b.sleeper;
    }

    /** A new builder; {@code client}, {@code queueUrl} and {@code deadLetterQueueUrl} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The URL of the mailbox queue. */
    public String queueUrl() {
        return queueUrl;
    }

    /** The URL of the dead-letter queue. */
    public String deadLetterQueueUrl() {
        return deadLetterQueueUrl;
    }

    // ------------------------------------------------------------------------------------------------ send

    @Override
    public void send(List<OutgoingMessage> messages) {
        Objects.requireNonNull(messages, "messages");
        List<WireFormat.Encoded> encoded = new ArrayList<>(messages.size());
        for (OutgoingMessage m : messages) {
            encoded.add(WireFormat.encode(Objects.requireNonNull(m, "message")));
        }
        for (List<Integer> request : SendPlanner.plan(encoded, WireFormat.Encoded::groupId)) {
            Map<String, SendMessageBatchRequestEntry> entries = new LinkedHashMap<>();
            Map<String, String> messageIds = new LinkedHashMap<>();
            for (int i = 0; i < request.size(); i++) {
                WireFormat.Encoded e = encoded.get(request.get(i));
                String id = Integer.toString(i);
                entries.put(id, SendMessageBatchRequestEntry.builder()
                        .id(id)
                        .messageGroupId(e.groupId())
                        .messageDeduplicationId(e.messageId())
                        .messageBody(e.body())
                        .messageAttributes(e.attributes())
                        .build());
                messageIds.put(id, e.messageId());
            }
            runBatch("SendMessageBatch", queueUrl, entries, pending -> {
                SendMessageBatchResponse r = client.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(pending));
                return new BatchOutcome(ids(r.successful(), SendMessageBatchResultEntry::id), r.failed());
            }, id -> "message " + messageIds.get(id), false);
        }
    }

    // ------------------------------------------------------------------------------------------------ receive

    @Override
    public List<Delivery> receive(int maxMessages, Duration visibilityTimeout, Duration waitTime) {
        if (maxMessages < 1 || maxMessages > MAX_BATCH) {
            throw new IllegalArgumentException("maxMessages must be 1 to " + MAX_BATCH + ", was " + maxMessages);
        }
        int visibility = (int) seconds("visibilityTimeout", visibilityTimeout, MAX_VISIBILITY_SECONDS);
        int wait = (int) Math.min(seconds("waitTime", waitTime, Long.MAX_VALUE), MAX_WAIT_SECONDS);
        ReceiveMessageRequest request = receiveRequest(queueUrl, maxMessages, visibility, wait);
        List<Message> messages;
        try {
            messages = client.receiveMessage(request).messages();
        } catch (SdkException e) {
            throw SqsErrors.map("ReceiveMessage", queueUrl, e);
        }
        List<Delivery> out = new ArrayList<>(messages.size());
        for (Message m : messages) {
            out.add(WireFormat.toDelivery(m));
        }
        return out;
    }

    /**
     * The request for one receive. The attempt id makes the SDK's own retries of a lost response return the same
     * messages instead of leaving them invisible (and their groups blocked) until the visibility timeout.
     */
    static ReceiveMessageRequest receiveRequest(String url, int maxMessages, int visibilitySeconds, int waitSeconds) {
        return ReceiveMessageRequest.builder()
                .queueUrl(url)
                .maxNumberOfMessages(maxMessages)
                .visibilityTimeout(visibilitySeconds)
                .waitTimeSeconds(waitSeconds)
                .messageAttributeNames(ALL_MESSAGE_ATTRIBUTES)
                .messageSystemAttributeNames(SYSTEM_ATTRIBUTES)
                .receiveRequestAttemptId(UUID.randomUUID().toString())
                .build();
    }

    // ------------------------------------------------------------------------------------------------ acknowledge

    @Override
    public List<Delivery> acknowledge(List<Delivery> deliveries) {
        Objects.requireNonNull(deliveries, "deliveries");
        List<Delivery> stale = new ArrayList<>();
        for (int from = 0; from < deliveries.size(); from += MAX_BATCH) {
            List<Delivery> chunk = deliveries.subList(from, Math.min(deliveries.size(), from + MAX_BATCH));
            Map<String, DeleteMessageBatchRequestEntry> entries = new LinkedHashMap<>();
            for (int i = 0; i < chunk.size(); i++) {
                entries.put(Integer.toString(i), DeleteMessageBatchRequestEntry.builder()
                        .id(Integer.toString(i)).receiptHandle(chunk.get(i).receiptHandle()).build());
            }
            Set<String> staleIds = runBatch("DeleteMessageBatch", queueUrl, entries, pending -> {
                DeleteMessageBatchResponse r = client.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(pending));
                return new BatchOutcome(ids(r.successful(), DeleteMessageBatchResultEntry::id), r.failed());
            }, id -> "message " + chunk.get(Integer.parseInt(id)).messageId(), true);
            for (int i = 0; i < chunk.size(); i++) {
                if (staleIds.contains(Integer.toString(i))) {
                    stale.add(chunk.get(i));
                }
            }
        }
        return stale;
    }

    // ------------------------------------------------------------------------------------------------ release

    @Override
    public void release(List<Delivery> deliveries, Duration delay) {
        Objects.requireNonNull(deliveries, "deliveries");
        int seconds = (int) seconds("delay", delay, MAX_VISIBILITY_SECONDS);
        for (int from = 0; from < deliveries.size(); from += MAX_BATCH) {
            List<Delivery> chunk = deliveries.subList(from, Math.min(deliveries.size(), from + MAX_BATCH));
            Map<String, ChangeMessageVisibilityBatchRequestEntry> entries = new LinkedHashMap<>();
            for (int i = 0; i < chunk.size(); i++) {
                entries.put(Integer.toString(i), ChangeMessageVisibilityBatchRequestEntry.builder()
                        .id(Integer.toString(i)).receiptHandle(chunk.get(i).receiptHandle())
                        .visibilityTimeout(seconds).build());
            }
            runBatch("ChangeMessageVisibilityBatch", queueUrl, entries, pending -> {
                ChangeMessageVisibilityBatchResponse r = client.changeMessageVisibilityBatch(
                        b -> b.queueUrl(queueUrl).entries(pending));
                return new BatchOutcome(ids(r.successful(), ChangeMessageVisibilityBatchResultEntry::id), r.failed());
            }, id -> "message " + chunk.get(Integer.parseInt(id)).messageId(), true);
        }
    }

    // ------------------------------------------------------------------------------------------------ dead letters

    @Override
    public void deadLetter(DeadLetter letter) {
        Objects.requireNonNull(letter, "letter");
        WireFormat.Encoded e = WireFormat.encodeDeadLetter(letter);
        SendMessageRequest request = SendMessageRequest.builder()
                .queueUrl(deadLetterQueueUrl)
                .messageGroupId(e.groupId())
                .messageDeduplicationId(e.messageId())
                .messageBody(e.body())
                .messageAttributes(e.attributes())
                .build();
        try {
            client.sendMessage(request);
        } catch (SdkException ex) {
            throw SqsErrors.map("SendMessage", deadLetterQueueUrl, ex);
        }
    }

    /**
     * Receives up to {@code max} messages from the dead-letter queue, deletes them and returns them as dead letters
     * (reason empty for messages moved by redrive). For tests and tools; not part of the {@link Mailbox} port.
     */
    List<DeadLetter> takeDeadLetters(int max, Duration waitTime) {
        int wait = (int) Math.min(seconds("waitTime", waitTime, Long.MAX_VALUE), MAX_WAIT_SECONDS);
        List<Message> messages;
        try {
            messages = client.receiveMessage(receiveRequest(deadLetterQueueUrl, max, 60, wait)).messages();
        } catch (SdkException e) {
            throw SqsErrors.map("ReceiveMessage", deadLetterQueueUrl, e);
        }
        List<DeadLetter> out = new ArrayList<>();
        Map<String, DeleteMessageBatchRequestEntry> entries = new LinkedHashMap<>();
        for (Message m : messages) {
            out.add(WireFormat.toDeadLetter(m));
            String id = Integer.toString(entries.size());
            entries.put(id, DeleteMessageBatchRequestEntry.builder().id(id).receiptHandle(m.receiptHandle()).build());
        }
        if (!entries.isEmpty()) {
            runBatch("DeleteMessageBatch", deadLetterQueueUrl, entries, pending -> {
                DeleteMessageBatchResponse r = client.deleteMessageBatch(
                        b -> b.queueUrl(deadLetterQueueUrl).entries(pending));
                return new BatchOutcome(ids(r.successful(), DeleteMessageBatchResultEntry::id), r.failed());
            }, id -> "dead letter " + id, true);
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ batches

    /** The answer to one batch request: ids that succeeded and entries that failed. */
    record BatchOutcome(Set<String> succeeded, List<BatchResultErrorEntry> failed) {
    }

    /**
     * Runs one batch request and retries its transiently failed entries (alone, with growing backoff) up to
     * {@code maxSendRetries} times. Entries the response does not mention count as transient failures.
     *
     * @return ids of entries that failed because their receipt is stale (only if {@code staleAllowed})
     * @throws FifoActorsException for a permanent entry failure, retries used up, or a failed request
     */
    private <E> Set<String> runBatch(String operation, String url, Map<String, E> entries,
                                     Function<Collection<E>, BatchOutcome> call, Function<String, String> describe,
                                     boolean staleAllowed) {
        Map<String, E> pending = new LinkedHashMap<>(entries);
        Set<String> stale = new HashSet<>();
        for (int attempt = 1; ; attempt++) {
            BatchOutcome outcome;
            try {
                outcome = call.apply(pending.values());
            } catch (SdkException e) {
                throw SqsErrors.map(operation, url, e);
            }
            Map<String, E> retry = new LinkedHashMap<>();
            BatchResultErrorEntry firstTransient = null;
            Set<String> answered = new HashSet<>(outcome.succeeded());
            for (BatchResultErrorEntry failed : outcome.failed()) {
                String id = failed.id();
                if (!pending.containsKey(id)) {
                    continue;
                }
                answered.add(id);
                SqsErrors.EntryFailure kind = SqsErrors.classify(failed);
                if (kind == SqsErrors.EntryFailure.STALE_RECEIPT && staleAllowed) {
                    stale.add(id);
                } else if (kind == SqsErrors.EntryFailure.TRANSIENT) {
                    retry.put(id, pending.get(id));
                    firstTransient = firstTransient == null ? failed : firstTransient;
                } else {
                    throw SqsErrors.entryFailure(operation, url, describe.apply(id), failed,
                            attempt);
                }
            }
            for (Map.Entry<String, E> e : pending.entrySet()) {
                if (!answered.contains(e.getKey())) {
                    retry.put(e.getKey(), e.getValue());
                    if (firstTransient == null) {
                        firstTransient = BatchResultErrorEntry.builder().id(e.getKey()).code("NoResultForEntry")
                                .senderFault(false).build();
                    }
                }
            }
            if (retry.isEmpty()) {
                return stale;
            }
            if (attempt > maxSendRetries) {
                throw SqsErrors.entryFailure(operation, url, describe.apply(firstTransient.id()),
                        firstTransient, attempt);
            }
            pause(operation, url, attempt);
            pending = retry;
        }
    }

    private void pause(String operation, String url, int attempt) {
        long millis = retryBackoff.toMillis() << Math.min(attempt - 1, 16);
        Duration wait = Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailureException("SQS " + operation + " on " + url
                    + " was interrupted while waiting to retry failed entries", e);
        }
    }

    private static <R> Set<String> ids(List<R> entries, Function<R, String> id) {
        Set<String> out = new HashSet<>();
        for (R r : entries) {
            out.add(id.apply(r));
        }
        return out;
    }

    /** Whole seconds, rounded up; {@code max} bounds the accepted value. */
    static long seconds(String what, Duration d, long max) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, was " + d);
        }
        long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        if (s > max) {
            throw new IllegalArgumentException(what + " must be at most " + max + " seconds, was " + d);
        }
        return s;
    }

    @Override
    public String toString() {
        return "SqsMailbox[" + queueUrl + ", dead letters " + deadLetterQueueUrl + "]";
    }

    /**
     * Builds an {@link SqsMailbox}.
     *
     * <pre>{@code
     * SqsMailbox mailbox = SqsMailbox.builder()
     *         .client(sqs)
     *         .queueUrl("https://sqs.eu-west-1.amazonaws.com/123456789012/accounts.fifo")
     *         .deadLetterQueueUrl("https://sqs.eu-west-1.amazonaws.com/123456789012/accounts-dlq.fifo")
     *         .build();
     * }</pre>
     *
     * <p>Not thread-safe; build on one thread.
     */
    public static final class Builder {
        private SqsClient client;
        private String queueUrl;
        private String deadLetterQueueUrl;
        private int maxSendRetries = 3;
        private Duration retryBackoff = Duration.ofMillis(50);
        private Sleeper sleeper = Sleeper.REAL;

        private Builder() {
        }

        /** The SQS client to use (required). The mailbox never closes it. */
        public Builder client(SqsClient client) {
            this.client = client;
            return this;
        }

        /** The URL of the FIFO mailbox queue (required). */
        public Builder queueUrl(String queueUrl) {
            this.queueUrl = queueUrl;
            return this;
        }

        /** The URL of the FIFO dead-letter queue (required). */
        public Builder deadLetterQueueUrl(String deadLetterQueueUrl) {
            this.deadLetterQueueUrl = deadLetterQueueUrl;
            return this;
        }

        /** Both URLs from a provisioned pair of queues. */
        public Builder queues(SqsQueues queues) {
            Objects.requireNonNull(queues, "queues");
            this.queueUrl = queues.queueUrl();
            this.deadLetterQueueUrl = queues.deadLetterQueueUrl();
            return this;
        }

        /**
         * How many times a batch entry that failed for a passing reason is sent again before the operation fails
         * with a {@code TransientFailureException} (default 3; 0 means no retry). Applies to send, acknowledge and
         * release. Whole requests are retried by the SDK's own retry policy.
         */
        public Builder maxSendRetries(int maxSendRetries) {
            this.maxSendRetries = maxSendRetries;
            return this;
        }

        /** The first wait before retrying failed entries; it doubles with every retry, up to 2 s. */
        Builder retryBackoff(Duration retryBackoff) {
            this.retryBackoff = retryBackoff;
            return this;
        }

        Builder sleeper(Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        /**
         * The mailbox.
         *
         * @throws ConfigurationException if a required setting is missing or a setting is invalid
         */
        public SqsMailbox build() {
            List<String> missing = new ArrayList<>();
            if (client == null) {
                missing.add("client(SqsClient)");
            }
            if (queueUrl == null || queueUrl.isBlank()) {
                missing.add("queueUrl(String)");
            }
            if (deadLetterQueueUrl == null || deadLetterQueueUrl.isBlank()) {
                missing.add("deadLetterQueueUrl(String)");
            }
            if (!missing.isEmpty()) {
                throw new ConfigurationException("SqsMailbox.builder() is missing " + String.join(", ", missing));
            }
            if (!queueUrl.endsWith(".fifo")) {
                throw new ConfigurationException("SqsMailbox needs a FIFO queue, but queueUrl " + queueUrl
                        + " does not end in .fifo");
            }
            if (!deadLetterQueueUrl.endsWith(".fifo")) {
                throw new ConfigurationException("SqsMailbox needs a FIFO dead-letter queue, but deadLetterQueueUrl "
                        + deadLetterQueueUrl + " does not end in .fifo");
            }
            if (queueUrl.equals(deadLetterQueueUrl)) {
                throw new ConfigurationException("SqsMailbox queueUrl and deadLetterQueueUrl are the same queue: "
                        + queueUrl);
            }
            if (maxSendRetries < 0 || maxSendRetries > 20) {
                throw new ConfigurationException("SqsMailbox maxSendRetries must be 0 to 20, was " + maxSendRetries);
            }
            if (retryBackoff == null || retryBackoff.isNegative()) {
                throw new ConfigurationException("SqsMailbox retryBackoff must be zero or positive");
            }
            if (sleeper == null) {
                throw new ConfigurationException("SqsMailbox sleeper must not be null");
            }
            return new SqsMailbox(this);
        }
    }
}
