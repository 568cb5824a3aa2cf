package io.fifoactors.lambda;

/**
 * The user's hook into the timer function ({@link SqsTimerHandler}): supplies the {@link TimerForwarding} that moves
 * timer carriers from the standard timer queue into the FIFO mailbox queue when they are due. The class named by
 * {@value LambdaSettings#WIRING} may implement both this and {@link ActorWiring}, so that one jar and one variable
 * serve the actor function and the timer function; each function uses only its own part.
 *
 * <pre>{@code
 * public TimerForwarding timerForwarding(LambdaSettings settings) {
 *     Map<String, String> env = settings.requireAll(LambdaSettings.TIMER_QUEUE_URL, LambdaSettings.QUEUE_URL);
 *     SqsTimerForwarder f = SqsTimerForwarder.builder().client(sqs)
 *             .timerQueueUrl(env.get(LambdaSettings.TIMER_QUEUE_URL))
 *             .mailboxQueueUrl(env.get(LambdaSettings.QUEUE_URL)).build();
 *     return carriers -> {
 *         SqsTimerForwarder.Result r = f.forward(carriers);
 *         return new TimerForwarding.Result(r.failed(), r.forwarded(), r.resent(), r.dropped());
 *     };
 * }
 * }</pre>
 *
 * <p>Called once per container during init (before a SnapStart snapshot). Implementations named in
 * {@value LambdaSettings#WIRING} need a public no-argument constructor; what they build must be thread-safe.
 */
public interface TimerWiring {
    /**
     * The forwarder of this function's timer carriers.
     *
     * @throws io.fifoactors.core.ConfigurationException for a missing or invalid setting (the init error)
     */
    TimerForwarding timerForwarding(LambdaSettings settings);

    /**
     * Warms what the first invocation would otherwise pay for (one read through the SQS client, say). Called once
     * after {@link #timerForwarding}, during init; a failure is logged and ignored. Default: nothing.
     */
    default void primeTimers(TimerForwarding forwarding, LambdaSettings settings) {
    }
}
