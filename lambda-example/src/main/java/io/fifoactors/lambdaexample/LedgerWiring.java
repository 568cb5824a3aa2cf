package io.fifoactors.lambdaexample;

import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.codec.Codec;
import io.fifoactors.core.codec.JacksonCodec;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.dynamodb.DynamoDbStateStore;
import io.fifoactors.examples.ledger.Account;
import io.fifoactors.examples.ledger.AccountMessage;
import io.fifoactors.examples.ledger.Ledger;
import io.fifoactors.lambda.ActorWiring;
import io.fifoactors.lambda.LambdaSettings;
import io.fifoactors.sqs.SqsMailbox;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The example function's wiring: the ledger's account actor on the SQS mailbox and the DynamoDB state store, over
 * SDK clients built once per container with the url-connection HTTP client (small, quick to start, nothing to
 * re-establish after a SnapStart restore but plain connections). Deploy with the handler
 * {@code io.fifoactors.lambda.SqsActorHandler::handleRequest} and {@code FA_WIRING} set to this class (see
 * {@code docs/deploy/template.yaml}).
 *
 * <p>Reads {@value LambdaSettings#QUEUE_URL}, {@value LambdaSettings#DEAD_LETTER_QUEUE_URL},
 * {@value LambdaSettings#TABLE_NAME} and {@value LambdaSettings#AWS_REGION} (all required), and for local runs only
 * {@value #SQS_ENDPOINT} and {@value #DYNAMODB_ENDPOINT}. Priming makes one read through each client and one codec
 * round trip per message type, so the first invocation (or a SnapStart restore) finds them warm.
 *
 * <pre>{@code
 * FA_WIRING=io.fifoactors.lambdaexample.LedgerWiring
 * FA_QUEUE_URL=https://sqs.eu-west-1.amazonaws.com/123456789012/ledger.fifo   (and the others)
 * }</pre>
 *
 * <p>Built and primed on one thread during init; the clients, mailbox and store it builds are thread-safe.
 */
public final class LedgerWiring implements ActorWiring {
    /** Local runs only: an SQS endpoint to use instead of the region's. */
    public static final String SQS_ENDPOINT = "FA_SQS_ENDPOINT";
    /** Local runs only: a DynamoDB endpoint to use instead of the region's. */
    public static final String DYNAMODB_ENDPOINT = "FA_DYNAMODB_ENDPOINT";
    /** Every variable this wiring reads. */
    public static final List<String> VARIABLES = List.of(LambdaSettings.QUEUE_URL,
            LambdaSettings.DEAD_LETTER_QUEUE_URL, LambdaSettings.TABLE_NAME, LambdaSettings.AWS_REGION,
            SQS_ENDPOINT, DYNAMODB_ENDPOINT);

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(10);

    private final Codec codec = JacksonCodec.create();
    private SqsClient sqs;
    private String queueUrl;

    /** The wiring; the clients are built in {@link #register}. */
    public LedgerWiring() {
    }

    @Override
    public void register(ActorSystem.Builder system, LambdaSettings settings) {
        Map<String, String> env = settings.requireAll(LambdaSettings.QUEUE_URL, LambdaSettings.DEAD_LETTER_QUEUE_URL,
                LambdaSettings.TABLE_NAME, LambdaSettings.AWS_REGION);
        Region region = Region.of(env.get(LambdaSettings.AWS_REGION));
        SdkHttpClient http = UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(SOCKET_TIMEOUT)
                .build();
        AwsCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();

        SqsClientBuilder sqsBuilder = SqsClient.builder().httpClient(http).region(region)
                .credentialsProvider(credentials);
        settings.get(SQS_ENDPOINT).map(e -> endpoint(SQS_ENDPOINT, e)).ifPresent(sqsBuilder::endpointOverride);
        DynamoDbClientBuilder dynamoBuilder = DynamoDbClient.builder().httpClient(http).region(region)
                .credentialsProvider(credentials);
        settings.get(DYNAMODB_ENDPOINT).map(e -> endpoint(DYNAMODB_ENDPOINT, e))
                .ifPresent(dynamoBuilder::endpointOverride);
        this.sqs = sqsBuilder.build();
        DynamoDbClient dynamo = dynamoBuilder.build();
        this.queueUrl = env.get(LambdaSettings.QUEUE_URL);

        system.register(Ledger.ACCOUNT)
                .codec(codec)
                .mailbox(SqsMailbox.builder()
                        .client(sqs)
                        .queueUrl(queueUrl)
                        .deadLetterQueueUrl(env.get(LambdaSettings.DEAD_LETTER_QUEUE_URL))
                        .build())
                .stateStore(DynamoDbStateStore.builder()
                        .client(dynamo)
                        .tableName(env.get(LambdaSettings.TABLE_NAME))
                        .build());
    }

    /** One codec round trip per message type and for the state, one DynamoDB read, one SQS read. */
    @Override
    public void prime(ActorSystem system, LambdaSettings settings) {
        for (Class<? extends AccountMessage> type : Ledger.ACCOUNT.messages().values()) {
            codec.decode(codec.encode(sample(type)), type);
        }
        codec.decode(codec.encode(Account.NEW), Account.class);
        system.inspect(Ledger.account("fifo-actors-priming"), Account.class);
        sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN));
    }

    private static AccountMessage sample(Class<? extends AccountMessage> type) {
        if (type == AccountMessage.Open.class) {
            return new AccountMessage.Open();
        }
        if (type == AccountMessage.Deposit.class) {
            return new AccountMessage.Deposit(1);
        }
        if (type == AccountMessage.Transfer.class) {
            return new AccountMessage.Transfer("t", "a", 1, 0);
        }
        if (type == AccountMessage.Credit.class) {
            return new AccountMessage.Credit("t", "a", 1);
        }
        return new AccountMessage.Refund("t", 1);
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
