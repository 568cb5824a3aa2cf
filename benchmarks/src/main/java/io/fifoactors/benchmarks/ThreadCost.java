package io.fifoactors.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * Heap bytes allocated and CPU time used by the JVM's threads between two snapshots, from
 * {@code com.sun.management.ThreadMXBean.getThreadAllocatedBytes} and {@code getThreadCpuTime} (HotSpot's per-thread
 * allocation counters: exact, no sampling, no JFR). A snapshot covers every live Java thread (the producer, the
 * consumers or dispatcher threads, and whatever else is alive, which idles); a thread born between the snapshots
 * counts from zero. GC and JIT compiler threads are not Java threads and are not counted; a thread that ended between
 * the snapshots is lost (none does in a benchmark's timed phase). Beside them, the collectors' accumulated collection
 * time ({@code GarbageCollectorMXBean.getCollectionTime}, summed over the collectors: for G1, the young and mixed
 * pauses and the concurrent cycles' time), which the threads' CPU leaves out.
 */
final class ThreadCost {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static {
        if (THREADS.isThreadAllocatedMemorySupported() && !THREADS.isThreadAllocatedMemoryEnabled()) {
            THREADS.setThreadAllocatedMemoryEnabled(true);
        }
        if (THREADS.isThreadCpuTimeSupported() && !THREADS.isThreadCpuTimeEnabled()) {
            THREADS.setThreadCpuTimeEnabled(true);
        }
    }

    private final Map<Long, long[]> byThread;
    private final long caller;
    private final long gcMillis;

    private ThreadCost(Map<Long, long[]> byThread, long caller, long gcMillis) {
        this.byThread = byThread;
        this.caller = caller;
        this.gcMillis = gcMillis;
    }

    private static long gcMillisNow() {
        long sum = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }

    /** The counters of every live thread now. */
    static ThreadCost snapshot() {
        long[] ids = THREADS.getAllThreadIds();
        long[] bytes = THREADS.getThreadAllocatedBytes(ids);
        long[] cpu = THREADS.getThreadCpuTime(ids);
        Map<Long, long[]> m = new HashMap<>(ids.length * 2);
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) {
                m.put(ids[i], new long[] {bytes[i], Math.max(0, cpu[i])});
            }
        }
        return new ThreadCost(m, Thread.currentThread().getId(), gcMillisNow());
    }

    /** Bytes allocated and CPU nanoseconds used from {@code before} to this snapshot, summed over threads. */
    Delta since(ThreadCost before) {
        long bytes = 0;
        long cpu = 0;
        long callerBytes = 0;
        long callerCpu = 0;
        for (Map.Entry<Long, long[]> e : byThread.entrySet()) {
            long[] b = before.byThread.getOrDefault(e.getKey(), new long[2]);
            long db = Math.max(0, e.getValue()[0] - b[0]);
            long dc = Math.max(0, e.getValue()[1] - b[1]);
            bytes += db;
            cpu += dc;
            if (e.getKey() == caller) {
                callerBytes = db;
                callerCpu = dc;
            }
        }
        return new Delta(bytes, cpu, callerBytes, callerCpu, gcMillis - before.gcMillis);
    }

    /**
     * What the threads spent; {@code caller*}: the part of the thread that took the snapshots (the benchmark's
     * producer, which also waits for the run to end); {@code gcMillis}: the collectors' time in between.
     */
    record Delta(long allocatedBytes, long cpuNanos, long callerBytes, long callerCpuNanos, long gcMillis) {
    }
}
