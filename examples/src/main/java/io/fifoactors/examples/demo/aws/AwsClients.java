package io.fifoactors.examples.demo.aws;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * SDK clients for an SQS or DynamoDB endpoint (local servers or AWS), optionally with interceptors such as a
 * {@link RequestCounter}: URL-connection HTTP client, a socket timeout longer than the longest SQS long poll.
 *
 * <pre>{@code
 * SqsClient sqs = AwsClients.sqs(URI.create("http://127.0.0.1:9324"), counter);   // dummy credentials, us-east-1
 * }</pre>
 *
 * <p>The caller closes the clients. Stateless and thread-safe.
 */
public final class AwsClients {
    /** The region of the clients made without one. */
    public static final Region DEFAULT_REGION = Region.US_EAST_1;

    private AwsClients() {
    }

    /** Static dummy credentials ("local"/"local"), which local servers accept. */
    public static AwsCredentialsProvider dummyCredentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    }

    /** An SQS client for {@code endpoint} with dummy credentials in {@link #DEFAULT_REGION}. */
    public static SqsClient sqs(URI endpoint, ExecutionInterceptor... interceptors) {
        return sqs(endpoint, dummyCredentials(), DEFAULT_REGION, interceptors);
    }

    /** A DynamoDB client for {@code endpoint} with dummy credentials in {@link #DEFAULT_REGION}. */
    public static DynamoDbClient dynamo(URI endpoint, ExecutionInterceptor... interceptors) {
        return dynamo(endpoint, dummyCredentials(), DEFAULT_REGION, interceptors);
    }

    /** An SQS client for {@code endpoint} with these credentials and region. */
    public static SqsClient sqs(URI endpoint, AwsCredentialsProvider credentials, Region region,
                                ExecutionInterceptor... interceptors) {
        return SqsClient.builder()
                .endpointOverride(Objects.requireNonNull(endpoint, "endpoint"))
                .region(region)
                .credentialsProvider(credentials)
                .httpClientBuilder(httpClient())
                .overrideConfiguration(o -> o.executionInterceptors(List.of(interceptors)))
                .build();
    }

    /** A DynamoDB client for {@code endpoint} with these credentials and region. */
    public static DynamoDbClient dynamo(URI endpoint, AwsCredentialsProvider credentials, Region region,
                                        ExecutionInterceptor... interceptors) {
        return DynamoDbClient.builder()
                .endpointOverride(Objects.requireNonNull(endpoint, "endpoint"))
                .region(region)
                .credentialsProvider(credentials)
                .httpClientBuilder(httpClient())
                .overrideConfiguration(o -> o.executionInterceptors(List.of(interceptors)))
                .build();
    }

    private static UrlConnectionHttpClient.Builder httpClient() {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(30));
    }
}
