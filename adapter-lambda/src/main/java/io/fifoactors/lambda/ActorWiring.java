package io.fifoactors.lambda;

import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.OutcomeListener;

/**
 * The user's hook into the Lambda handler: registers the actor types and supplies the {@code Mailbox} and the
 * {@code StateStore} (typically the SQS and DynamoDB adapters over clients built here, once per container).
 * {@link SqsActorHandler} calls it once, during Lambda's init phase (before a SnapStart snapshot).
 *
 * <pre>{@code
 * public final class LedgerWiring implements ActorWiring {
 *     public void register(ActorSystem.Builder system, LambdaSettings settings) {
 *         Map<String, String> env = settings.requireAll(LambdaSettings.QUEUE_URL,
 *                 LambdaSettings.DEAD_LETTER_QUEUE_URL, LambdaSettings.TABLE_NAME);
 *         SqsClient sqs = SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
 *         system.register(Ledger.ACCOUNT)
 *               .mailbox(SqsMailbox.builder().client(sqs).queueUrl(env.get(LambdaSettings.QUEUE_URL))
 *                       .deadLetterQueueUrl(env.get(LambdaSettings.DEAD_LETTER_QUEUE_URL)).build())
 *               .stateStore(DynamoDbStateStore.builder().client(dynamo)
 *                       .tableName(env.get(LambdaSettings.TABLE_NAME)).build());
 *     }
 * }
 * }</pre>
 *
 * <p>The builder arrives with {@code maxAttempts} and {@code redriveMaxReceiveCount} set from the settings (the
 * wiring may change them). The handler sets the builder's clock and listener after {@code register} returns, so
 * values set here for those two are replaced: add listeners with {@link #listener()} instead. Implementations
 * named in {@value LambdaSettings#WIRING} need a public no-argument constructor. Called from one thread; whatever
 * {@code register} builds must be thread-safe, as the ports are.
 */
public interface ActorWiring {
    /**
     * Registers the actor types and sets the mailbox and the state store.
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
