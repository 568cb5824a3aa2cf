package io.fifoactors.core.runtime;

/**
 * How an operator resolves a parked actor ({@link ActorSystem#unpark}): {@link #RETRY} runs the parked message's
 * handler again (it may succeed now that a bug is fixed or a resource is back); {@link #SKIP} dead-letters it with
 * reason {@code skipped by operator}. Either way the held messages are then handled in order.
 */
public enum Resolution { RETRY, SKIP }
