package io.fifoactors.cli;

import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * The operator command line of fifo-actors: {@code inspect}, {@code attention}, {@code wake}, {@code unpark} and
 * {@code dead-letters list|move-back|purge}, over an actor table in DynamoDB and a mailbox queue in SQS, with the AWS
 * CLI's habits ({@code --region}, {@code --profile}, {@code --endpoint-url}, {@code --output table|json},
 * {@code --help} on every command). See docs/operator.md.
 *
 * <pre>{@code
 * java -jar fifo-actors-cli.jar --table actors attention
 * int code = FifoActorsCli.run(new String[] {"--table", "actors", "inspect", "account/a-1"},
 *         System.out, System.err, System.getenv());
 * }</pre>
 *
 * <p>Exit codes: {@value #OK} success, {@value #ERROR} an error (AWS refused or failed, an actor without a record,
 * a record this version cannot read), {@value #USAGE} a usage error (unknown command or option, a missing or
 * invalid value, missing message keys, a purge without {@code --yes}). Errors go to standard error, one line, with no
 * message payload and no secret.
 *
 * <p>Each {@link #run} is independent; a run is confined to its calling thread. Thread-safe.
 */
public final class FifoActorsCli {
    /** Success. */
    public static final int OK = 0;
    /** An error: AWS refused or failed, the actor has no record, or a record cannot be read. */
    public static final int ERROR = 1;
    /** A usage error: unknown command or option, a missing or invalid value, or a refused confirmation. */
    public static final int USAGE = 2;

    private FifoActorsCli() {
    }

    /** The command line's entry point: runs and exits with the run's exit code. */
    public static void main(String[] args) {
        // the AWS SDK logs through SLF4J: warnings only, on stderr, unless the user asks otherwise
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int code = run(args, System.out, System.err, System.getenv(), System.console() != null ? in : null);
        System.out.flush();
        System.exit(code);
    }

    /**
     * Runs one command, non-interactively (a purge needs {@code --yes}).
     *
     * @param env the environment: {@code FA_MESSAGE_KEYS}, {@code AWS_REGION}, {@code AWS_DEFAULT_REGION},
     *            {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN} are read
     * @return the exit code
     */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        return run(args, out, err, env, null);
    }

    /** {@link #run(String[], PrintStream, PrintStream, Map)} with a terminal to ask for confirmations (or null). */
    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, BufferedReader terminal) {
        Objects.requireNonNull(args, "args");
        PrintWriter o = new PrintWriter(out, true, StandardCharsets.UTF_8);
        PrintWriter e = new PrintWriter(err, true, StandardCharsets.UTF_8);
        RootCommand root = new RootCommand(Map.copyOf(env), terminal);
        CommandLine cmd = new CommandLine(root);
        cmd.setOut(o);
        cmd.setErr(e);
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setParameterExceptionHandler((ex, a) -> {
            PrintWriter w = ex.getCommandLine().getErr();
            String m = String.valueOf(ex.getMessage());
            w.println("error: " + (m.startsWith("Error: ") ? m.substring("Error: ".length()) : m));
            w.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return USAGE;
        });
        cmd.setExecutionExceptionHandler((ex, c, parsed) -> {
            PrintWriter w = c.getErr();
            if (ex instanceof UsageException) {
                w.println("error: " + ex.getMessage());
                w.println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for usage.");
                return USAGE;
            }
            w.println("error: " + Errors.describe(ex));
            return ERROR;
        });
        try {
            return cmd.execute(args);
        } finally {
            root.close();
            o.flush();
            e.flush();
        }
    }
}
