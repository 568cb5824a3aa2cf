package io.fifoactors.cli;

import picocli.CommandLine.Option;

import java.util.UUID;

/** The request id of wake and unpark. */
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
}
