package io.fifoactors.cli;

/** A usage error found while running a command (exit code {@value FifoActorsCli#USAGE}). Thread-safe. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message, null, false, false);
    }
}
