package io.fifoactors.cli;

/** An error a command reports itself (exit code {@value FifoActorsCli#ERROR}); its message names no payload. */
final class CliFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CliFailure(String message) {
        super(message, null, false, false);
    }
}
