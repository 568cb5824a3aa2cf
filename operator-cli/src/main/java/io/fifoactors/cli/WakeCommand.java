package io.fifoactors.cli;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.runtime.MessageKeys;
import io.fifoactors.core.runtime.SystemMessages;
import io.fifoactors.sqs.SqsSender;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code wake ACTOR}: an authenticated wake through the actor's mailbox. */
@Command(name = "wake", mixinStandardHelpOptions = true,
        description = {"Asks an actor to expire its due deferrals and retry its stash now (deadlines also fire on"
                + " their own), by an authenticated message in its own order. Needs --queue-url and the message"
                + " keys."})
final class WakeCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Parameters(index = "0", paramLabel = "ACTOR", description = "The actor: type/key, e.g. account/a-1.")
    String actor;

    @Mixin
    SendOptions send;

    @Override
    public Integer call() {
        ActorId id = RootCommand.actor(actor);
        String queueUrl = root.requireQueueUrl();
        MessageKeys keys = Keys.load(root);
        String requestId = send.requestId();
        SqsSender sender = sender(root, queueUrl);
        sender.send(List.of(SystemMessages.wake(id, requestId, keys)));
        report(root, "wake", id, null, requestId, queueUrl);
        return FifoActorsCli.OK;
    }

    static SqsSender sender(RootCommand root, String queueUrl) {
        try {
            return SqsSender.builder().client(root.aws().sqs()).queueUrl(queueUrl).build();
        } catch (io.fifoactors.core.ConfigurationException e) {
            throw new UsageException(e.getMessage());
        }
    }

    static void report(RootCommand root, String action, ActorId id, String resolution, String requestId,
                       String queueUrl) {
        Output out = root.output();
        if (out.json()) {
            out.json(Snapshots.map("action", action, "actor", id.groupId(), "resolution", resolution,
                    "requestId", requestId, "queueUrl", queueUrl));
        } else {
            out.line("Sent " + action + (resolution == null ? "" : " (" + resolution + ")") + " to " + id.groupId()
                    + ", request id " + requestId + ".");
        }
    }
}
