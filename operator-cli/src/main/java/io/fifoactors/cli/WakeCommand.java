package io.fifoactors.cli;

import io.fifoactors.core.runtime.SystemMessages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

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
        SendOptions.Target target = send.target(root, actor);
        target.send(SystemMessages.wake(target.id(), target.requestId(), target.keys()), "wake", null);
        return FifoActorsCli.OK;
    }
}
