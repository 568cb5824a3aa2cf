package io.fifoactors.cli;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.InvalidActorIdException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/** The top command and the options every command inherits (AWS CLI style: they may come before or after it). */
@Command(name = "fifo-actors",
        mixinStandardHelpOptions = true,
        versionProvider = RootCommand.Version.class,
        description = "Operate fifo-actors on AWS: inspect actors, list those needing attention, wake and unpark"
                + " them, list, move back and purge dead letters.",
        subcommands = {InspectCommand.class, AttentionCommand.class, WakeCommand.class, UnparkCommand.class,
                DeadLettersCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  success", "  1  error (AWS refused or failed, no such actor, unreadable record)",
                "  2  usage error (unknown command or option, missing value or message keys, purge without --yes)",
                "", "See docs/operator.md."})
final class RootCommand implements Runnable, AutoCloseable {
    enum Format { table, json }

    @Spec
    CommandSpec spec;

    @Option(names = "--region", scope = ScopeType.INHERIT, paramLabel = "REGION",
            description = "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's, the SDK's chain).")
    String region;

    @Option(names = "--profile", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "Named profile from the AWS config and credentials files.")
    String profile;

    @Option(names = "--endpoint-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Endpoint for every service (a local server, a VPC endpoint).")
    URI endpointUrl;

    @Option(names = "--sqs-endpoint-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Endpoint for SQS only (overrides --endpoint-url).")
    URI sqsEndpointUrl;

    @Option(names = "--dynamodb-endpoint-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Endpoint for DynamoDB only (overrides --endpoint-url).")
    URI dynamoDbEndpointUrl;

    @Option(names = "--secretsmanager-endpoint-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Endpoint for Secrets Manager only (overrides --endpoint-url).")
    URI secretsEndpointUrl;

    @Option(names = "--output", scope = ScopeType.INHERIT, paramLabel = "FORMAT", defaultValue = "table",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format output;

    @Option(names = "--table", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "The actor table in DynamoDB.")
    String table;

    @Option(names = "--queue-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "The mailbox queue (SQS FIFO).")
    String queueUrl;

    @Option(names = "--dead-letter-queue-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "The mailbox's dead-letter queue (SQS FIFO).")
    String deadLetterQueueUrl;

    @Option(names = "--message-keys-file", scope = ScopeType.INHERIT, paramLabel = "PATH",
            description = "File holding the message keys (id:base64[,id:base64], or a bare Base64 secret) for wake"
                    + " and unpark. Default: the environment variable FA_MESSAGE_KEYS.")
    Path messageKeysFile;

    @Option(names = "--message-keys-secret-id", scope = ScopeType.INHERIT, paramLabel = "ID",
            description = "Secrets Manager secret (name or ARN) holding the message keys, as the consumers read it.")
    String messageKeysSecretId;

    final Map<String, String> env;
    final BufferedReader terminal;
    private Aws aws;

    RootCommand(Map<String, String> env, BufferedReader terminal) {
        this.env = env;
        this.terminal = terminal;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: inspect, attention,"
                + " wake, unpark or dead-letters");
    }

    /** The AWS clients of this run, built on first use. */
    Aws aws() {
        if (aws == null) {
            aws = new Aws(this);
        }
        return aws;
    }

    Output output() {
        return new Output(spec.commandLine().getOut(), output);
    }

    String requireTable() {
        return required(table, "reads the actor table: give --table NAME");
    }

    String requireQueueUrl() {
        return required(queueUrl, "sends to the mailbox queue: give --queue-url URL");
    }

    String requireDeadLetterQueueUrl() {
        return required(deadLetterQueueUrl, "reads the dead-letter queue: give --dead-letter-queue-url URL");
    }

    /** The option's value; missing or blank, a usage error saying what the command does with it. */
    private static String required(String value, String need) {
        if (value == null || value.isBlank()) {
            throw new UsageException("this command " + need);
        }
        return value;
    }

    static ActorId actor(String text) {
        try {
            return ActorId.fromGroupId(text);
        } catch (InvalidActorIdException e) {
            throw new UsageException("'" + text + "' is not an actor: expected type/key, e.g. account/a-1 ("
                    + e.getMessage() + ")");
        }
    }

    static URI checkEndpoint(URI uri) {
        if (uri == null) {
            return null;
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new UsageException("endpoint '" + uri + "' is not an absolute URL such as http://127.0.0.1:4566");
        }
        return uri;
    }

    @Override
    public void close() {
        if (aws != null) {
            aws.close();
        }
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = RootCommand.class.getPackage().getImplementationVersion();
            return new String[] {"fifo-actors operator CLI " + (v == null ? "(development build)" : v)};
        }
    }
}
