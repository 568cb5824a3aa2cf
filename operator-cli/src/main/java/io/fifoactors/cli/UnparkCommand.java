package io.fifoactors.cli;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.port.StoredRecord;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.Resolution;
import io.fifoactors.core.runtime.SystemMessages;
import io.fifoactors.dynamodb.DynamoDbStateStore;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code unpark ACTOR --retry|--skip}: resolves a parked actor through its own mailbox. */
@Command(name = "unpark", mixinStandardHelpOptions = true,
        description = {"Resolves a parked actor by an authenticated message in its own order: --retry runs the"
                + " parked message's handler again (after a fix), --skip dead-letters it with the reason 'skipped by"
                + " operator'; either way the held messages are then handled in order. An actor that is not parked"
                + " ignores it.",
                "Needs --queue-url and the message keys; with --table it first tells (on stderr) if the actor is not"
                        + " parked now."})
final class UnparkCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Parameters(index = "0", paramLabel = "ACTOR", description = "The actor: type/key, e.g. account/a-1.")
    String actor;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Choice choice;

    static final class Choice {
        @Option(names = "--retry", required = true, description = "Run the parked message's handler again.")
        boolean retry;

        @Option(names = "--skip", required = true, description = "Dead-letter the parked message and go on.")
        boolean skip;
    }

    @Mixin
    SendOptions send;

    @Override
    public Integer call() {
        SendOptions.Target target = send.target(root, actor);
        ActorId id = target.id();
        Resolution resolution = choice.retry ? Resolution.RETRY : Resolution.SKIP;
        if (root.table != null && !root.table.isBlank()) {
            Optional<StoredRecord> record = DynamoDbStateStore.builder().client(root.aws().dynamo())
                    .tableName(root.table).build().load(id);
            boolean parked = record.isPresent() && ActorSnapshot.ofRecord(id, record).parked().isPresent();
            if (!parked) {
                root.spec.commandLine().getErr().println("warning: " + id.groupId() + " is not parked now"
                        + (record.isEmpty() ? " (no record)" : "") + "; the runtime ignores an unpark it does not"
                        + " need");
            }
        }
        target.send(SystemMessages.unpark(id, resolution, target.requestId(), target.keys()), "unpark",
                resolution.name().toLowerCase(Locale.ROOT));
        return FifoActorsCli.OK;
    }
}
