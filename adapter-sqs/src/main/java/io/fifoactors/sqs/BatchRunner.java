package io.fifoactors.sqs;

import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.FifoActorsException;
import io.fifoactors.core.TransientFailureException;
import io.fifoactors.sqswire.EncodedMessage;
import io.fifoactors.sqswire.SqsWire;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The batch requests of the SQS classes: SendMessageBatch planned by {@link SendPlanner}, DeleteMessageBatch and
 * ChangeMessageVisibilityBatch in chunks of ten, each with its transiently failed entries retried (alone, with
 * growing backoff) up to {@code maxRetries} times. Entries a response does not mention count as transient failures.
 *
 * <p>Thread-safe: it keeps no mutable state; the client is thread-safe.
 */
final class BatchRunner {
    /** The most retries of an entry a sender may be configured with. */
    static final int MAX_RETRIES = 20;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    private final SqsClient client;
    private final int maxRetries;
    private final Duration backoff;
    private final Sleeper sleeper;

    /**
     * Checks a configured number of retries: 0 to {@value #MAX_RETRIES}.
     *
     * @param setting the setting's name, for the message
     * @throws ConfigurationException otherwise
     */
    static int checkRetries(String setting, int maxRetries) {
        return ConfigurationException.requireBetween(setting, maxRetries, 0, MAX_RETRIES);
    }

    BatchRunner(SqsClient client, int maxRetries, Duration backoff, Sleeper sleeper) {
        this.client = client;
        this.maxRetries = maxRetries;
        this.backoff = backoff;
        this.sleeper = sleeper;
    }

    /**
     * Sends the messages to {@code queueUrl} in requests that keep SQS's limits and, for a FIFO queue
     * ({@code ordered}), each group's order.
     *
     * @param delaySeconds per message index, or null for none
     * @param describe     what to call message {@code i} in an error (never its content)
     */
    void send(String queueUrl, List<EncodedMessage> messages, boolean ordered, Function<Integer, Integer> delaySeconds,
              Function<Integer, String> describe) {
        List<Integer> order = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            order.add(i);
        }
        List<List<Integer>> plan = SendPlanner.plan(order,
                i -> ordered ? "g" + messages.get(i).groupId() : "i" + i, i -> messages.get(i).sizeBytes(),
                SqsWire.MAX_BATCH_PAYLOAD_BYTES);
        for (List<Integer> planned : plan) {
            List<Integer> request = new ArrayList<>(planned.size());
            for (int p : planned) {
                request.add(order.get(p));
            }
            Map<String, SendMessageBatchRequestEntry> entries = new LinkedHashMap<>();
            for (int i = 0; i < request.size(); i++) {
                int index = request.get(i);
                entries.put(Integer.toString(i), SdkWire.entry(Integer.toString(i), messages.get(index),
                        delaySeconds == null ? null : delaySeconds.apply(index)));
            }
            run("SendMessageBatch", queueUrl, entries, pending -> {
                SendMessageBatchResponse r = client.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(pending));
                return new Outcome(ids(r.successful(), SendMessageBatchResultEntry::id), r.failed());
            }, id -> describe.apply(request.get(Integer.parseInt(id))), false);
        }
    }

    /** Deletes by receipt handle; returns the indexes whose receipt was stale or expired. */
    Set<Integer> delete(String queueUrl, List<String> receiptHandles, Function<Integer, String> describe) {
        Set<Integer> stale = new HashSet<>();
        for (int from = 0; from < receiptHandles.size(); from += SqsWire.MAX_BATCH_ENTRIES) {
            int base = from;
            int to = Math.min(receiptHandles.size(), from + SqsWire.MAX_BATCH_ENTRIES);
            Map<String, DeleteMessageBatchRequestEntry> entries = new LinkedHashMap<>();
            for (int i = from; i < to; i++) {
                String id = Integer.toString(i - from);
                entries.put(id, DeleteMessageBatchRequestEntry.builder().id(id).receiptHandle(receiptHandles.get(i))
                        .build());
            }
            for (String id : run("DeleteMessageBatch", queueUrl, entries, pending -> {
                DeleteMessageBatchResponse r = client.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(pending));
                return new Outcome(ids(r.successful(), DeleteMessageBatchResultEntry::id), r.failed());
            }, id -> describe.apply(base + Integer.parseInt(id)), true)) {
                stale.add(base + Integer.parseInt(id));
            }
        }
        return stale;
    }

    /** Changes visibility by receipt handle; a stale or expired receipt is ignored. */
    void changeVisibility(String queueUrl, List<String> receiptHandles, int seconds,
                          Function<Integer, String> describe) {
        for (int from = 0; from < receiptHandles.size(); from += SqsWire.MAX_BATCH_ENTRIES) {
            int base = from;
            int to = Math.min(receiptHandles.size(), from + SqsWire.MAX_BATCH_ENTRIES);
            Map<String, ChangeMessageVisibilityBatchRequestEntry> entries = new LinkedHashMap<>();
            for (int i = from; i < to; i++) {
                String id = Integer.toString(i - from);
                entries.put(id, ChangeMessageVisibilityBatchRequestEntry.builder().id(id)
                        .receiptHandle(receiptHandles.get(i)).visibilityTimeout(seconds).build());
            }
            run("ChangeMessageVisibilityBatch", queueUrl, entries, pending -> {
                ChangeMessageVisibilityBatchResponse r = client.changeMessageVisibilityBatch(
                        b -> b.queueUrl(queueUrl).entries(pending));
                return new Outcome(ids(r.successful(), ChangeMessageVisibilityBatchResultEntry::id), r.failed());
            }, id -> describe.apply(base + Integer.parseInt(id)), true);
        }
    }

    /** The answer to one batch request: ids that succeeded and entries that failed. */
    record Outcome(Set<String> succeeded, List<BatchResultErrorEntry> failed) {
    }

    /**
     * Runs one batch request and retries its transiently failed entries.
     *
     * @return ids of entries that failed because their receipt is stale (only if {@code staleAllowed})
     * @throws FifoActorsException for a permanent entry failure, retries used up, or a failed request
     */
    <E> Set<String> run(String operation, String url, Map<String, E> entries,
                        Function<Collection<E>, Outcome> call, Function<String, String> describe,
                        boolean staleAllowed) {
        Map<String, E> pending = new LinkedHashMap<>(entries);
        Set<String> stale = new HashSet<>();
        for (int attempt = 1; ; attempt++) {
            Outcome outcome;
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
                    throw SqsErrors.entryFailure(operation, url, describe.apply(id), failed, attempt);
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
            if (attempt > maxRetries) {
                throw SqsErrors.entryFailure(operation, url, describe.apply(firstTransient.id()), firstTransient,
                        attempt);
            }
            pause(operation, url, attempt);
            pending = retry;
        }
    }

    private void pause(String operation, String url, int attempt) {
        long millis = backoff.toMillis() << Math.min(attempt - 1, 16);
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

}
