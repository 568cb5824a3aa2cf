package io.fifoactors.examples.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo: runs the ledger and inventory scenarios on the in-memory adapter (the deterministic simulator) and prints
 * a report with every invariant check. Exit code 0 when every check passed, 1 when one failed, 2 on a bad flag.
 *
 * <pre>{@code
 * java -jar examples/target/fifo-actors-demo.jar --fault-rate 0.02 --seed 7
 * }</pre>
 */
public final class Demo {
    private static final String USAGE = String.join("\n",
            "usage: demo [flags]",
            "  --scenario ledger|inventory|both   which scenario to run (default both)",
            "  --accounts N        ledger accounts (default 1000)",
            "  --transactions N    ledger transactions (default 100000)",
            "  --products N        inventory products (default 1000)",
            "  --movements N       inventory movements (default 100000)",
            "  --seed N            workload and simulation seed (default 42)",
            "  --fault-rate X      faults per port call, 0 to 0.5: crashes, transient errors, stalls (default 0)",
            "  --consumers N       concurrent simulated consumers, 1 to 1000 (default 8)",
            "  --batch-size N      messages per receive, 1 to 10 (default 10)",
            "  --defer-share X     share of transfers/departures that wait for funds/stock, 0 to 1 (default 0.2)",
            "  --poison-rate X     share of records sent malformed, 0 to 0.5 (default 0.001)",
            "  --ingress-batch N   records per ingress batch (default 1000)",
            "  --help              this text");

    private Demo() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.exit(code);
    }

    /** Runs the demo; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> flags;
        try {
            flags = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("demo: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (flags.containsKey("help")) {
            out.println(USAGE);
            return 0;
        }
        String scenario;
        ScenarioConfig ledger;
        ScenarioConfig inventory;
        try {
            scenario = flags.getOrDefault("scenario", "both");
            if (!List.of("ledger", "inventory", "both").contains(scenario)) {
                throw new IllegalArgumentException("--scenario must be ledger, inventory or both");
            }
            long seed = longFlag(flags, "seed", 42, Long.MIN_VALUE, Long.MAX_VALUE);
            double faultRate = doubleFlag(flags, "fault-rate", 0, 0, 0.5);
            int consumers = (int) longFlag(flags, "consumers", 8, 1, 1000);
            int batchSize = (int) longFlag(flags, "batch-size", 10, 1, 10);
            double deferShare = doubleFlag(flags, "defer-share", 0.2, 0, 1);
            double poisonRate = doubleFlag(flags, "poison-rate", 0.001, 0, 0.5);
            int ingressBatch = (int) longFlag(flags, "ingress-batch", 1000, 1, 1_000_000);
            ledger = new ScenarioConfig((int) longFlag(flags, "accounts", 1000, 2, 1_000_000),
                    (int) longFlag(flags, "transactions", 100_000, 0, 10_000_000), seed, faultRate, consumers,
                    batchSize, deferShare, poisonRate, ingressBatch);
            inventory = new ScenarioConfig((int) longFlag(flags, "products", 1000, 1, 1_000_000),
                    (int) longFlag(flags, "movements", 100_000, 0, 10_000_000), seed, faultRate, consumers,
                    batchSize, deferShare, poisonRate, ingressBatch);
            Set.checkUnknown(flags.keySet());
        } catch (IllegalArgumentException e) {
            err.println("demo: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        out.println("fifo-actors demo: in-memory adapter (deterministic simulator), seed " + ledger.seed()
                + ", fault rate " + ledger.faultRate() + ", " + ledger.consumers() + " consumers");
        List<ScenarioReport> reports = new ArrayList<>();
        if (!scenario.equals("inventory")) {
            reports.add(new LedgerScenario().run(ledger, err));
        }
        if (!scenario.equals("ledger")) {
            reports.add(new InventoryScenario().run(inventory, err));
        }
        boolean passed = true;
        for (ScenarioReport r : reports) {
            out.println(r.render());
            passed &= r.passed();
        }
        out.println(passed ? "RESULT: every invariant PASS" : "RESULT: some invariant FAILED");
        return passed ? 0 : 1;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (name.equals("help")) {
                value = "";
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
                value = args[++i];
            }
            if (flags.put(name, value) != null) {
                throw new IllegalArgumentException("--" + name + " given twice");
            }
        }
        return flags;
    }

    private static long longFlag(Map<String, String> flags, String name, long dflt, long min, long max) {
        String v = flags.get(name);
        if (v == null) {
            return dflt;
        }
        long n;
        try {
            n = Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, was '" + v + "'");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("--" + name + " must be between " + min + " and " + max + ", was " + n);
        }
        return n;
    }

    private static double doubleFlag(Map<String, String> flags, String name, double dflt, double min, double max) {
        String v = flags.get(name);
        if (v == null) {
            return dflt;
        }
        double x;
        try {
            x = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, was '" + v + "'");
        }
        if (!(x >= min && x <= max)) {
            throw new IllegalArgumentException("--" + name + " must be between " + min + " and " + max + ", was " + v);
        }
        return x;
    }

    /** The flags the demo knows. */
    private static final class Set {
        private static final java.util.Set<String> KNOWN = java.util.Set.of("scenario", "accounts", "transactions",
                "products", "movements", "seed", "fault-rate", "consumers", "batch-size", "defer-share",
                "poison-rate", "ingress-batch", "help");

        static void checkUnknown(java.util.Collection<String> names) {
            for (String n : names) {
                if (!KNOWN.contains(n)) {
                    throw new IllegalArgumentException("unknown flag --" + n);
                }
            }
        }
    }
}
