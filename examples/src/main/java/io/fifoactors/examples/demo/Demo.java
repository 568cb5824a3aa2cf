package io.fifoactors.examples.demo;

import io.fifoactors.examples.demo.aws.AwsClients;
import io.fifoactors.examples.demo.aws.AwsServers;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;

import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo: runs the ledger and inventory scenarios and prints a report with every invariant check. In memory mode
 * (the default) they run on the in-memory adapter (the deterministic simulator, with optional injected faults); in
 * real mode on real servers: an SqsPoller with SqsMailbox and DynamoDbStateStore against an embedded ElasticMQ and a
 * dynalite child process that the demo starts and stops, or against endpoints it is given. Real mode adds the AWS
 * requests per message by API, counted with an SDK interceptor. Exit code 0 when every check passed, 1 when one
 * failed, 2 on a bad flag, 3 when real mode could not run (a server did not start or failed).
 *
 * <pre>{@code
 * java -jar examples/target/fifo-actors-demo.jar --fault-rate 0.02 --seed 7
 * java -jar examples/target/fifo-actors-demo.jar --mode real
 * }</pre>
 */
public final class Demo {
    private static final String USAGE = String.join("\n",
            "usage: demo [flags]",
            "  --mode memory|real  memory: the in-memory adapter, a deterministic simulator (default);",
            "                      real: SqsPoller + SqsMailbox + DynamoDbStateStore on real servers, by default an",
            "                      embedded ElasticMQ and a dynalite child process (needs node and npm) started and",
            "                      stopped by the demo; adds the AWS requests per message by API",
            "  --scenario ledger|inventory|both   which scenario to run (default both)",
            "  --accounts N        ledger accounts (default 1000; 200 in real mode)",
            "  --transactions N    ledger transactions (default 100000; 5000 in real mode)",
            "  --products N        inventory products (default 1000; 200 in real mode)",
            "  --movements N       inventory movements (default 100000; 5000 in real mode)",
            "  --seed N            workload and simulation seed (default 42); in real mode it fixes the workload",
            "                      and the malformed messages, not the processing order",
            "  --fault-rate X      faults per port call, 0 to 0.5: crashes, transient errors, stalls (default 0);",
            "                      memory mode only",
            "  --consumers N       concurrent consumers, 1 to 1000 (default 8): simulated consumers, or the",
            "                      poller's receive loops in real mode",
            "  --batch-size N      messages per receive, 1 to 10 (default 10)",
            "  --defer-share X     share of transfers/departures that wait for funds/stock, 0 to 1 (default 0.2)",
            "  --poison-rate X     share of records sent malformed, 0 to 0.5 (default 0.001)",
            "  --ingress-batch N   records per ingress batch (default 1000)",
            "  --help              this text",
            "real mode only:",
            "  --sqs-endpoint URL           use this SQS endpoint instead of starting an embedded ElasticMQ",
            "  --dynamodb-endpoint URL      use this DynamoDB endpoint instead of starting dynalite",
            "                               (each scenario provisions a fresh, uniquely named FIFO queue, its",
            "                               FIFO dead-letter queue and a table there, and deletes them at the end)",
            "  --credentials dummy|default  static dummy credentials (default; local servers accept any), or",
            "                               the default AWS credential chain (environment, profile, ...)",
            "  --region NAME                the region requests are signed for (default us-east-1)",
            "exit code: 0 every invariant passed, 1 one failed, 2 bad flag, 3 real mode could not run");

    /** Flags that only real mode takes. */
    private static final List<String> REAL_ONLY = List.of("sqs-endpoint", "dynamodb-endpoint", "credentials",
            "region");

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
        boolean real;
        ScenarioConfig ledger;
        ScenarioConfig inventory;
        RealSettings settings = null;
        try {
            String mode = flags.getOrDefault("mode", "memory");
            if (!List.of("memory", "real").contains(mode)) {
                throw new IllegalArgumentException("--mode must be memory or real");
            }
            real = mode.equals("real");
            scenario = flags.getOrDefault("scenario", "both");
            if (!List.of("ledger", "inventory", "both").contains(scenario)) {
                throw new IllegalArgumentException("--scenario must be ledger, inventory or both");
            }
            long seed = longFlag(flags, "seed", 42, Long.MIN_VALUE, Long.MAX_VALUE);
            double faultRate = doubleFlag(flags, "fault-rate", 0, 0, 0.5);
            if (real && faultRate != 0) {
                throw new IllegalArgumentException("--fault-rate injects faults into the simulator: it needs"
                        + " --mode memory");
            }
            int consumers = (int) longFlag(flags, "consumers", 8, 1, 1000);
            int batchSize = (int) longFlag(flags, "batch-size", 10, 1, 10);
            double deferShare = doubleFlag(flags, "defer-share", 0.2, 0, 1);
            double poisonRate = doubleFlag(flags, "poison-rate", 0.001, 0, 0.5);
            int ingressBatch = (int) longFlag(flags, "ingress-batch", 1000, 1, 1_000_000);
            int actors = real ? 200 : 1000;
            int messages = real ? 5_000 : 100_000;
            ledger = new ScenarioConfig((int) longFlag(flags, "accounts", actors, 2, 1_000_000),
                    (int) longFlag(flags, "transactions", messages, 0, 10_000_000), seed, faultRate, consumers,
                    batchSize, deferShare, poisonRate, ingressBatch);
            inventory = new ScenarioConfig((int) longFlag(flags, "products", actors, 1, 1_000_000),
                    (int) longFlag(flags, "movements", messages, 0, 10_000_000), seed, faultRate, consumers,
                    batchSize, deferShare, poisonRate, ingressBatch);
            if (real) {
                settings = RealSettings.of(flags);
            } else {
                for (String name : REAL_ONLY) {
                    if (flags.containsKey(name)) {
                        throw new IllegalArgumentException("--" + name + " needs --mode real");
                    }
                }
            }
            Set.checkUnknown(flags.keySet());
        } catch (IllegalArgumentException e) {
            err.println("demo: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        List<Scenario<?, ?>> scenarios = new ArrayList<>();
        List<ScenarioConfig> configs = new ArrayList<>();
        if (!scenario.equals("inventory")) {
            scenarios.add(new LedgerScenario());
            configs.add(ledger);
        }
        if (!scenario.equals("ledger")) {
            scenarios.add(new InventoryScenario());
            configs.add(inventory);
        }
        List<ScenarioReport> reports = new ArrayList<>();
        if (!real) {
            out.println("fifo-actors demo: in-memory adapter (deterministic simulator), seed " + ledger.seed()
                    + ", fault rate " + ledger.faultRate() + ", " + ledger.consumers() + " consumers");
            for (int i = 0; i < scenarios.size(); i++) {
                reports.add(scenarios.get(i).run(configs.get(i), err));
            }
        } else {
            try {
                runReal(settings, scenarios, configs, reports, out, err);
            } catch (CouldNotRun e) {
                err.println("demo: " + e.getMessage());
                if (e.getCause() != null) {
                    e.getCause().printStackTrace(err);
                }
                return 3;
            }
        }
        boolean passed = true;
        for (ScenarioReport r : reports) {
            out.println(r.render());
            passed &= r.passed();
        }
        out.println(passed ? "RESULT: every invariant PASS" : "RESULT: some invariant FAILED");
        return passed ? 0 : 1;
    }

    /** Starts or connects to the servers, runs the scenarios there and stops what it started. */
    private static void runReal(RealSettings settings, List<Scenario<?, ?>> scenarios, List<ScenarioConfig> configs,
                                List<ScenarioReport> reports, PrintStream out, PrintStream err) {
        quietLogging();
        if (settings.sqsEndpoint() == null || settings.dynamoEndpoint() == null) {
            err.println("  starting " + (settings.sqsEndpoint() == null ? "ElasticMQ (embedded)" : "")
                    + (settings.sqsEndpoint() == null && settings.dynamoEndpoint() == null ? " and " : "")
                    + (settings.dynamoEndpoint() == null ? "dynalite (a node child process; its first start on this"
                    + " machine installs it with npm)" : "") + " ...");
        }
        AwsServers servers;
        try {
            servers = AwsServers.connect(settings.sqsEndpoint(), settings.dynamoEndpoint(), settings.credentials(),
                    settings.region());
        } catch (RuntimeException e) {
            throw new CouldNotRun("could not start the servers for --mode real: " + e.getMessage(), null);
        }
        try {
            ScenarioConfig first = configs.get(0);
            out.println("fifo-actors demo: real servers (SqsPoller + SqsMailbox + DynamoDbStateStore; "
                    + servers.describe() + "), seed " + first.seed() + ", " + first.consumers() + " consumers");
            ServersBackend backend = new ServersBackend(servers);
            for (int i = 0; i < scenarios.size(); i++) {
                reports.add(scenarios.get(i).run(configs.get(i), backend, err));
            }
        } catch (RuntimeException e) {
            throw new CouldNotRun("the run on real servers failed: " + e, e);
        } finally {
            servers.close();
        }
    }

    /** Real mode could not run: exit code 3. */
    private static final class CouldNotRun extends RuntimeException {
        CouldNotRun(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * ElasticMQ logs through SLF4J (Pekko's level is lowered to INFO by ElasticMqServer); the demo jar carries
     * slf4j-simple, set here to WARN unless the caller chose a level, so that the report is not drowned in logs.
     */
    private static void quietLogging() {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
    }

    /** Real mode's flags: endpoints (null: start a local server), credentials and region. */
    private record RealSettings(URI sqsEndpoint, URI dynamoEndpoint, AwsCredentialsProvider credentials,
                                Region region) {
        static RealSettings of(Map<String, String> flags) {
            String credentials = flags.getOrDefault("credentials", "dummy");
            if (!List.of("dummy", "default").contains(credentials)) {
                throw new IllegalArgumentException("--credentials must be dummy or default");
            }
            String region = flags.getOrDefault("region", AwsClients.DEFAULT_REGION.id());
            if (!region.matches("[a-z0-9-]+")) {
                throw new IllegalArgumentException("--region must be a region name such as us-east-1, was '"
                        + region + "'");
            }
            return new RealSettings(uriFlag(flags, "sqs-endpoint"), uriFlag(flags, "dynamodb-endpoint"),
                    credentials.equals("dummy") ? AwsClients.dummyCredentials()
                            : DefaultCredentialsProvider.builder().build(),
                    Region.of(region));
        }
    }

    private static URI uriFlag(Map<String, String> flags, String name) {
        String v = flags.get(name);
        if (v == null) {
            return null;
        }
        try {
            URI uri = new URI(v);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new URISyntaxException(v, "not an http or https URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--" + name + " must be an http(s) URL such as http://127.0.0.1:9324,"
                    + " was '" + v + "'");
        }
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
                "poison-rate", "ingress-batch", "mode", "sqs-endpoint", "dynamodb-endpoint", "credentials", "region",
                "help");

        static void checkUnknown(java.util.Collection<String> names) {
            for (String n : names) {
                if (!KNOWN.contains(n)) {
                    throw new IllegalArgumentException("unknown flag --" + n);
                }
            }
        }
    }
}
