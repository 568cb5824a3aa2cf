/**
 * The runtime's internals: the pure decision ({@link io.fifoactors.core.internal.Decider}), the shells that load,
 * commit, send and dead-letter ({@link io.fifoactors.core.internal.GroupRun},
 * {@link io.fifoactors.core.internal.BatchRun}), the actor record's format and bookkeeping. <b>Not an API</b>: no
 * compatibility is promised, and adapters must not depend on it (the architecture tests check this). Users and
 * adapters use {@code io.fifoactors.core}, {@code io.fifoactors.core.port} and {@code io.fifoactors.core.runtime}.
 */
package io.fifoactors.core.internal;
