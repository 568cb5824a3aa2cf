package io.fifoactors.benchmarks;

import io.fifoactors.dynamodb.DynamoDbStateStore.CapacitySource;
import io.fifoactors.inmemory.FaultPlan;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark command: runs B1 to B4 and prints Markdown tables (docs/benchmarks.md is made of them).
 *
 * <pre>
 * java -jar benchmarks/target/fifo-actors-benchmarks.jar all            # everything, default sizes
 * java -jar benchmarks/target/fifo-actors-benchmarks.jar b1 --quick     # one benchmark, small sizes
 * java -jar benchmarks/target/fifo-actors-benchmarks.jar jmh -f 1 -wi 2 -i 3   # the JMH hot paths
 * java -jar benchmarks/target/fifo-actors-benchmarks.jar profile-summary b1.jfr 20 b1-fifo
 * </pre>
 */
public final class Main {
    static final String USAGE = String.join("\n",
            "usage: java -jar fifo-actors-benchmarks.jar COMMAND [flags]",
            "commands:",
            "  all                 B1, B2, B3 and B4, then the targets (default)",
            "  b1 | b2 | b3 | b4   one benchmark",
            "  jmh [JMH args]      the JMH hot-path benchmarks (e.g. jmh -f 1 -wi 3 -i 5 ProcessBenchmark)",
            "  profile-summary FILE.jfr [N] [THREAD-PREFIX]",
            "                      top N frames (self and inclusive) of a JFR recording's jdk.ExecutionSample",
            "                      events, of the threads whose name starts with THREAD-PREFIX if given",
            "flags:",
            "  --quick             small sizes everywhere (seconds, for a smoke run)",
            "  --seed N            workload seed (default 42)",
            "  --b1-accounts N     default 10000     --b1-messages N   default 1000000",
            "  --b1-consumers N    default 2 (the Poller's consumer threads; Pekko's dispatcher has 2 threads)",
            "  --b1-only LIST      comma list of: fifo,typed,ds,es (default all)",
            "  --item-accounts N   default 200: a second in-memory ledger for the item size distribution",
            "  --b2-accounts N     default 200       --b2-messages N   default 1000 (per workload and design)",
            "  --b2-burst N        default 5: consecutive transactions per account in the bursts workload",
            "  --b2-workloads LIST comma list of: plain,bursts,backlog (default all)",
            "  --b1-warmup BOOL    default true (false with --quick): run every B1 contender once on a smaller",
            "                      workload first",
            "  --b3-messages N     default 20000     --b3-accounts N   default 10000",
            "  --b4-messages N     default 20000     --b4-accounts N   default 1000");

    /** List prices, us-east-1, USD: see docs/benchmarks.md for the date and sources. */
    static final double SQS_FIFO_PER_MILLION = 0.50;
    static final double DDB_WRITE_UNIT_PER_MILLION = 0.625;
    static final double DDB_READ_UNIT_PER_MILLION = 0.125;

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("pekko.loglevel", System.getProperty("pekko.loglevel", "WARNING"));
        String command = args.length == 0 ? "all" : args[0];
        if (command.equals("--help") || command.equals("-h") || command.equals("help")) {
            System.out.println(USAGE);
            return;
        }
        if (command.equals("jmh")) {
            org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (command.equals("profile-summary")) {
            if (args.length < 2) {
                System.err.println(USAGE);
                System.exit(2);
            }
            ProfileSummary.print(java.nio.file.Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 25,
                    args.length > 3 ? args[3] : "", System.out);
            return;
        }
        Options o;
        try {
            o = Options.parse(Arrays.copyOfRange(args, command.startsWith("-") ? 0 : 1, args.length));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (command.startsWith("-")) {
            command = "all";
        }
        if (!List.of("all", "b1", "b2", "b3", "b4").contains(command)) {
            System.err.println("unknown command " + command);
            System.err.println(USAGE);
            System.exit(2);
        }
        PrintStream out = System.out;
        out.println(header(command, args));
        List<String[]> targets = new ArrayList<>();
        switch (command) {
            case "all" -> {
                B1 b1 = b1(o, out);
                List<AwsRequests.Figures> b2 = b2(o, out);
                b3(o, out);
                b4(o, out);
                targets.addAll(b1Targets(b1));
                targets.addAll(b2Targets(b2, b1));
                printTargets(targets, out);
            }
            case "b1" -> printTargets(b1Targets(b1(o, out)), out);
            case "b2" -> printTargets(b2Targets(b2(o, out), null), out);
            case "b3" -> b3(o, out);
            case "b4" -> b4(o, out);
            default -> throw new IllegalStateException(command);
        }
        out.printf(Locale.ROOT, "%nFinished: %s, %s.%n", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                load());
    }

    /** Parsed flags with their defaults. */
    static final class Options {
        boolean quick;
        long seed = 42;
        int b1Accounts = 10_000;
        int b1Messages = 1_000_000;
        int b1Consumers = 2;
        List<String> b1Only = List.of("fifo", "typed", "ds", "es");
        int itemAccounts = 200;
        int b2Accounts = 200;
        int b2Messages = 1_000;
        int b2Burst = 5;
        List<String> b2Workloads = List.of("plain", "bursts", "backlog");
        boolean b1Warmup = true;
        int b3Messages = 20_000;
        int b3Accounts = 10_000;
        int b4Messages = 20_000;
        int b4Accounts = 1_000;

        static Options parse(String[] args) {
            Options o = new Options();
            for (String a : args) {
                if (a.equals("--quick")) {
                    o.quick = true;
                    o.b1Warmup = false;
                    o.b1Accounts = 1_000;
                    o.b1Messages = 50_000;
                    o.itemAccounts = 50;
                    o.b2Accounts = 20;
                    o.b2Messages = 200;
                    o.b3Messages = 2_000;
                    o.b3Accounts = 1_000;
                    o.b4Messages = 2_000;
                    o.b4Accounts = 100;
                }
            }
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--quick")) {
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("flag " + a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--seed" -> o.seed = Long.parseLong(v);
                    case "--b1-accounts" -> o.b1Accounts = positive(a, v);
                    case "--b1-messages" -> o.b1Messages = positive(a, v);
                    case "--b1-consumers" -> o.b1Consumers = positive(a, v);
                    case "--b1-only" -> o.b1Only = List.of(v.split(","));
                    case "--item-accounts" -> o.itemAccounts = positive(a, v);
                    case "--b2-accounts" -> o.b2Accounts = positive(a, v);
                    case "--b2-messages" -> o.b2Messages = positive(a, v);
                    case "--b2-burst" -> o.b2Burst = positive(a, v);
                    case "--b2-workloads" -> o.b2Workloads = List.of(v.split(","));
                    case "--b1-warmup" -> o.b1Warmup = Boolean.parseBoolean(v);
                    case "--b3-messages" -> o.b3Messages = positive(a, v);
                    case "--b3-accounts" -> o.b3Accounts = positive(a, v);
                    case "--b4-messages" -> o.b4Messages = positive(a, v);
                    case "--b4-accounts" -> o.b4Accounts = positive(a, v);
                    default -> throw new IllegalArgumentException("unknown flag " + a);
                }
            }
            for (String c : o.b1Only) {
                if (!List.of("fifo", "typed", "ds", "es").contains(c)) {
                    throw new IllegalArgumentException("--b1-only takes fifo, typed, ds, es; got " + c);
                }
            }
            return o;
        }

        private static int positive(String flag, String v) {
            int n;
            try {
                n = Integer.parseInt(v.replace("_", "").replace(",", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + " needs a whole number, got " + v);
            }
            if (n < 1) {
                throw new IllegalArgumentException(flag + " must be positive, got " + v);
            }
            return n;
        }
    }

    /** The 1, 5 and 15 minute load averages (Linux), to show how busy the shared machine was. */
    static String load() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim().split("\\s+");
            return "load average " + f[0] + " / " + f[1] + " / " + f[2] + " (1 / 5 / 15 min)";
        } catch (java.io.IOException | RuntimeException e) {
            return "load average unknown";
        }
    }

    static String header(String command, String[] args) {
        Runtime rt = Runtime.getRuntime();
        return String.format(Locale.ROOT, "# fifo-actors benchmarks%n%n- command: `java -jar fifo-actors-benchmarks.jar %s`"
                        + "%n- date: %s%n- machine: %d cores (Runtime.availableProcessors), %s %s, max heap %d MiB"
                        + "%n- JVM: %s %s (%s)%n- JVM flags: %s%n- at the start: %s%n",
                String.join(" ", args.length == 0 ? new String[] {command} : args),
                ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                rt.availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                rt.maxMemory() >> 20, System.getProperty("java.vm.name"), System.getProperty("java.version"),
                System.getProperty("java.vm.vendor"),
                ManagementFactory.getRuntimeMXBean().getInputArguments(), load());
    }

    // ------------------------------------------------------------------------------------------------ B1

    /** B1's results: the contenders, and the item sizes of the fifo-actors runs by number of accounts. */
    record B1(List<RuntimeThroughput.Result> results, Map<Integer, long[]> itemSizes) {
        RuntimeThroughput.Result find(String prefix) {
            return results.stream().filter(r -> r.name().startsWith(prefix)).findFirst().orElse(null);
        }
    }

    static B1 b1(Options o, PrintStream out) {
        out.printf(Locale.ROOT, "%n## B1 in-memory throughput: ledger, %,d accounts, %,d transactions (half transfers)%n%n",
                o.b1Accounts, o.b1Messages);
        out.println("At the start: " + load() + ".");
        out.println();
        LedgerWorkload w = LedgerWorkload.generate(o.b1Accounts, o.b1Messages, 0.5, 1, o.seed);
        LedgerWorkload warm = LedgerWorkload.generate(Math.min(o.b1Accounts, 2_000),
                Math.max(1_000, Math.min(o.b1Messages / 5, 200_000)), 0.5, 1, o.seed + 1);
        Map<String, java.util.function.Function<LedgerWorkload, RuntimeThroughput.Result>> contenders =
                new LinkedHashMap<>();
        if (o.b1Only.contains("fifo")) {
            contenders.put("fifo", x -> RuntimeThroughput.run(x, o.b1Consumers));
        }
        if (o.b1Only.contains("typed")) {
            contenders.put("typed", x -> PekkoThroughput.run(PekkoThroughput.Kind.TYPED, x));
        }
        if (o.b1Only.contains("ds")) {
            contenders.put("ds", x -> PekkoThroughput.run(PekkoThroughput.Kind.DURABLE_STATE, x));
        }
        if (o.b1Only.contains("es")) {
            contenders.put("es", x -> PekkoThroughput.run(PekkoThroughput.Kind.EVENT_SOURCED, x));
        }
        if (o.b1Warmup) {
            out.printf(Locale.ROOT, "Warm-up: every contender runs once on %,d accounts / %,d transactions first (not "
                    + "reported).%n%n", warm.accounts(), warm.transactions().size());
            for (var c : contenders.values()) {
                c.apply(warm);
            }
        } else {
            out.printf(Locale.ROOT, "No warm-up (--quick or --b1-warmup false).%n%n");
        }
        List<RuntimeThroughput.Result> results = new ArrayList<>();
        for (var c : contenders.values()) {
            System.gc();
            results.add(c.apply(w));
        }
        B1 b1 = new B1(results, new LinkedHashMap<>());
        RuntimeThroughput.Result ref = b1.find("fifo-actors");
        out.println("| contender | messages/s (the " + String.format(Locale.ROOT, "%,d", w.transactions().size())
                + " transactions) | handled/s (with credits) | seconds | fifo-actors ÷ this | bytes allocated per "
                + "handled message | of which the producer | CPU µs per handled message | of which the producer "
                + "| GC s (share of the run) | money conserved | retried |");
        out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |");
        for (RuntimeThroughput.Result r : results) {
            out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f | %.2f | %s | %,.0f | %,.0f | %.2f | %.2f | %.2f (%.0f%%) | %s "
                            + "| %d |%n",
                    r.name(), r.externalPerSecond(), r.handledPerSecond(), r.seconds(),
                    ref == null ? "n/a" : String.format(Locale.ROOT, "%.2f", ref.externalPerSecond()
                            / r.externalPerSecond()),
                    r.bytesPerHandled(), r.producerBytes() / (double) r.handled(), r.cpuMicrosPerHandled(),
                    r.producerCpuNanos() / 1e3 / r.handled(), r.gcMillis() / 1e3, 100 * r.gcMillis() / 1e3 / r.seconds(),
                    r.moneyConserved() ? "yes" : "NO", r.failed());
        }
        out.printf(Locale.ROOT, "%nAt the end: %s.%n", load());
        for (RuntimeThroughput.Result r : results) {
            if (!r.note().isEmpty()) {
                out.printf(Locale.ROOT, "%n%s: %s.%n", r.name(), r.note());
            }
        }
        out.printf(Locale.ROOT, "%nHandled = transactions + the credits that successful transfers caused (%,d here). "
                + "Bytes allocated and CPU: summed over every Java thread of the JVM between the start and the end of "
                + "the timed phase (com.sun.management.ThreadMXBean.getThreadAllocatedBytes and getThreadCpuTime: the "
                + "producer, the consumer or dispatcher threads, and the idle rest; GC and JIT threads are not Java "
                + "threads and are not counted), divided by the messages handled. GC: the collectors' time in the "
                + "timed phase (GarbageCollectorMXBean.getCollectionTime summed: G1's pauses, which stop every thread, "
                + "and its concurrent cycles), which the CPU column leaves out. \"Of which the producer\": the "
                + "calling thread, which sends the transactions (fifo-actors: Ingress, encoding included; Pekko: "
                + "tell) and then polls for the end every millisecond.%n",
                results.get(0).handled() - results.get(0).external());
        if (ref != null) {
            b1.itemSizes().put(o.b1Accounts, ref.itemSizes());
            if (o.itemAccounts != o.b1Accounts) {
                LedgerWorkload small = LedgerWorkload.generate(o.itemAccounts, Math.max(1_000, o.b1Messages / 5),
                        0.5, 1, o.seed + 2);
                RuntimeThroughput.Result r = RuntimeThroughput.run(small, o.b1Consumers);
                b1.itemSizes().put(o.itemAccounts, r.itemSizes());
                out.printf(Locale.ROOT, "%nA second fifo-actors run for the item sizes (not timed): %,d accounts, %,d "
                        + "transactions, money conserved: %s.%n", o.itemAccounts, small.transactions().size(),
                        r.moneyConserved() ? "yes" : "NO");
            }
            out.printf(Locale.ROOT, "%n### Hot item size after the run (fifo-actors defaults: hotMarks 16, keptRejections"
                    + " 0)%n%nEach account's record as DynamoDB bills its item (`DynamoDbStateStore.itemSizeBytes`: "
                    + "key, version, state and control attributes), from the in-memory store at the end of the run.%n%n");
            itemSizeHeader(out, "ledger");
            for (Map.Entry<Integer, long[]> e : b1.itemSizes().entrySet()) {
                itemSizeRow(out, String.format(Locale.ROOT, "%,d accounts, in memory, %,d transactions", e.getKey(),
                        e.getKey() == o.b1Accounts ? o.b1Messages : Math.max(1_000, o.b1Messages / 5)), e.getValue());
            }
        }
        return b1;
    }

    static void itemSizeHeader(PrintStream out, String what) {
        out.println("| " + what + " | items | p50 bytes | p90 bytes | p99 bytes | max bytes | write units per commit at "
                + "p99 |");
        out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    }

    static void itemSizeRow(PrintStream out, String name, long[] sorted) {
        if (sorted.length == 0) {
            return;
        }
        out.printf(Locale.ROOT, "| %s | %,d | %,d | %,d | %,d | %,d | %d |%n", name, sorted.length, pct(sorted, 50),
                pct(sorted, 90), pct(sorted, 99), sorted[sorted.length - 1], (pct(sorted, 99) + 1023) / 1024);
    }

    static long pct(long[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static List<String[]> b1Targets(B1 b1) {
        List<String[]> t = new ArrayList<>();
        RuntimeThroughput.Result fifo = b1.find("fifo-actors");
        RuntimeThroughput.Result ds = b1.find("Pekko durable");
        RuntimeThroughput.Result es = b1.find("Pekko event");
        if (fifo != null && ds != null) {
            double r = fifo.externalPerSecond() / ds.externalPerSecond();
            t.add(new String[] {"B1", "fifo-actors ≥ 1.5× Pekko durable state", String.format(Locale.ROOT,
                    "%.2f× (%,.0f vs %,.0f messages/s)", r, fifo.externalPerSecond(), ds.externalPerSecond()),
                    r >= 1.5 ? "met" : "**missed**"});
        }
        if (fifo != null && es != null) {
            double r = fifo.externalPerSecond() / es.externalPerSecond();
            t.add(new String[] {"B1", "fifo-actors ≥ 5× Pekko event-sourced with Jackson", String.format(Locale.ROOT,
                    "%.2f× (%,.0f vs %,.0f messages/s)", r, fifo.externalPerSecond(), es.externalPerSecond()),
                    r >= 5 ? "met" : "**missed**"});
        }
        if (fifo != null) {
            double b = fifo.bytesPerHandled();
            t.add(new String[] {"B1", "≤ 2 KB allocated per handled message", String.format(Locale.ROOT,
                    "%,.0f bytes", b), b <= 2048 ? "met" : "**missed**"});
            for (Map.Entry<Integer, long[]> e : b1.itemSizes().entrySet()) {
                long p99 = pct(e.getValue(), 99);
                long max = e.getValue().length == 0 ? 0 : e.getValue()[e.getValue().length - 1];
                t.add(new String[] {"B2", String.format(Locale.ROOT, "hot item within 1 KB (%,d accounts)", e.getKey()),
                        String.format(Locale.ROOT, "p50 %,d, p99 %,d, max %,d bytes", pct(e.getValue(), 50), p99, max),
                        max <= 1024 ? "met" : p99 <= 1024 ? "met at p99, **missed** at max" : "**missed**"});
            }
        }
        return t;
    }

    static void printTargets(List<String[]> targets, PrintStream out) {
        if (targets.isEmpty()) {
            return;
        }
        out.printf(Locale.ROOT, "%n## Targets: met or missed%n%n| benchmark | target | measured | verdict |%n"
                + "| --- | --- | --- | --- |%n");
        for (String[] t : targets) {
            out.printf(Locale.ROOT, "| %s | %s | %s | %s |%n", t[0], t[1], t[2], t[3]);
        }
    }

    // ------------------------------------------------------------------------------------------------ B2

    static double dollars(RequestCounter.Snapshot s) {
        return s.sqsBilled() * SQS_FIFO_PER_MILLION / 1e6 + s.writeUnits() * DDB_WRITE_UNIT_PER_MILLION / 1e6
                + s.readUnits() * DDB_READ_UNIT_PER_MILLION / 1e6;
    }

    static List<AwsRequests.Figures> b2(Options o, PrintStream out) {
        out.printf(Locale.ROOT, "%n## B2 AWS requests, capacity units and dollars per message (ElasticMQ + dynalite, "
                + "one consumer)%n%n");
        out.println("At the start: " + load() + " (counts do not depend on it; wall times do).");
        out.println();
        record Case(String name, LedgerWorkload w, AwsRequests.Mode mode) {
        }
        List<Case> cases = new ArrayList<>();
        if (o.b2Workloads.contains("plain")) {
            cases.add(new Case("plain ledger", LedgerWorkload.generate(o.b2Accounts, o.b2Messages, 0.5, 1, o.seed),
                    AwsRequests.Mode.STREAMING));
        }
        if (o.b2Workloads.contains("bursts")) {
            cases.add(new Case(String.format(Locale.ROOT, "bursts of %d per account", o.b2Burst),
                    LedgerWorkload.generate(o.b2Accounts, o.b2Messages, 0.5, o.b2Burst, o.seed),
                    AwsRequests.Mode.STREAMING));
        }
        if (o.b2Workloads.contains("backlog")) {
            cases.add(new Case("from a backlog", LedgerWorkload.generate(o.b2Accounts, o.b2Messages, 0.5, 1, o.seed),
                    AwsRequests.Mode.BACKLOG));
        }
        List<AwsRequests.Figures> all = new ArrayList<>();
        try (AwsRequests.Env env = new AwsRequests.Env()) {
            for (Case c : cases) {
                all.add(AwsRequests.library(env, c.w(), c.name(), c.mode(), AwsRequests.DEFAULTS));
                all.add(AwsRequests.library(env, c.w(), c.name(), c.mode(), AwsRequests.REDRIVE));
                all.add(AwsRequests.library(env, c.w(), c.name(), c.mode(), AwsRequests.CACHE));
                all.add(AwsRequests.naive(env, c.w(), c.name(), c.mode()));
                all.add(AwsRequests.idempotency(env, c.w(), c.name(), c.mode()));
            }
        }
        out.printf(Locale.ROOT, "%,d accounts, %,d transactions per workload (half transfers; each successful transfer "
                + "causes a credit message). Plain ledger and bursts: ten transactions are enqueued, then the queue is "
                + "drained, and so on (a consumer that keeps up); backlog: everything is enqueued first. Per message = "
                + "per message handled (transactions + credits); producer included everywhere.%n%n",
                o.b2Accounts, o.b2Messages);
        out.println("| workload | design | handled | batches | msgs per group per batch | requests / msg | SQS "
                + "billed requests / msg | DynamoDB requests / msg | WRU / msg | RRU / msg | $ per million msgs "
                + "| ÷ naive ($) | ÷ idempotency ($) | money conserved | wall s |");
        out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- "
                + "| ---: |");
        for (AwsRequests.Figures f : all) {
            double n = f.handled();
            RequestCounter.Snapshot s = f.both();
            AwsRequests.Figures naive = find(all, f.workload(), AwsRequests.NAIVE);
            AwsRequests.Figures idem = find(all, f.workload(), AwsRequests.IDEMPOTENCY);
            out.printf(Locale.ROOT, "| %s | %s | %,d | %,d | %.2f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.2f "
                            + "| %.2f | %s | %.1f |%n",
                    f.workload(), f.design(), f.handled(), f.batches(), f.messagesPerGroupPerBatch(),
                    f.allPerMessage(), s.sqsBilled() / n, s.total("DynamoDB") / n, s.writeUnits() / n,
                    s.readUnits() / n, f.dollarsPerMillion(),
                    naive == null ? Double.NaN : f.dollarsPerMillion() / naive.dollarsPerMillion(),
                    idem == null ? Double.NaN : f.dollarsPerMillion() / idem.dollarsPerMillion(),
                    f.conserved() ? "yes" : "NO", f.wallSeconds());
        }
        out.println();
        out.println("Requests by API, per message handled (consumer; the producer's `SendMessageBatch` per "
                + "transaction in the last column):");
        out.println();
        List<String> apis = new ArrayList<>();
        for (AwsRequests.Figures f : all) {
            for (String k : f.consumer().calls().keySet()) {
                if (!apis.contains(k)) {
                    apis.add(k);
                }
            }
        }
        apis.sort(null);
        StringBuilder head = new StringBuilder("| workload | design |");
        StringBuilder rule = new StringBuilder("| --- | --- |");
        for (String api : apis) {
            head.append(' ').append(api).append(" |");
            rule.append(" ---: |");
        }
        out.println(head.append(" avg item written (bytes) | producer SendMessageBatch / transaction |"));
        out.println(rule.append(" ---: | ---: |"));
        for (AwsRequests.Figures f : all) {
            StringBuilder row = new StringBuilder("| " + f.workload() + " | " + f.design() + " |");
            for (String api : apis) {
                row.append(String.format(Locale.ROOT, " %.3f |", f.consumer().get(api) / (double) f.handled()));
            }
            row.append(String.format(Locale.ROOT, " %.0f | %.3f |", f.avgItemWritten(),
                    f.producer().get("SQS SendMessageBatch") / (double) f.transactions()));
            out.println(row);
        }
        out.println();
        out.println("DynamoDB capacity: the units the interceptor counted from `ConsumedCapacity` (every design asks "
                + "for `ReturnConsumedCapacity=TOTAL`; units computed from item sizes where a response reported "
                + "none), beside the fifo-actors store's `CapacityListener` sums by source (consumer only):");
        out.println();
        out.println("| workload | design | WRU (ConsumedCapacity) | RRU (ConsumedCapacity) | WRU computed from sizes | "
                + "RRU computed from sizes | responses without ConsumedCapacity | listener REPORTED (R / W) | listener "
                + "COMPUTED (R / W) | listener LOWER_BOUND (R / W) |");
        out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |");
        for (AwsRequests.Figures f : all) {
            RequestCounter.Snapshot c = f.consumer();
            out.printf(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %.1f | %d | %s | %s | %s |%n", f.workload(),
                    f.design(), c.writeUnits(), c.readUnits(), c.computedWriteUnits(), c.computedReadUnits(),
                    c.unreported(), units(f, CapacitySource.REPORTED), units(f, CapacitySource.COMPUTED),
                    units(f, CapacitySource.LOWER_BOUND));
        }
        out.printf(Locale.ROOT, "%n### Hot item size after the run (B2, %,d accounts, on dynalite)%n%n", o.b2Accounts);
        itemSizeHeader(out, "workload, design");
        for (AwsRequests.Figures f : all) {
            itemSizeRow(out, f.workload() + ", " + f.design(), f.itemSizes());
        }
        out.printf(Locale.ROOT, "%nPrices (us-east-1 list prices, see docs/benchmarks.md): SQS FIFO $%.2f per million "
                        + "requests (each 64 KiB chunk of a request's payload is one request); DynamoDB on-demand $%.3f "
                        + "per million write request units, $%.3f per million read request units. Dollars include "
                        + "the producer's requests.%n",
                SQS_FIFO_PER_MILLION, DDB_WRITE_UNIT_PER_MILLION, DDB_READ_UNIT_PER_MILLION);
        return all;
    }

    private static String units(AwsRequests.Figures f, CapacitySource s) {
        double[] u = f.capacity().get(s);
        return u == null ? "-" : String.format(Locale.ROOT, "%.1f / %.1f", u[0], u[1]);
    }

    static AwsRequests.Figures find(List<AwsRequests.Figures> all, String workload, String design) {
        return all.stream().filter(f -> f.workload().equals(workload) && f.design().equals(design)).findFirst()
                .orElse(null);
    }

    static List<String[]> b2Targets(List<AwsRequests.Figures> all, B1 b1) {
        List<String[]> t = new ArrayList<>();
        String[][] rules = {
                {"plain ledger", "fifo-actors defaults ≤ naive single group (dollars)", "1.0"},
                {"bursts of", "fifo-actors defaults ≤ 0.5× naive single group (dollars)", "0.5"},
                {"from a backlog", "fifo-actors defaults ≤ 0.4× naive single group (dollars)", "0.4"}};
        for (String[] r : rules) {
            AwsRequests.Figures f = all.stream().filter(x -> x.workload().startsWith(r[0])
                    && x.design().equals(AwsRequests.DEFAULTS)).findFirst().orElse(null);
            if (f == null) {
                continue;
            }
            AwsRequests.Figures naive = find(all, f.workload(), AwsRequests.NAIVE);
            double ratio = f.dollarsPerMillion() / naive.dollarsPerMillion();
            t.add(new String[] {"B2", f.workload() + ": " + r[1], String.format(Locale.ROOT,
                    "$%.2f vs $%.2f per million messages: %.2f×", f.dollarsPerMillion(), naive.dollarsPerMillion(),
                    ratio), ratio <= Double.parseDouble(r[2]) ? "met" : "**missed**"});
        }
        for (AwsRequests.Figures f : all) {
            if (!f.design().equals(AwsRequests.DEFAULTS)) {
                continue;
            }
            AwsRequests.Figures idem = find(all, f.workload(), AwsRequests.IDEMPOTENCY);
            double ratio = f.dollarsPerMillion() / idem.dollarsPerMillion();
            t.add(new String[] {"B2", f.workload() + ": fifo-actors defaults ≤ 0.4× idempotency records (dollars)",
                    String.format(Locale.ROOT, "$%.2f vs $%.2f: %.2f×", f.dollarsPerMillion(),
                            idem.dollarsPerMillion(), ratio), ratio <= 0.4 ? "met" : "**missed**"});
        }
        AwsRequests.Figures plain = all.stream().filter(x -> x.workload().equals("plain ledger")
                && x.design().equals(AwsRequests.DEFAULTS)).findFirst().orElse(null);
        if (plain != null && plain.itemSizes().length > 0) {
            long[] s = plain.itemSizes();
            t.add(new String[] {"B2", String.format(Locale.ROOT, "hot item within 1 KB (%,d accounts, B2 plain ledger "
                    + "on dynalite)", s.length), String.format(Locale.ROOT, "p50 %,d, p99 %,d, max %,d bytes",
                    pct(s, 50), pct(s, 99), s[s.length - 1]), s[s.length - 1] <= 1024 ? "met" : "**missed**"});
        }
        return t;
    }

    // ------------------------------------------------------------------------------------------------ B3

    static List<SimulatorRuns.Figures> b3(Options o, PrintStream out) {
        out.printf(Locale.ROOT, "%n## B3 scaling in the simulator (SQS calls 16-24 ms, DynamoDB calls 8-12 ms, uniform; "
                + "no faults)%n%n");
        LedgerWorkload w = LedgerWorkload.generate(o.b3Accounts, o.b3Messages, 0.5, 1, o.seed);
        int[] consumers = o.quick ? new int[] {1, 10, 100} : new int[] {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};
        List<SimulatorRuns.Figures> byConsumers = new ArrayList<>();
        for (int n : consumers) {
            byConsumers.add(SimulatorRuns.ledger(w, n, SimulatorRuns.modelledLatency(), o.seed));
        }
        LedgerWorkload small = LedgerWorkload.generate(Math.min(o.b3Accounts, 100),
                Math.min(o.b3Messages, o.quick ? 500 : 3_000), 0.5, 1, o.seed);
        int[] singleConsumers = o.quick ? new int[] {1, 10} : new int[] {1, 10, 100, 1000};
        List<SimulatorRuns.Figures> single = new ArrayList<>();
        for (int n : singleConsumers) {
            single.add(SimulatorRuns.singleGroup(small, n, SimulatorRuns.modelledLatency(), o.seed));
        }
        out.printf(Locale.ROOT, "### Throughput against concurrent consumers (one group per actor: %,d accounts, %,d "
                + "transactions; single group: %,d accounts in one actor, %,d transactions)%n%n", o.b3Accounts,
                o.b3Messages, small.accounts(), small.transactions().size());
        out.println("| design | consumers | simulated msgs/s (whole run) | steady msgs/s (10th-90th pct) "
                + "| speed-up vs 1 | scaling efficiency | port calls / msg | simulated s | wall s | money conserved |");
        out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        for (SimulatorRuns.Figures f : byConsumers) {
            scalingRow(out, f, byConsumers.get(0));
        }
        for (SimulatorRuns.Figures f : single) {
            scalingRow(out, f, single.get(0));
        }
        int fixed = o.quick ? 10 : 100;
        int[] actorCounts = o.quick ? new int[] {2, 10, 100} : new int[] {2, 10, 100, 1_000, 10_000};
        List<SimulatorRuns.Figures> byActors = new ArrayList<>();
        for (int a : actorCounts) {
            LedgerWorkload wa = LedgerWorkload.generate(a, o.b3Messages, 0.5, 1, o.seed);
            byActors.add(SimulatorRuns.ledger(wa, fixed, SimulatorRuns.modelledLatency(), o.seed));
        }
        out.printf(Locale.ROOT, "%n### Throughput against active actors (%d consumers, %,d transactions)%n%n", fixed,
                o.b3Messages);
        out.println("| active actors | simulated msgs/s (whole run) | steady msgs/s (10th-90th pct) "
                + "| port calls / msg | version conflicts | money conserved |");
        out.println("| ---: | ---: | ---: | ---: | ---: | --- |");
        for (SimulatorRuns.Figures f : byActors) {
            out.printf(Locale.ROOT, "| %,d | %,.0f | %,.0f | %.2f | %d | %s |%n", f.actors(), f.overallPerSec(),
                    f.steadyPerSec(), f.portCallsPerMessage(), f.conflicts(), yes(f.conserved()));
        }
        out.printf(Locale.ROOT, "%nScaling efficiency = (throughput with N consumers ÷ throughput with 1) ÷ N, on the "
                + "steady-state rate. The single-group rows run the same ledger through one message group (one actor "
                + "holding %d accounts: the runtime still folds each batch into one write, so this is the best case "
                + "of that design). In every run all transactions are enqueued before the consumers start (a "
                + "backlog). No service quotas are modelled (SQS FIFO throughput, DynamoDB partitions, Lambda "
                + "scaling): this measures the design's concurrency, not AWS capacity. Port calls include the "
                + "receives of idle consumers.%n", small.accounts());
        List<SimulatorRuns.Figures> all = new ArrayList<>(byConsumers);
        all.addAll(single);
        all.addAll(byActors);
        return all;
    }

    private static void scalingRow(PrintStream out, SimulatorRuns.Figures f, SimulatorRuns.Figures base) {
        double speedup = f.steadyPerSec() / base.steadyPerSec();
        out.printf(Locale.ROOT, "| %s | %,d | %,.0f | %,.0f | %.1f× | %.0f%% | %.2f | %.1f | %.1f | %s |%n",
                f.design(), f.consumers(), f.overallPerSec(), f.steadyPerSec(), speedup,
                100 * speedup / f.consumers(), f.portCallsPerMessage(), f.simSeconds(), f.wallSeconds(),
                yes(f.conserved()));
    }

    private static String yes(Boolean b) {
        return b == null ? "n/a" : b ? "yes" : "NO";
    }

    // ------------------------------------------------------------------------------------------------ B4

    static List<SimulatorRuns.Figures> b4(Options o, PrintStream out) {
        out.printf(Locale.ROOT, "%n## B4 simulator speed (wall clock; %,d accounts, %,d transactions, 8 consumers)%n%n",
                o.b4Accounts, o.b4Messages);
        out.println("At the start: " + load() + ".");
        out.println();
        LedgerWorkload w = LedgerWorkload.generate(o.b4Accounts, o.b4Messages, 0.5, 1, o.seed);
        SimulatorRuns.ledger(LedgerWorkload.generate(Math.min(100, o.b4Accounts), 2_000, 0.5, 1, o.seed), 8,
                FaultPlan.uniform(0.02), o.seed); // warm the JIT
        List<SimulatorRuns.Figures> rows = new ArrayList<>();
        Map<String, FaultPlan> plans = new LinkedHashMap<>();
        plans.put("none", FaultPlan.none());
        plans.put("2% per call", FaultPlan.uniform(0.02));
        plans.put("5% per call", FaultPlan.uniform(0.05));
        out.println("| faults | transactions / wall s | deliveries / wall s | port calls / wall s | wall s "
                + "| deliveries | crashes | transient | stalls | version conflicts |");
        out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Map.Entry<String, FaultPlan> p : plans.entrySet()) {
            SimulatorRuns.Figures f = null;
            for (int rep = 0; rep < (o.quick ? 1 : 3); rep++) { // the same seed replays the same run: keep the fastest
                SimulatorRuns.Figures g = SimulatorRuns.ledger(w, 8, p.getValue(), o.seed);
                if (f == null || g.wallSeconds() < f.wallSeconds()) {
                    f = g;
                }
            }
            rows.add(f);
            out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f | %,.0f | %.2f | %,d | %d | %d | %d | %d |%n", p.getKey(),
                    f.wallTransactionsPerSec(), f.wallDeliveriesPerSec(), f.portCalls() / f.wallSeconds(),
                    f.wallSeconds(), f.deliveries(), f.crashes(), f.transientFaults(), f.stalls(), f.conflicts());
        }
        out.println();
        out.println("Latency per call: the FaultPlan default (virtual). Each row is the fastest of 3 runs of the same "
                + "seed (the same simulated run each time). Deliveries add the credits and every redelivery.");
        return rows;
    }
}
