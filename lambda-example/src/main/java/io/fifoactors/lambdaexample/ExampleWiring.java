package io.fifoactors.lambdaexample;

import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.codec.Codec;
import io.fifoactors.core.codec.JacksonCodec;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.MessageKeys;
import io.fifoactors.dynamodb.DynamoDbStateStore;
import io.fifoactors.lambda.ActorWiring;
import io.fifoactors.lambda.LambdaSettings;
import io.fifoactors.lambda.TimerForwarding;
import io.fifoactors.lambda.TimerWiring;
import io.fifoactors.sqs.SqsMailbox;
import io.fifoactors.sqs.SqsScheduler;
import io.fifoactors.sqs.SqsTimerForwarder;
import io.fifoactors.sqswire.TimerEnvelope;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The example function's wiring, for both of its handlers: the actor function
 * ({@code io.fifoactors.lambda.SqsActorHandler}) gets the example's actor types on the SQS mailbox, the DynamoDB
 * state store and the SQS scheduler (timer carriers on the standard timer queue), with the message keys read at
 * init from AWS Secrets Manager; the timer function ({@code io.fifoactors.lambda.SqsTimerHandler}) gets the SQS
 * timer forwarder, which moves due carriers into the mailbox queue. SDK clients are built once per container with
 * the url-connection HTTP client (small, quick to start, nothing to re-establish after a SnapStart restore but
 * plain connections). See {@code docs/deploy/template.yaml}.
 *
 * <p>The actor types: {@link Reminders} (timers). TODO: the ledger's account actor joins them once the examples
 * module is on the typed API.
 *
 * <p>Reads {@value LambdaSettings#QUEUE_URL}, {@value LambdaSettings#TIMER_QUEUE_URL} and
 * {@value LambdaSettings#AWS_REGION} (both functions), {@value LambdaSettings#DEAD_LETTER_QUEUE_URL} and
 * {@value LambdaSettings#TABLE_NAME} (the actor function), and the message keys: {@value
 * LambdaSettings#MESSAGE_KEYS_SECRET_ARN}, the secret whose value is the keys in the text form of
 * {@link MessageKeys#parse} (on AWS: a generated 44-character secret), or for local runs {@value
 * LambdaSettings#MESSAGE_KEYS} itself; exactly one of the two. For local runs and tests only: {@value #SQS_ENDPOINT},
 * {@value #DYNAMODB_ENDPOINT}, {@value #SECRETS_MANAGER_ENDPOINT} and {@value #TIMER_MAX_HOP_SECONDS}.
 *
 * <p>The secret is read during init, before a SnapStart snapshot, so a container restored from it holds the keys
 * without a call; AWS's guidance to re-seed or re-fetch unique values after a restore concerns values that must
 * differ between containers, and these keys are the same in every container by design. A new value of the secret
 * reaches containers as they start, so rotate in two deployments ({@code "new,old"}, then {@code "new"}: see
 * {@link MessageKeys#parse}), each published as a new version.
 *
 * <pre>{@code
 * FA_WIRING=io.fifoactors.lambdaexample.ExampleWiring
 * FA_QUEUE_URL=https://sqs.eu-west-1.amazonaws.com/123456789012/actors.fifo   (and the others)
 * FA_MESSAGE_KEYS_SECRET_ARN=arn:aws:secretsmanager:eu-west-1:123456789012:secret:actors-keys-AbCdEf
 * }</pre>
 *
 * <p>Built and primed on one thread during init; the clients, ports and forwarder it builds are thread-safe.
 */
public class ExampleWiring implements ActorWiring, TimerWiring {
    /** Local runs only: an SQS endpoint to use instead of the region's. */
    public static final String SQS_ENDPOINT = "FA_SQS_ENDPOINT";
    /** Local runs only: a DynamoDB endpoint to use instead of the region's. */
    public static final String DYNAMODB_ENDPOINT = "FA_DYNAMODB_ENDPOINT";
    /** Local runs only: a Secrets Manager endpoint to use instead of the region's. */
    public static final String SECRETS_MANAGER_ENDPOINT = "FA_SECRETSMANAGER_ENDPOINT";
    /**
     * Tests only: the longest hop of a timer carrier, 1 to 900 seconds (default 900, SQS's longest delay), so that
     * a test sees carriers sent on for another hop within seconds. Both functions must agree.
     */
    public static final String TIMER_MAX_HOP_SECONDS = "FA_TIMER_MAX_HOP_SECONDS";
    /** Every variable this wiring reads. */
    public static final List<String> VARIABLES = List.of(LambdaSettings.QUEUE_URL,
            LambdaSettings.DEAD_LETTER_QUEUE_URL, LambdaSettings.TIMER_QUEUE_URL, LambdaSettings.TABLE_NAME,
            LambdaSettings.MESSAGE_KEYS_SECRET_ARN, LambdaSettings.AWS_REGION, SQS_ENDPOINT, DYNAMODB_ENDPOINT,
            SECRETS_MANAGER_ENDPOINT, TIMER_MAX_HOP_SECONDS);

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(10);

    private final Codec codec = JacksonCodec.create();
    private SdkHttpClient http;
    private AwsCredentialsProvider credentials;
    private SqsClient sqs;
    private String queueUrl;
    private String timerQueueUrl;

    /** The wiring; the clients are built in {@link #register} or {@link #timerForwarding}. */
    public ExampleWiring() {
    }

    // ------------------------------------------------------------------------------------------------ actors

    @Override
    public void register(ActorSystem.Builder system, LambdaSettings settings) {
        Map<String, String> env = settings.requireAll(LambdaSettings.QUEUE_URL, LambdaSettings.DEAD_LETTER_QUEUE_URL,
                LambdaSettings.TIMER_QUEUE_URL, LambdaSettings.TABLE_NAME, LambdaSettings.AWS_REGION);
        Duration hop = maxHop(settings);
        Region region = Region.of(env.get(LambdaSettings.AWS_REGION));
        sqs(settings, region);
        MessageKeys keys = messageKeys(settings, region);
        DynamoDbClientBuilder dynamoBuilder = DynamoDbClient.builder().httpClient(http).region(region)
                .credentialsProvider(credentials);
        settings.get(DYNAMODB_ENDPOINT).map(e -> endpoint(DYNAMODB_ENDPOINT, e))
                .ifPresent(dynamoBuilder::endpointOverride);
        DynamoDbClient dynamo = dynamoBuilder.build();
        this.queueUrl = env.get(LambdaSettings.QUEUE_URL);
        this.timerQueueUrl = env.get(LambdaSettings.TIMER_QUEUE_URL);

        registerActors(system);
        system.codec(codec)
                .messageKeys(keys)
                .mailbox(SqsMailbox.builder()
                        .client(sqs)
                        .queueUrl(queueUrl)
                        .deadLetterQueueUrl(env.get(LambdaSettings.DEAD_LETTER_QUEUE_URL))
                        .build())
                .scheduler(SqsScheduler.builder()
                        .client(sqs)
                        .timerQueueUrl(timerQueueUrl)
                        .maxHop(hop)
                        .build())
                .stateStore(DynamoDbStateStore.builder()
                        .client(dynamo)
                        .tableName(env.get(LambdaSettings.TABLE_NAME))
                        .build());
    }

    /** Registers the example's actor types; a subclass may add its own. */
    protected void registerActors(ActorSystem.Builder system) {
        system.register(Reminders.TYPE);
    }

    /** One codec round trip per message type and for the state, one DynamoDB read, one SQS read. */
    @Override
    public void prime(ActorSystem system, LambdaSettings settings) {
        codec.decode(codec.encode(new ReminderMessage.Remind("priming", 1)), ReminderMessage.Remind.class);
        codec.decode(codec.encode(new ReminderMessage.Fire("priming", java.time.Instant.EPOCH)),
                ReminderMessage.Fire.class);
        codec.decode(codec.encode(new ReminderMessage.Cancel("priming")), ReminderMessage.Cancel.class);
        codec.decode(codec.encode(Reminders.State.EMPTY), Reminders.State.class);
        system.inspect(Reminders.TYPE, "fifo-actors-priming");
        sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN));
    }

    /**
     * The message keys: from the secret named by {@value LambdaSettings#MESSAGE_KEYS_SECRET_ARN}, or those
     * {@value LambdaSettings#MESSAGE_KEYS} set (local runs); one of the two, never both.
     */
    private MessageKeys messageKeys(LambdaSettings settings, Region region) {
        java.util.Optional<String> arn = settings.get(LambdaSettings.MESSAGE_KEYS_SECRET_ARN);
        if (arn.isEmpty()) {
            return settings.messageKeys().orElseThrow(() -> new ConfigurationException("the function's environment"
                    + " lacks " + LambdaSettings.MESSAGE_KEYS_SECRET_ARN + " (or, for local runs, "
                    + LambdaSettings.MESSAGE_KEYS + "): the keys that authenticate the runtime's own messages"));
        }
        if (settings.messageKeys().isPresent()) {
            throw new ConfigurationException("set " + LambdaSettings.MESSAGE_KEYS_SECRET_ARN + " or "
                    + LambdaSettings.MESSAGE_KEYS + ", not both: which keys would be meant?");
        }
        SecretsManagerClientBuilder builder = SecretsManagerClient.builder().httpClient(http).region(region)
                .credentialsProvider(credentials);
        settings.get(SECRETS_MANAGER_ENDPOINT).map(e -> endpoint(SECRETS_MANAGER_ENDPOINT, e))
                .ifPresent(builder::endpointOverride);
        String secret;
        // read once, during init; the client is closed (the shared HTTP client stays open: the SDK does not own it)
        try (SecretsManagerClient secrets = builder.build()) {
            secret = secrets.getSecretValue(b -> b.secretId(arn.get())).secretString();
        } catch (SdkException e) {
            throw new ConfigurationException("could not read the message keys from the secret " + arn.get() + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        if (secret == null || secret.isBlank()) {
            throw new ConfigurationException("the secret " + arn.get() + " holds no SecretString: store the keys as"
                    + " text (a generated 44-character secret, or id:base64[,id:base64])");
        }
        try {
            return MessageKeys.parse(secret.trim());
        } catch (ConfigurationException e) {
            // MessageKeys' messages name no secret
            throw new ConfigurationException("the secret " + arn.get() + " holds no valid message keys: "
                    + e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------------ timers

    @Override
    public TimerForwarding timerForwarding(LambdaSettings settings) {
        Map<String, String> env = settings.requireAll(LambdaSettings.TIMER_QUEUE_URL, LambdaSettings.QUEUE_URL,
                LambdaSettings.AWS_REGION);
        Duration hop = maxHop(settings);
        sqs(settings, Region.of(env.get(LambdaSettings.AWS_REGION)));
        this.queueUrl = env.get(LambdaSettings.QUEUE_URL);
        this.timerQueueUrl = env.get(LambdaSettings.TIMER_QUEUE_URL);
        SqsTimerForwarder forwarder = SqsTimerForwarder.builder()
                .client(sqs)
                .timerQueueUrl(timerQueueUrl)
                .mailboxQueueUrl(queueUrl)
                .maxHop(hop)
                .build();
        return new TimerForwarding() {
            @Override
            public Result forward(List<io.fifoactors.sqswire.WireMessage> carriers) {
                SqsTimerForwarder.Result r = forwarder.forward(carriers);
                return new Result(r.failed(), r.forwarded(), r.resent(), r.dropped());
            }

            @Override
            public String toString() {
                return forwarder.toString();
            }
        };
    }

    /** An empty batch through the forwarder (it sends nothing) and one read of the timer queue's attributes. */
    @Override
    public void primeTimers(TimerForwarding forwarding, LambdaSettings settings) {
        forwarding.forward(List.of());
        sqs.getQueueAttributes(b -> b.queueUrl(timerQueueUrl).attributeNames(QueueAttributeName.QUEUE_ARN));
    }

    // ------------------------------------------------------------------------------------------------ clients

    private void sqs(LambdaSettings settings, Region region) {
        if (sqs != null) {
            return;
        }
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(SOCKET_TIMEOUT)
                .build();
        this.credentials = DefaultCredentialsProvider.builder().build();
        SqsClientBuilder sqsBuilder = SqsClient.builder().httpClient(http).region(region)
                .credentialsProvider(credentials);
        settings.get(SQS_ENDPOINT).map(e -> endpoint(SQS_ENDPOINT, e)).ifPresent(sqsBuilder::endpointOverride);
        this.sqs = sqsBuilder.build();
    }

    private static Duration maxHop(LambdaSettings settings) {
        String text = settings.get(TIMER_MAX_HOP_SECONDS).orElse(null);
        if (text == null) {
            return TimerEnvelope.MAX_HOP;
        }
        try {
            long seconds = Long.parseLong(text);
            if (seconds >= 1 && seconds <= TimerEnvelope.MAX_HOP.getSeconds()) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigurationException(TIMER_MAX_HOP_SECONDS + " must be a whole number from 1 to "
                + TimerEnvelope.MAX_HOP.getSeconds());
    }

    private static URI endpoint(String name, String value) {
        try {
            URI uri = URI.create(value);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(name + " must be an http(s) URL");
        }
    }
}
