package io.fifoactors.lambda;

import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.OutcomeListener;

/**
 * The user's hook into the Lambda handler: registers the actor types and supplies the {@code Mailbox}, the
 * {@code StateStore}, the {@code Scheduler} (the carrier of timers) and, unless {@value LambdaSettings#MESSAGE_KEYS}
 * sets them, the message keys (typically the SQS and DynamoDB adapters over clients built here, once per container,
 * and keys read from AWS Secrets Manager). {@link SqsActorHandler} calls it once, during Lambda's init phase
 * (before a SnapStart snapshot).
 *
 * <pre>{@code
 * public final class LedgerWiring implements ActorWiring {
 *     public void register(ActorSystem.Builder system, LambdaSettings settings) {
 *         Map<String, String> env = settings.requireAll(LambdaSettings.QUEUE_URL,
 *                 LambdaSettings.DEAD_LETTER_QUEUE_URL, LambdaSettings.TIMER_QUEUE_URL, LambdaSettings.TABLE_NAME,
 *                 LambdaSettings.MESSAGE_KEYS_SECRET_ARN);
 *         SdkHttpClient http = UrlConnectionHttpClient.create();
 *         SqsClient sqs = SqsClient.builder().httpClient(http).build();
 *         DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(http).build();
 *         try (SecretsManagerClient secrets = SecretsManagerClient.builder().httpClient(http).build()) {
 *             system.messageKeys(MessageKeys.parse(secrets.getSecretValue(b -> b.secretId(
 *                     env.get(LambdaSettings.MESSAGE_KEYS_SECRET_ARN))).secretString()));
 *         }
 *         system.register(Ledger.ACCOUNT)
 *               .mailbox(SqsMailbox.builder().client(sqs).queueUrl(env.get(LambdaSettings.QUEUE_URL))
 *                       .deadLetterQueueUrl(env.get(LambdaSettings.DEAD_LETTER_QUEUE_URL)).build())
 *               .scheduler(SqsScheduler.builder().client(sqs)
 *                       .timerQueueUrl(env.get(LambdaSettings.TIMER_QUEUE_URL)).build())
 *               .stateStore(DynamoDbStateStore.builder().client(dynamo)
 *                       .tableName(env.get(LambdaSettings.TABLE_NAME)).build());
 *     }
 * }
 * }</pre>
 *
 * <p>The builder arrives with {@code maxAttempts} and {@code recordCache} set from the settings, and the message
 * keys when {@value LambdaSettings#MESSAGE_KEYS} is set (the wiring may change them). The queue's redrive policy is
 * not set here: the mailbox reads it from the queue. The handler sets the builder's clock, listener and group
 * executor after {@code register} returns, so values set here for those are replaced: add listeners with
 * {@link #listener()} instead. Timers need a function on the timer queue as well: see {@link TimerWiring}, which
 * the same class may implement. Implementations named in {@value LambdaSettings#WIRING} need a public no-argument
 * constructor. Called from one thread; whatever {@code register} builds must be thread-safe, as the ports are.
 */
public interface ActorWiring {
    /**
     * Registers the actor types and sets the mailbox, the state store, the scheduler and (if the settings hold
     * none) the message keys.
     *
     * @throws io.fifoactors.core.ConfigurationException for a missing or invalid setting (the init error)
     */
    void register(ActorSystem.Builder system, LambdaSettings settings);

    /**
     * Warms what the first invocation would otherwise pay for (for example one read through each SDK client, so
     * that their classes, marshallers, credentials and connections are ready). Called once after the system is
     * built, during init, so the work lands in a SnapStart snapshot. A failure is logged and ignored. Default:
     * nothing.
     */
    default void prime(ActorSystem system, LambdaSettings settings) {
    }

    /**
     * A listener that receives every outcome besides the handler's own logs and metrics. Default: none.
     */
    default OutcomeListener listener() {
        return OutcomeListener.NONE;
    }
}
