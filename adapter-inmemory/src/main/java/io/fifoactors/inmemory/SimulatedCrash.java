package io.fifoactors.inmemory;

/**
 * Thrown into a simulated consumer to kill it at a port call. An Error, so that nothing in the runtime catches it:
 * the consumer's work stops exactly there, as a killed process's would.
 */
final class SimulatedCrash extends Error {
    SimulatedCrash(String where) {
        super("simulated crash " + where, null, false, false);
    }
}
