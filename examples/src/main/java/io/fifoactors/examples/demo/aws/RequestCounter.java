package io.fifoactors.examples.demo.aws;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * An SDK {@link ExecutionInterceptor} that counts AWS requests by service and API, one per HTTP attempt (SDK retries
 * included), so the figures are what a bill or a throttle would see.
 *
 * <pre>{@code
 * RequestCounter requests = new RequestCounter();
 * SqsClient sqs = AwsClients.sqs(endpoint, requests);
 * ...
 * System.out.print(RequestCounter.table("requests", Map.of(), requests.snapshot(), messages, deliveries));
 * }</pre>
 *
 * <p>Attach one counter to several clients to count them together. Thread-safe.
 */
public final class RequestCounter implements ExecutionInterceptor {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    /** A counter at zero. */
    public RequestCounter() {
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        counts.computeIfAbsent(service + " " + operation, k -> new LongAdder()).increment();
    }

    /** Requests so far, by "Service Operation" (for example {@code "Sqs ReceiveMessage"}), sorted. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Requests so far to these APIs (operation names such as {@code "GetItem"}, of any service), summed. */
    public long count(String... operations) {
        long sum = 0;
        for (Map.Entry<String, LongAdder> e : counts.entrySet()) {
            for (String op : operations) {
                if (e.getKey().endsWith(" " + op)) {
                    sum += e.getValue().sum();
                }
            }
        }
        return sum;
    }

    /**
     * A table of the requests made between two snapshots, by API, in total, per message and per delivery: a title
     * line, a header, one line per API with requests, and a total, each indented by two spaces.
     *
     * @param before     an earlier {@link #snapshot()} ({@code Map.of()} to count from zero)
     * @param after      a later snapshot
     * @param messages   the messages the requests served (the per-message denominator)
     * @param deliveries the deliveries they served (the per-delivery denominator; redeliveries included)
     */
    public static String table(String title, Map<String, Long> before, Map<String, Long> after, long messages,
                               long deliveries) {
        return render(title + " (" + messages + " messages, " + deliveries + " deliveries)", before, after, messages,
                deliveries);
    }

    /** Like {@link #table(String, Map, Map, long, long)} without the per-delivery column (for producers). */
    public static String table(String title, Map<String, Long> before, Map<String, Long> after, long messages) {
        return render(title + " (" + messages + " messages)", before, after, messages, -1);
    }

    private static String render(String title, Map<String, Long> before, Map<String, Long> after, long messages,
                                 long deliveries) {
        StringBuilder sb = new StringBuilder();
        sb.append(title).append('\n');
        row(sb, "API", "requests", "per message", "per delivery", deliveries >= 0);
        long total = 0;
        for (Map.Entry<String, Long> e : after.entrySet()) {
            long n = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            if (n == 0) {
                continue;
            }
            total += n;
            row(sb, e.getKey(), n, messages, deliveries);
        }
        row(sb, "total", total, messages, deliveries);
        return sb.toString();
    }

    private static void row(StringBuilder sb, String api, long n, long messages, long deliveries) {
        row(sb, api, Long.toString(n), String.format("%.3f", ratio(n, messages)),
                deliveries >= 0 ? String.format("%.3f", ratio(n, deliveries)) : "", deliveries >= 0);
    }

    private static void row(StringBuilder sb, String api, String n, String perMessage, String perDelivery,
                            boolean withDeliveries) {
        sb.append(String.format("  %-42s %9s %12s", api, n, perMessage));
        if (withDeliveries) {
            sb.append(String.format(" %12s", perDelivery));
        }
        sb.append('\n');
    }

    private static double ratio(long n, long d) {
        return d == 0 ? 0 : n / (double) d;
    }
}
