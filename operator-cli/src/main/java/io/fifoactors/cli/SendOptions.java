package io.fifoactors.cli;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.runtime.MessageKeys;
import io.fifoactors.sqs.SqsSender;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.UUID;

/** The request id of wake and unpark, and what the two do alike: check their target, send, report. */
final class SendOptions {
    @Option(names = "--request-id", paramLabel = "ID",
            description = {"The request's id, 1 to 128 printable ASCII characters without space (default: random).",
                    "It is the message's deduplication id: the same command with the same id within SQS's"
                            + " 5-minute deduplication window is one request, so a command retried after a timeout"
                            + " cannot act twice."})
    String requestId;

    String requestId() {
        return requestId != null ? requestId : "op-" + UUID.randomUUID();
    }

    /**
     * The actor named and where its message goes, checked in this order before anything is read or sent: the
     * actor, the mailbox queue, the message keys.
     */
    Target target(RootCommand root, String actor) {
        ActorId id = RootCommand.actor(actor);
        String queueUrl = root.requireQueueUrl();
        MessageKeys keys = Keys.load(root);
        return new Target(root, id, queueUrl, keys, requestId());
    }

    /** An actor to send a system message to, with the mailbox queue, the keys and the request id. */
    record Target(RootCommand root, ActorId id, String queueUrl, MessageKeys keys, String requestId) {
        /**
         * Sends the message to the mailbox queue and reports it.
         *
         * @param action     the command's name, for the report
         * @param resolution what it asked for, or null
         */
        void send(OutgoingMessage message, String action, String resolution) {
            SqsSender sender;
            try {
                sender = SqsSender.builder().client(root.aws().sqs()).queueUrl(queueUrl).build();
            } catch (ConfigurationException e) {
                throw new UsageException(e.getMessage());
            }
            sender.send(List.of(message));
            Output out = root.output();
            if (out.json()) {
                out.json(Snapshots.map("action", action, "actor", id.groupId(), "resolution", resolution,
                        "requestId", requestId, "queueUrl", queueUrl));
            } else {
                out.line("Sent " + action + (resolution == null ? "" : " (" + resolution + ")") + " to "
                        + id.groupId() + ", request id " + requestId + ".");
            }
        }
    }
}
