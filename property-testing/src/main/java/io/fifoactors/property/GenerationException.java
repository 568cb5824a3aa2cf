package io.fifoactors.property;

/**
 * A generator could not produce a value: a filter rejected too many in a row, or a try ran away. While shrinking it
 * only means the edited choices describe no value; during a try the runner reports it with the try's seed.
 */
final class GenerationException extends IllegalStateException {
    GenerationException(String message) {
        super(message);
    }
}
