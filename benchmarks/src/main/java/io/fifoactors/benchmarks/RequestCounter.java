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
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Counts AWS API calls by service and operation as an SDK {@link ExecutionInterceptor} (one per logical call; SDK
 * retries are counted apart as attempts), and the billing units they consume:
 * <ul>
 *   <li>SQS: one billed request per call and per started 64 KiB chunk of its payload: the messages sent
 *       (SendMessage, SendMessageBatch: bodies and attributes) or received (ReceiveMessage).</li>
 *   <li>DynamoDB: the read and write units the server reported ({@code ConsumedCapacity}, which every design asks
 *       for with {@code ReturnConsumedCapacity=TOTAL}; dynalite reports it). For a response without it the units are
 *       computed from item sizes by DynamoDB's rules (a write unit per started 1 KB of the item written, a read unit
 *       per started 4 KB read strongly, half that eventually; an absent item still costs a read unit) and counted as
 *       computed. Computed units are kept for every request too, as a cross-check.</li>
 * </ul>
 */
final class RequestCounter implements ExecutionInterceptor {
    private static final long KB = 1024;
    private static final long SQS_CHUNK = 64 * KB;

    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong sqsBilled = new AtomicLong();
    private final DoubleAdder readUnits = new DoubleAdder();
    private final DoubleAdder writeUnits = new DoubleAdder();
    private final DoubleAdder computedReadUnits = new DoubleAdder();
    private final DoubleAdder computedWriteUnits = new DoubleAdder();
    private final AtomicLong unreported = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicLong itemsWritten = new AtomicLong();

    /**
     * A copy of the counts so far.
     *
     * @param readUnits  billed read units: as reported, or computed where a response reported none
     * @param unreported DynamoDB responses without ConsumedCapacity (their units are computed)
     */
    record Snapshot(Map<String, Long> calls, long attempts, long sqsBilled, double readUnits, double writeUnits,
                    double computedReadUnits, double computedWriteUnits, long unreported, long bytesWritten,
                    long itemsWritten) {
        static final Snapshot EMPTY = new Snapshot(Map.of(), 0, 0, 0, 0, 0, 0, 0, 0, 0);

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

        Snapshot plus(Snapshot o) {
            Map<String, Long> sum = new TreeMap<>(calls);
            o.calls.forEach((k, v) -> sum.merge(k, v, Long::sum));
            return new Snapshot(sum, attempts + o.attempts, sqsBilled + o.sqsBilled, readUnits + o.readUnits,
                    writeUnits + o.writeUnits, computedReadUnits + o.computedReadUnits,
                    computedWriteUnits + o.computedWriteUnits, unreported + o.unreported,
                    bytesWritten + o.bytesWritten, itemsWritten + o.itemsWritten);
        }

        /** These counts less {@code n} ReceiveMessage calls that returned nothing. */
        Snapshot withoutEmptyReceives(long n) {
            Map<String, Long> fixed = new TreeMap<>(calls);
            fixed.merge("SQS ReceiveMessage", -n, Long::sum);
            return new Snapshot(fixed, attempts - n, sqsBilled - n, readUnits, writeUnits, computedReadUnits,
                    computedWriteUnits, unreported, bytesWritten, itemsWritten);
        }

        Snapshot minus(Snapshot b) {
            Map<String, Long> diff = new TreeMap<>();
            for (Map.Entry<String, Long> e : calls.entrySet()) {
                long d = e.getValue() - b.calls.getOrDefault(e.getKey(), 0L);
                if (d != 0) {
                    diff.put(e.getKey(), d);
                }
            }
            return new Snapshot(diff, attempts - b.attempts, sqsBilled - b.sqsBilled, readUnits - b.readUnits,
                    writeUnits - b.writeUnits, computedReadUnits - b.computedReadUnits,
                    computedWriteUnits - b.computedWriteUnits, unreported - b.unreported,
                    bytesWritten - b.bytesWritten, itemsWritten - b.itemsWritten);
        }
    }

    Snapshot snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        calls.forEach((k, v) -> copy.put(k, v.get()));
        return new Snapshot(copy, attempts.get(), sqsBilled.get(), readUnits.sum(), writeUnits.sum(),
                computedReadUnits.sum(), computedWriteUnits.sum(), unreported.get(), bytesWritten.get(),
                itemsWritten.get());
    }

    private static String service(ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        return "dynamodb".equalsIgnoreCase(service) ? "DynamoDB" : "sqs".equalsIgnoreCase(service) ? "SQS" : service;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String svc = service(attributes);
        String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        calls.computeIfAbsent(svc + " " + op, k -> new AtomicLong()).incrementAndGet();
        SdkRequest request = context.request();
        if (request instanceof SendMessageBatchRequest batch) {
            sqsBilled.addAndGet(chunks(sqsSize(batch.entries(), SendMessageBatchRequestEntry::messageBody,
                    SendMessageBatchRequestEntry::messageAttributes)));
        } else if (request instanceof SendMessageRequest send) {
            sqsBilled.addAndGet(chunks(sqsSize(send.messageBody(), send.messageAttributes())));
        } else if ("SQS".equals(svc) && !op.equals("ReceiveMessage")) {
            sqsBilled.incrementAndGet(); // a receive is billed by its response's payload, below
        }
        if (request instanceof PutItemRequest put) {
            long size = itemSize(put.item());
            bytesWritten.addAndGet(size);
            itemsWritten.incrementAndGet();
        }
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        attempts.incrementAndGet();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        SdkResponse response = context.response();
        SdkRequest request = context.request();
        if (response instanceof ReceiveMessageResponse r) {
            sqsBilled.addAndGet(chunks(sqsSize(r.messages(), Message::body, Message::messageAttributes)));
        } else if (response instanceof GetItemResponse get && request instanceof GetItemRequest g) {
            long size = get.hasItem() && get.item() != null ? itemSize(get.item()) : 0;
            double computed = readUnits(size, Boolean.TRUE.equals(g.consistentRead()));
            reads(get.consumedCapacity() == null ? null : List.of(get.consumedCapacity()), computed);
        } else if (response instanceof BatchGetItemResponse batch && request instanceof BatchGetItemRequest b) {
            double computed = 0;
            for (Map.Entry<String, KeysAndAttributes> e : b.requestItems().entrySet()) {
                boolean strong = Boolean.TRUE.equals(e.getValue().consistentRead());
                for (Map<String, AttributeValue> item : batch.responses().getOrDefault(e.getKey(), List.of())) {
                    computed += readUnits(itemSize(item), strong);
                }
                KeysAndAttributes left = batch.unprocessedKeys().get(e.getKey());
                long unprocessed = left == null ? 0 : left.keys().size();
                computed += (e.getValue().keys().size() - unprocessed
                        - batch.responses().getOrDefault(e.getKey(), List.of()).size()) * (strong ? 1.0 : 0.5);
            }
            reads(batch.hasConsumedCapacity() ? batch.consumedCapacity() : null, computed);
        } else if (response instanceof PutItemResponse put && request instanceof PutItemRequest p) {
            writes(put.consumedCapacity(), Math.max(1, ceilDiv(itemSize(p.item()), KB)));
        } else if (response instanceof UpdateItemResponse update) {
            writes(update.consumedCapacity(), 1); // the idempotency records updated here are well under 1 KB
        }
    }

    private void reads(List<ConsumedCapacity> reported, double computed) {
        computedReadUnits.add(computed);
        Double units = null;
        if (reported != null) {
            for (ConsumedCapacity c : reported) {
                Double u = c.readCapacityUnits() != null ? c.readCapacityUnits() : c.capacityUnits();
                if (u != null) {
                    units = (units == null ? 0 : units) + u;
                }
            }
        }
        if (units == null) {
            unreported.incrementAndGet();
            readUnits.add(computed);
        } else {
            readUnits.add(units);
        }
    }

    private void writes(ConsumedCapacity reported, double computed) {
        computedWriteUnits.add(computed);
        Double units = reported == null ? null
                : reported.writeCapacityUnits() != null ? reported.writeCapacityUnits() : reported.capacityUnits();
        if (units == null) {
            unreported.incrementAndGet();
            writeUnits.add(computed);
        } else {
            writeUnits.add(units);
        }
    }

    private static double readUnits(long size, boolean strong) {
        long units = Math.max(1, ceilDiv(size, 4 * KB));
        return strong ? units : units / 2.0;
    }

    private static long chunks(long bytes) {
        return Math.max(1, ceilDiv(bytes, SQS_CHUNK));
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** The payload bytes of a batch's messages (sent or received), as SQS bills them. */
    private static <T> long sqsSize(List<T> messages, java.util.function.Function<T, String> body,
                                    java.util.function.Function<T, Map<String, MessageAttributeValue>> attributes) {
        long bytes = 0;
        for (T m : messages) {
            bytes += sqsSize(body.apply(m), attributes.apply(m));
        }
        return bytes;
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
