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
 * The demo: runs the ledger, inventory and seat-booking scenarios and prints a report per scenario with every
 * invariant check. By default they run on the in-memory adapter (the deterministic simulator, with optional injected
 * faults); with {@code --servers}, on real wire-protocol servers: a {@code Poller} with {@code SqsMailbox},
 * {@code DynamoDbStateStore} and SQS timers ({@code SqsScheduler} and {@code SqsTimerForwarder}) against an embedded
 * ElasticMQ and a dynalite child process that the demo starts and stops, or against endpoints it is given. On
 * servers the report adds the timers' firing delays and the AWS requests per message by API, counted with an SDK
 * interceptor. Exit code 0 when every check passed, 1 when one failed, 2 on a bad flag, 3 when the servers could not
 * be used (a server did not start or failed).
 *
 * <pre>{@code
 * java -jar examples/target/fifo-actors-demo.jar --fault-rate 0.02 --seed 7
 * java -jar examples/target/fifo-actors-demo.jar --servers --scenario booking
 * }</pre>
 */
public final class Demo {
    private static final String USAGE = String.join("\n",
            "usage: demo [flags]",
            "  (default)           the in-memory adapter: a deterministic simulator of SQS FIFO, DynamoDB and",
            "                      concurrent consumers on a virtual clock, with optional injected faults",
            "  --servers           real servers instead: Poller + SqsMailbox + DynamoDbStateStore + SQS timers on an",
            "                      embedded ElasticMQ and a dynalite child process (needs node and npm) started and",
            "                      stopped by the demo; adds timer firing delays and AWS requests per message by API",
            "  --scenario LIST     ledger, inventory, booking or all, or a comma-separated list (default all)",
            "  --accounts N        ledger accounts (default 1000; 50 on servers)",
            "  --transactions N    ledger transactions (default 20000; 500 on servers)",
            "  --products N        inventory products (default 1000; 50 on servers)",
            "  --movements N       inventory movements (default 20000; 500 on servers)",
            "  --seats N           booking seats (default 3000; 100 on servers)",
            "  --bookings N        bookings, each of 1 to 3 seats (default 1500; 60 on servers)",
            "  --seed N            workload and simulation seed (default 42); on servers it fixes the workload and",
            "                      the malformed messages, not the processing order",
            "  --fault-rate X      faults per port call, 0 to 0.5: crashes, transient errors, stalls (default 0);",
            "                      simulator only",
            "  --consumers N       concurrent consumers, 1 to 1000 (default 8): simulated consumers, or the",
            "                      poller's receive loops on servers",
            "  --batch-size N      messages per receive, 1 to 10 (default 10)",
            "  --defer-share X     share of transfers/departures that wait for funds/stock, 0 to 1 (default 0.2)",
            "  --poison-rate X     share of records sent malformed, 0 to 0.5 (default 0.001)",
            "  --ingress-batch N   records per ingress batch (default 1000; 250 on servers)",
            "  --help              this text",
            "servers only:",
            "  --sqs-endpoint URL           use this SQS endpoint instead of starting an embedded ElasticMQ",
            "  --dynamodb-endpoint URL      use this DynamoDB endpoint instead of starting dynalite",
            "                               (each scenario provisions a fresh, uniquely named FIFO queue, its",
            "                               FIFO dead-letter queue, a timer queue and a table there, and deletes",
            "                               them at the end)",
            "  --credentials dummy|default  static dummy credentials (default; local servers accept any), or",
            "                               the default AWS credential chain (environment, profile, ...)",
            "  --region NAME                the region requests are signed for (default us-east-1)",
            "exit code: 0 every invariant passed, 1 one failed, 2 bad flag, 3 the servers could not be used");

    /** Flags that only the servers take. */
    private static final List<String> SERVERS_ONLY = List.of("sqs-endpoint", "dynamodb-endpoint", "credentials",
            "region");
    /** Flags without a value. */
    private static final List<String> SWITCHES = List.of("help", "servers");
    private static final List<String> SCENARIOS = List.of("ledger", "inventory", "booking");

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
        boolean servers = flags.containsKey("servers");
        List<Scenario<?>> scenarios = new ArrayList<>();
        List<ScenarioConfig> configs = new ArrayList<>();
        ServerSettings settings = null;
        try {
            Flags.checkUnknown(flags.keySet());
            List<String> chosen = scenarios(flags.getOrDefault("scenario", "all"));
            long seed = longFlag(flags, "seed", 42, Long.MIN_VALUE, Long.MAX_VALUE);
            double faultRate = doubleFlag(flags, "fault-rate", 0, 0, 0.5);
            if (servers && faultRate != 0) {
                throw new IllegalArgumentException("--fault-rate injects faults into the simulator: it cannot go with"
                        + " --servers");
            }
            int consumers = (int) longFlag(flags, "consumers", 8, 1, 1000);
            int batchSize = (int) longFlag(flags, "batch-size", 10, 1, 10);
            double deferShare = doubleFlag(flags, "defer-share", 0.2, 0, 1);
            double poisonRate = doubleFlag(flags, "poison-rate", 0.001, 0, 0.5);
            int ingressBatch = (int) longFlag(flags, "ingress-batch", servers ? 250 : 1000, 1, 1_000_000);
            int actors = servers ? 50 : 1000;
            int messages = servers ? 500 : 20_000;
            ScenarioConfig ledger = new ScenarioConfig((int) longFlag(flags, "accounts", actors, 2, 1_000_000),
                    (int) longFlag(flags, "transactions", messages, 0, 10_000_000), seed, faultRate, consumers,
                    batchSize, deferShare, poisonRate, ingressBatch);
            ScenarioConfig inventory = new ScenarioConfig((int) longFlag(flags, "products", actors, 1, 1_000_000),
                    (int) longFlag(flags, "movements", messages, 0, 10_000_000), seed, faultRate, consumers,
                    batchSize, deferShare, poisonRate, ingressBatch);
            ScenarioConfig booking = new ScenarioConfig(
                    (int) longFlag(flags, "seats", servers ? 100 : 3_000, 1, 1_000_000),
                    (int) longFlag(flags, "bookings", servers ? 60 : 1_500, 0, 10_000_000), seed, faultRate,
                    consumers, batchSize, deferShare, poisonRate, ingressBatch);
            if (servers) {
                settings = ServerSettings.of(flags);
            } else {
                for (String name : SERVERS_ONLY) {
                    if (flags.containsKey(name)) {
                        throw new IllegalArgumentException("--" + name + " needs --servers");
                    }
                }
            }
            if (chosen.contains("ledger")) {
                scenarios.add(new LedgerScenario());
                configs.add(ledger);
            }
            if (chosen.contains("inventory")) {
                scenarios.add(new InventoryScenario());
                configs.add(inventory);
            }
            if (chosen.contains("booking")) {
                scenarios.add(new BookingScenario());
                configs.add(booking);
            }
        } catch (IllegalArgumentException e) {
            err.println("demo: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        List<ScenarioReport> reports = new ArrayList<>();
        long started = System.nanoTime();
        if (!servers) {
            ScenarioConfig first = configs.get(0);
            out.println("fifo-actors demo: in-memory adapter (deterministic simulator), seed " + first.seed()
                    + ", fault rate " + first.faultRate() + ", " + first.consumers() + " consumers");
            SimulatorBackend backend = new SimulatorBackend();
            for (int i = 0; i < scenarios.size(); i++) {
                ScenarioReport r = scenarios.get(i).run(configs.get(i), backend, err);
                out.println(r.render());
                reports.add(r);
            }
        } else {
            try {
                runOnServers(settings, scenarios, configs, reports, out, err);
            } catch (CouldNotRun e) {
                err.println("demo: " + e.getMessage());
                if (e.getCause() != null) {
                    e.getCause().printStackTrace(err);
                }
                return 3;
            }
        }
        boolean passed = reports.stream().allMatch(ScenarioReport::passed);
        out.println("SUMMARY");
        for (ScenarioReport r : reports) {
            long failed = r.checks().stream().filter(c -> !c.passed()).count();
            out.printf("  %-10s %s  %d checks, %d failed, %s%n", r.name(), r.passed() ? "PASS" : "FAIL",
                    r.checks().size(), failed, r.figures().getOrDefault("wall time", "?"));
        }
        out.printf("RESULT: %s (%.1f s)%n", passed ? "every invariant PASS" : "some invariant FAILED",
                (System.nanoTime() - started) / 1e9);
        return passed ? 0 : 1;
    }

    /** The scenarios named by {@code --scenario}, in the demo's order. */
    private static List<String> scenarios(String spec) {
        if (spec.equals("all")) {
            return SCENARIOS;
        }
        List<String> named = new ArrayList<>();
        for (String s : spec.split(",", -1)) {
            String name = s.strip();
            if (!SCENARIOS.contains(name)) {
                throw new IllegalArgumentException("--scenario must be ledger, inventory, booking or all, or a"
                        + " comma-separated list of them; was '" + spec + "'");
            }
            named.add(name);
        }
        return SCENARIOS.stream().filter(named::contains).toList();
    }

    /** Starts or connects to the servers, runs the scenarios there and stops what it started. */
    private static void runOnServers(ServerSettings settings, List<Scenario<?>> scenarios,
                                     List<ScenarioConfig> configs, List<ScenarioReport> reports, PrintStream out,
                                     PrintStream err) {
        quietLogging(settings.dynamoEndpoint() == null);
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
            throw new CouldNotRun("could not start the servers for --servers: " + e.getMessage(), null);
        }
        try {
            ScenarioConfig first = configs.get(0);
            out.println("fifo-actors demo: real servers (Poller + SqsMailbox + DynamoDbStateStore + SQS timers; "
                    + servers.describe() + "), seed " + first.seed() + ", " + first.consumers() + " consumers");
            ServersBackend backend = new ServersBackend(servers); // one set of message keys for the whole run
            for (int i = 0; i < scenarios.size(); i++) {
                ScenarioReport r = scenarios.get(i).run(configs.get(i), backend, err);
                out.println(r.render());
                reports.add(r);
            }
        } catch (RuntimeException e) {
            throw new CouldNotRun("the run on real servers failed: " + e, e);
        } finally {
            servers.close();
        }
    }

    /** The servers could not be used: exit code 3. */
    private static final class CouldNotRun extends RuntimeException {
        CouldNotRun(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * ElasticMQ logs through SLF4J (Pekko's level is lowered to INFO by ElasticMqServer); the demo jar carries
     * slf4j-simple, set here to WARN unless the caller chose a level, so that the report is not drowned in logs.
     * With a dynalite started here, the table provisioner's warning that it has no Time To Live (expected of
     * dynalite) is left out too.
     */
    private static void quietLogging(boolean localDynamo) {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        String provisioner = "org.slf4j.simpleLogger.log.io.fifoactors.dynamodb.DynamoDbTableProvisioner";
        if (localDynamo && System.getProperty(provisioner) == null) {
            System.setProperty(provisioner, "error");
        }
    }

    /** The servers' flags: endpoints (null: start a local server), credentials and region. */
    private record ServerSettings(URI sqsEndpoint, URI dynamoEndpoint, AwsCredentialsProvider credentials,
                                  Region region) {
        static ServerSettings of(Map<String, String> flags) {
            String credentials = flags.getOrDefault("credentials", "dummy");
            if (!List.of("dummy", "default").contains(credentials)) {
                throw new IllegalArgumentException("--credentials must be dummy or default");
            }
            String region = flags.getOrDefault("region", AwsClients.DEFAULT_REGION.id());
            if (!region.matches("[a-z0-9-]+")) {
                throw new IllegalArgumentException("--region must be a region name such as us-east-1, was '"
                        + region + "'");
            }
            return new ServerSettings(uriFlag(flags, "sqs-endpoint"), uriFlag(flags, "dynamodb-endpoint"),
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
            } else if (SWITCHES.contains(name)) {
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
    private static final class Flags {
        private static final java.util.Set<String> KNOWN = java.util.Set.of("scenario", "accounts", "transactions",
                "products", "movements", "seats", "bookings", "seed", "fault-rate", "consumers", "batch-size",
                "defer-share", "poison-rate", "ingress-batch", "servers", "sqs-endpoint", "dynamodb-endpoint",
                "credentials", "region", "help");

        static void checkUnknown(java.util.Collection<String> names) {
            for (String n : names) {
                if (!KNOWN.contains(n)) {
                    throw new IllegalArgumentException("unknown flag --" + n);
                }
            }
        }
    }
}
