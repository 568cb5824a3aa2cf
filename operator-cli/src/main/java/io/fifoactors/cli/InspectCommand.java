package io.fifoactors.cli;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.port.StoredRecord;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.dynamodb.DynamoDbStateStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code inspect ACTOR}: the actor's record, strongly consistent, in words or as JSON. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Shows an actor's stored state as the codec wrote it (JSON by default) and the runtime's"
                + " bookkeeping in words: applied sequence and counters, parked and held messages, the failing"
                + " message, stash with deadlines, timers, outbox, recent rejections, record size against the limit,"
                + " and why it needs attention.",
                "Reads the record strongly consistently (one GetItem). Needs --table.",
                "Exit code 1 if the actor has no record."})
final class InspectCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Parameters(index = "0", paramLabel = "ACTOR", description = "The actor: type/key, e.g. account/a-1.")
    String actor;

    @Override
    public Integer call() {
        ActorId id = RootCommand.actor(actor);
        String table = root.requireTable();
        DynamoDbStateStore store = DynamoDbStateStore.builder().client(root.aws().dynamo()).tableName(table).build();
        Optional<StoredRecord> record = store.load(id);
        if (record.isEmpty()) {
            throw new CliFailure("actor " + id.groupId() + " has no record in table " + table
                    + " (it never committed, or the table or the actor is not the one meant)");
        }
        ActorSnapshot<byte[]> s = ActorSnapshot.ofRecord(id, record);
        Output out = root.output();
        if (out.json()) {
            out.json(Snapshots.document(s));
        } else {
            out.pairs(Snapshots.words(s));
        }
        return FifoActorsCli.OK;
    }
}
