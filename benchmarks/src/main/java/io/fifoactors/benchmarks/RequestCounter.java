package io.fifoactors.benchmarks;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts AWS API calls by service and operation as an SDK {@link ExecutionInterceptor} (one per logical call; SDK
 * retries are counted apart as attempts), and the billing units they consume:
 * <ul>
 *   <li>SQS: one billed request per call and per started 64 KiB of payload (SendMessage and SendMessageBatch).</li>
 *   <li>DynamoDB on-demand: a write request unit per started 1 KB of the item written (PutItem: the item in the
 *       request; UpdateItem: counted as one unit, as the idempotency records updated here are well under 1 KB); a read
 *       request unit per started 4 KB of each item read with strong consistency (an absent item still costs one).</li>
 * </ul>
 * DynamoDB bills a write by the larger of the item before and after; the items here do not shrink between writes,
 * so the written size is the right one.
 */
final class RequestCounter implements ExecutionInterceptor {
    private static final long KB = 1024;
    private static final long SQS_CHUNK = 64 * KB;

    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong sqsBilled = new AtomicLong();
    private final AtomicLong readUnits = new AtomicLong();
    private final AtomicLong writeUnits = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicLong itemsWritten = new AtomicLong();

    /** A copy of the counts so far. */
    record Snapshot(Map<String, Long> calls, long attempts, long sqsBilled, long readUnits, long writeUnits,
                    long bytesWritten, long itemsWritten) {
        long total(String servicePrefix) {
            long n = 0;
            for (Map.Entry<String, Long> e : calls.entrySet()) {
                if (e.getKey().startsWith(servicePrefix)) {
                    n += e.getValue();
                }
            }
            return n;
        }

        long get(String key) {
            return calls.getOrDefault(key, 0L);
        }

        long all() {
            long n = 0;
            for (long v : calls.values()) {
                n += v;
            }
            return n;
        }

        static final Snapshot EMPTY = new Snapshot(Map.of(), 0, 0, 0, 0, 0, 0);

        Snapshot plus(Snapshot other) {
            Map<String, Long> sum = new TreeMap<>(calls);
            other.calls.forEach((k, v) -> sum.merge(k, v, Long::sum));
            return new Snapshot(sum, attempts + other.attempts, sqsBilled + other.sqsBilled,
                    readUnits + other.readUnits, writeUnits + other.writeUnits, bytesWritten + other.bytesWritten,
                    itemsWritten + other.itemsWritten);
        }

        /** These counts less {@code n} ReceiveMessage calls that returned nothing. */
        Snapshot withoutEmptyReceives(long n) {
            Map<String, Long> fixed = new TreeMap<>(calls);
            fixed.merge("SQS ReceiveMessage", -n, Long::sum);
            return new Snapshot(fixed, attempts - n, sqsBilled - n, readUnits, writeUnits, bytesWritten, itemsWritten);
        }

        Snapshot minus(Snapshot before) {
            Map<String, Long> diff = new TreeMap<>();
            for (Map.Entry<String, Long> e : calls.entrySet()) {
                long d = e.getValue() - before.calls.getOrDefault(e.getKey(), 0L);
                if (d != 0) {
                    diff.put(e.getKey(), d);
                }
            }
            return new Snapshot(diff, attempts - before.attempts, sqsBilled - before.sqsBilled,
                    readUnits - before.readUnits, writeUnits - before.writeUnits, bytesWritten - before.bytesWritten,
                    itemsWritten - before.itemsWritten);
        }
    }

    Snapshot snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        calls.forEach((k, v) -> copy.put(k, v.get()));
        return new Snapshot(copy, attempts.get(), sqsBilled.get(), readUnits.get(), writeUnits.get(),
                bytesWritten.get(), itemsWritten.get());
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        String svc = "dynamodb".equalsIgnoreCase(service) ? "DynamoDB" : "sqs".equalsIgnoreCase(service) ? "SQS" : service;
        String key = svc + " " + op;
        calls.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
        SdkRequest request = context.request();
        if (request instanceof PutItemRequest put) {
            long size = itemSize(put.item());
            writeUnits.addAndGet(Math.max(1, ceilDiv(size, KB)));
            bytesWritten.addAndGet(size);
            itemsWritten.incrementAndGet();
        } else if (request instanceof UpdateItemRequest) {
            writeUnits.incrementAndGet();
        } else if (request instanceof SendMessageBatchRequest batch) {
            long bytes = 0;
            for (SendMessageBatchRequestEntry e : batch.entries()) {
                bytes += sqsSize(e.messageBody(), e.messageAttributes());
            }
            sqsBilled.addAndGet(Math.max(1, ceilDiv(bytes, SQS_CHUNK)));
        } else if (request instanceof SendMessageRequest send) {
            sqsBilled.addAndGet(Math.max(1, ceilDiv(sqsSize(send.messageBody(), send.messageAttributes()), SQS_CHUNK)));
        } else if ("SQS".equals(svc)) {
            sqsBilled.incrementAndGet();
        }
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        attempts.incrementAndGet();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        SdkResponse response = context.response();
        if (response instanceof GetItemResponse get && context.request() instanceof GetItemRequest) {
            long size = get.hasItem() && get.item() != null ? itemSize(get.item()) : 0;
            readUnits.addAndGet(Math.max(1, ceilDiv(size, 4 * KB)));
        } else if (response instanceof BatchGetItemResponse batch
                && context.request() instanceof BatchGetItemRequest request) {
            long requested = 0;
            for (KeysAndAttributes k : request.requestItems().values()) {
                requested += k.keys().size();
            }
            long returned = 0;
            for (List<Map<String, AttributeValue>> items : batch.responses().values()) {
                for (Map<String, AttributeValue> item : items) {
                    readUnits.addAndGet(Math.max(1, ceilDiv(itemSize(item), 4 * KB)));
                    returned++;
                }
            }
            long unprocessed = 0;
            for (KeysAndAttributes k : batch.unprocessedKeys().values()) {
                unprocessed += k.keys().size();
            }
            readUnits.addAndGet(Math.max(0, requested - returned - unprocessed)); // absent items
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static long sqsSize(String body, Map<String, MessageAttributeValue> attributes) {
        long n = body == null ? 0 : body.getBytes(StandardCharsets.UTF_8).length;
        if (attributes != null) {
            for (Map.Entry<String, MessageAttributeValue> a : attributes.entrySet()) {
                n += a.getKey().getBytes(StandardCharsets.UTF_8).length;
                MessageAttributeValue v = a.getValue();
                n += v.dataType() == null ? 0 : v.dataType().length();
                if (v.stringValue() != null) {
                    n += v.stringValue().getBytes(StandardCharsets.UTF_8).length;
                }
                if (v.binaryValue() != null) {
                    n += v.binaryValue().asByteArray().length;
                }
            }
        }
        return n;
    }

    /** DynamoDB's item size: per attribute, the UTF-8 length of its name plus the size of its value. */
    static long itemSize(Map<String, AttributeValue> item) {
        long n = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            n += e.getKey().getBytes(StandardCharsets.UTF_8).length + valueSize(e.getValue());
        }
        return n;
    }

    private static long valueSize(AttributeValue v) {
        if (v.s() != null) {
            return v.s().getBytes(StandardCharsets.UTF_8).length;
        }
        if (v.n() != null) {
            String digits = v.n().replace("-", "").replace(".", "");
            return (digits.length() + 1) / 2 + 1;
        }
        if (v.b() != null) {
            return v.b().asByteArray().length;
        }
        if (v.bool() != null || Boolean.TRUE.equals(v.nul())) {
            return 1;
        }
        if (v.hasM()) {
            long n = 3;
            for (Map.Entry<String, AttributeValue> e : v.m().entrySet()) {
                n += e.getKey().getBytes(StandardCharsets.UTF_8).length + valueSize(e.getValue()) + 1;
            }
            return n;
        }
        if (v.hasL()) {
            long n = 3;
            for (AttributeValue e : v.l()) {
                n += valueSize(e) + 1;
            }
            return n;
        }
        return 1;
    }
}
