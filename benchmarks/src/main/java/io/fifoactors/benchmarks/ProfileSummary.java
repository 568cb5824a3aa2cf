package io.fifoactors.benchmarks;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Summarises a JFR recording's {@code jdk.ExecutionSample} events (what {@code jfr print --events
 * jdk.ExecutionSample} lists one by one): the methods most often on top of the stack (self time), the methods most
 * often anywhere on the stack (total time), and self time by code area. Samples of threads whose name starts with
 * {@code threadPrefix} only, if one is given.
 */
final class ProfileSummary {
    private ProfileSummary() {
    }

    static void print(Path file, int top, String threadPrefix, PrintStream out) throws IOException {
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> total = new HashMap<>();
        Map<String, Long> areas = new HashMap<>();
        Map<String, Long> allocSites = new HashMap<>();
        Map<String, Long> allocClasses = new HashMap<>();
        long allocated = 0;
        Map<String, Long> blockedOn = new HashMap<>();
        Map<String, Long> blockedAt = new HashMap<>();
        long blockedNanos = 0;
        long samples = 0;
        try (RecordingFile rf = new RecordingFile(file)) {
            while (rf.hasMoreEvents()) {
                RecordedEvent e = rf.readEvent();
                String type = e.getEventType().getName();
                boolean alloc = type.equals("jdk.ObjectAllocationSample");
                boolean monitor = type.equals("jdk.JavaMonitorEnter");
                if (!type.equals("jdk.ExecutionSample") && !alloc && !monitor) {
                    continue;
                }
                if (!threadPrefix.isEmpty()) {
                    jdk.jfr.consumer.RecordedThread t = alloc || monitor ? e.getThread("eventThread")
                            : e.getThread("sampledThread");
                    String name = t == null ? null : t.getJavaName();
                    if (name == null || !name.startsWith(threadPrefix)) {
                        continue;
                    }
                }
                RecordedStackTrace st = e.getStackTrace();
                if (st == null || st.getFrames().isEmpty()) {
                    continue;
                }
                List<RecordedFrame> frames = st.getFrames();
                if (monitor) {
                    long nanos = e.getDuration().toNanos();
                    blockedNanos += nanos;
                    blockedOn.merge(e.getClass("monitorClass").getName(), nanos, Long::sum);
                    blockedAt.merge(allocationSite(frames), nanos, Long::sum);
                    continue;
                }
                if (alloc) {
                    long weight = e.getLong("weight");
                    allocated += weight;
                    allocClasses.merge(e.getClass("objectClass").getName(), weight, Long::sum);
                    allocSites.merge(allocationSite(frames), weight, Long::sum);
                    continue;
                }
                samples++;
                String topFrame = name(frames.get(0));
                self.merge(topFrame, 1L, Long::sum);
                areas.merge(area(frames), 1L, Long::sum);
                Set<String> seen = new HashSet<>();
                for (RecordedFrame f : frames) {
                    String n = name(f);
                    if (seen.add(n)) {
                        total.merge(n, 1L, Long::sum);
                    }
                }
            }
        }
        out.printf(Locale.ROOT, "%,d execution samples in %s%s%n%n", samples, file,
                threadPrefix.isEmpty() ? "" : " (threads named " + threadPrefix + "*)");
        table(out, "samples by area (the innermost frame that belongs to a known area decides: see "
                + "ProfileSummary.area)", areas, samples, top);
        table(out, "top frames by self time (the frame on top of the stack)", self, samples, top);
        table(out, "top frames by inclusive time (the frame anywhere on the stack)", total, samples, top);
        if (blockedNanos > 0) {
            out.printf(Locale.ROOT, "%,d ms blocked entering contended monitors (jdk.JavaMonitorEnter events, which "
                    + "the profile settings record from 10 ms up: the long waits only)%n%n", blockedNanos / 1_000_000);
            table(out, "blocked time by monitor class", millis(blockedOn), blockedNanos / 1_000_000, top, "ms", 1);
            table(out, "blocked time by site (the innermost fifo-actors frame, and the frame that entered)",
                    millis(blockedAt), blockedNanos / 1_000_000, top, "ms", 1);
        }
        if (allocated > 0) {
            out.printf(Locale.ROOT, "%,d MB allocated in all (jdk.ObjectAllocationSample weights: an estimate)%n%n",
                    allocated >> 20);
            table(out, "allocation by class (share of the sampled weight)", allocClasses, allocated, top, "MB",
                    1 << 20);
            table(out, "allocation by site (the innermost fifo-actors frame, and the frame that allocated)",
                    allocSites, allocated, top, "MB", 1 << 20);
        }
    }

    private static void table(PrintStream out, String title, Map<String, Long> counts, long samples, int top) {
        table(out, title, counts, samples, top, "samples", 1);
    }

    private static void table(PrintStream out, String title, Map<String, Long> counts, long samples, int top,
                              String unit, long divisor) {
        out.println("### " + title);
        out.println();
        out.println("| share | " + unit + " | frame |");
        out.println("| ---: | ---: | --- |");
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        for (int i = 0; i < Math.min(top, sorted.size()); i++) {
            Map.Entry<String, Long> e = sorted.get(i);
            out.printf(Locale.ROOT, "| %.1f%% | %,d | `%s` |%n", 100.0 * e.getValue() / samples,
                    e.getValue() / divisor, e.getKey());
        }
        out.println();
    }

    private static Map<String, Long> millis(Map<String, Long> nanos) {
        Map<String, Long> m = new HashMap<>();
        nanos.forEach((k, v) -> m.put(k, v / 1_000_000));
        return m;
    }

    /** The innermost io.fifoactors frame and the allocating frame, or the allocating frame alone. */
    private static String allocationSite(List<RecordedFrame> frames) {
        String top = name(frames.get(0));
        for (RecordedFrame f : frames) {
            String n = name(f);
            if (n.startsWith("io.fifoactors.")) {
                return n.equals(top) ? n : n + " <- " + top;
            }
        }
        return top;
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    /**
     * What a sample is spent on, decided by the innermost frame that names a known area: Jackson (state and message
     * bodies), the control record's binary codec, HMAC signing of actors' messages, the in-memory ports, the consumer
     * loop, the handler, the runtime itself, Pekko, the benchmark driver; JDK / other otherwise.
     */
    static String area(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            if (type.startsWith("com.fasterxml.jackson") || type.equals("io.fifoactors.core.codec.JacksonCodec")) {
                return "JSON codec (Jackson): state and message bodies";
            }
            if (type.startsWith("io.fifoactors.core.internal.Binary") || type.startsWith("io.fifoactors.core.internal.Control")
                    || type.equals("io.fifoactors.core.internal.Mark") || type.equals("io.fifoactors.core.internal.Rejection")
                    || type.startsWith("io.fifoactors.core.internal.OutboxEntry")) {
                return "control record codec (Control encode/decode)";
            }
            if (type.equals("io.fifoactors.core.runtime.MessageKeys") || type.equals("io.fifoactors.core.internal.Signing")
                    || type.startsWith("javax.crypto.") || type.startsWith("com.sun.crypto.")
                    || type.startsWith("sun.security.provider.")) {
                return "HMAC signing and checking of actors' messages (MessageKeys)";
            }
            if (type.startsWith("io.fifoactors.inmemory.")) {
                return "in-memory ports (copies, maps, locks)";
            }
            if (type.startsWith("io.fifoactors.examples.")) {
                return "the ledger handler";
            }
            if (type.startsWith("io.fifoactors.benchmarks.")) {
                return "benchmark driver (workload, producer loop, Pekko glue)";
            }
            if (type.equals("io.fifoactors.core.runtime.Poller") || type.startsWith("io.fifoactors.core.runtime.Poller$")
                    || type.startsWith("io.fifoactors.core.runtime.ConsumerLoop")) {
                return "consumer loop (Poller, ConsumerLoop)";
            }
            if (type.startsWith("io.fifoactors.")) {
                return "runtime (BatchRun, GroupRun, Decider, ids, envelopes)";
            }
            if (type.startsWith("org.apache.pekko.") || type.startsWith("scala.")) {
                return "Pekko";
            }
        }
        return "JDK / other (no fifo-actors frame on the stack)";
    }
}
