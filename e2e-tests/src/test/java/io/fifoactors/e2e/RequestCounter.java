package io.fifoactors.e2e;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts AWS requests by service and API, one per HTTP attempt (SDK retries included), so the figures are what a
 * bill or a throttle would see. Attach it to a client's override configuration. Thread-safe.
 */
final class RequestCounter implements ExecutionInterceptor {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        counts.computeIfAbsent(service + " " + operation, k -> new LongAdder()).increment();
    }

    /** Requests so far, by "Service Operation", sorted. */
    Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** A table of the requests between two snapshots, per message and per delivery. */
    static String table(String title, Map<String, Long> before, Map<String, Long> after, long messages,
                        long deliveries) {
        StringBuilder sb = new StringBuilder();
        sb.append(title).append(" (").append(messages).append(" messages, ").append(deliveries)
                .append(" deliveries)\n");
        sb.append(String.format("  %-42s %9s %12s %12s%n", "API", "requests", "per message", "per delivery"));
        long total = 0;
        for (Map.Entry<String, Long> e : after.entrySet()) {
            long n = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            if (n == 0) {
                continue;
            }
            total += n;
            sb.append(String.format("  %-42s %9d %12.3f %12.3f%n", e.getKey(), n, n / (double) messages,
                    n / (double) deliveries));
        }
        sb.append(String.format("  %-42s %9d %12.3f %12.3f%n", "total", total, total / (double) messages,
                total / (double) deliveries));
        return sb.toString();
    }
}
