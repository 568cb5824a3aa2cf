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

    static void print(Path file, int top, PrintStream out) throws IOException {
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> total = new HashMap<>();
        Map<String, Long> areas = new HashMap<>();
        long samples = 0;
        try (RecordingFile rf = new RecordingFile(file)) {
            while (rf.hasMoreEvents()) {
                RecordedEvent e = rf.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                RecordedStackTrace st = e.getStackTrace();
                if (st == null || st.getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                List<RecordedFrame> frames = st.getFrames();
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
        out.printf(Locale.ROOT, "%,d execution samples in %s%n%n", samples, file);
        table(out, "samples by area (the innermost frame that belongs to a known area decides: see "
                + "ProfileSummary.area)", areas, samples, top);
        table(out, "top frames (self)", self, samples, top);
        table(out, "on the stack (total)", total, samples, top);
    }

    private static void table(PrintStream out, String title, Map<String, Long> counts, long samples, int top) {
        out.println("### " + title);
        out.println();
        out.println("| share | samples | frame |");
        out.println("| ---: | ---: | --- |");
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        for (int i = 0; i < Math.min(top, sorted.size()); i++) {
            Map.Entry<String, Long> e = sorted.get(i);
            out.printf(Locale.ROOT, "| %.1f%% | %,d | `%s` |%n", 100.0 * e.getValue() / samples, e.getValue(),
                    e.getKey());
        }
        out.println();
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    /** The control record codec's classes (their nested classes count too). */
    private static final java.util.Set<String> CONTROL_CODEC = java.util.Set.of(
            "io.fifoactors.core.runtime.ActorControl", "io.fifoactors.core.runtime.ControlBytes",
            "io.fifoactors.core.runtime.SenderMarks", "io.fifoactors.core.runtime.Rejections");

    /**
     * What a sample is spent on: Jackson (codec), the control-record codec, the in-memory ports, the handler, the
     * runtime itself, GC/JDK otherwise. Decided by the innermost frame that names one of those.
     */
    static String area(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            if (type.startsWith("com.fasterxml.jackson") || type.equals("io.fifoactors.core.codec.JacksonCodec")) {
                return "JSON codec (Jackson): state and message bodies";
            }
            if (CONTROL_CODEC.contains(type.replaceFirst("\\$.*", ""))) {
                return "control record codec (ActorControl encode/decode)";
            }
            if (type.startsWith("io.fifoactors.inmemory.")) {
                return "in-memory ports (copies, maps, locks)";
            }
            if (type.startsWith("io.fifoactors.examples.")) {
                return "the ledger handler";
            }
            if (type.equals("io.fifoactors.core.runtime.ActorRunner") && f.getMethod().getName()
                    .equals("messageIdPrefix")) {
                return "SHA-256 of the actor id (ActorRunner.messageIdPrefix, per group per batch)";
            }
            if (type.startsWith("io.fifoactors.benchmarks.")) {
                return "benchmark driver";
            }
            if (type.startsWith("io.fifoactors.")) {
                return "runtime (ActorSystem, ActorRunner, ids, sequence numbers)";
            }
            if (type.startsWith("org.apache.pekko.") || type.startsWith("scala.")) {
                return "Pekko";
            }
        }
        return "JDK / other (no fifo-actors frame on the stack)";
    }
}
