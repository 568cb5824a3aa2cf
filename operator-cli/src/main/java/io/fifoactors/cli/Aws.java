package io.fifoactors.cli;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The AWS clients of one run, built on first use from the global options and the environment, as the AWS CLI
 * resolves them: region from {@code --region}, then {@code AWS_REGION}/{@code AWS_DEFAULT_REGION}, then the
 * profile's, then the SDK's chain; credentials from {@code --profile}, then {@code AWS_ACCESS_KEY_ID} and
 * {@code AWS_SECRET_ACCESS_KEY} (and {@code AWS_SESSION_TOKEN}), then the SDK's default chain. Closed at the end of
 * the run. Not thread-safe: one run, one thread.
 */
final class Aws implements AutoCloseable {
    private final RootCommand root;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private Region region;
    private AwsCredentialsProvider credentials;
    private SqsClient sqs;
    private DynamoDbClient dynamo;
    private SecretsManagerClient secrets;

    Aws(RootCommand root) {
        this.root = root;
    }

    Region region() {
        if (region == null) {
            region = resolveRegion();
        }
        return region;
    }

    private Region resolveRegion() {
        if (root.region != null && !root.region.isBlank()) {
            return Region.of(root.region);
        }
        for (String name : List.of("AWS_REGION", "AWS_DEFAULT_REGION")) {
            String v = root.env.get(name);
            if (v != null && !v.isBlank()) {
                return Region.of(v.trim());
            }
        }
        try {
            return root.profile != null ? new AwsProfileRegionProvider(null, root.profile).getRegion()
                    : DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (SdkClientException e) {
            throw new UsageException("no AWS region: give --region, set AWS_REGION, or set a region in the "
                    + (root.profile != null ? "profile " + root.profile : "default profile"));
        }
    }

    AwsCredentialsProvider credentials() {
        if (credentials == null) {
            if (root.profile != null) {
                credentials = ProfileCredentialsProvider.create(root.profile);
            } else if (present("AWS_ACCESS_KEY_ID") && present("AWS_SECRET_ACCESS_KEY")) {
                String id = root.env.get("AWS_ACCESS_KEY_ID").trim();
                String secret = root.env.get("AWS_SECRET_ACCESS_KEY").trim();
                credentials = StaticCredentialsProvider.create(present("AWS_SESSION_TOKEN")
                        ? AwsSessionCredentials.create(id, secret, root.env.get("AWS_SESSION_TOKEN").trim())
                        : AwsBasicCredentials.create(id, secret));
            } else {
                DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build();
                opened.add(chain);
                credentials = chain;
            }
        }
        return credentials;
    }

    private boolean present(String name) {
        String v = root.env.get(name);
        return v != null && !v.isBlank();
    }

    SqsClient sqs() {
        if (sqs == null) {
            sqs = open(SqsClient.builder(), root.sqsEndpointUrl);
        }
        return sqs;
    }

    DynamoDbClient dynamo() {
        if (dynamo == null) {
            dynamo = open(DynamoDbClient.builder(), root.dynamoDbEndpointUrl);
        }
        return dynamo;
    }

    SecretsManagerClient secrets() {
        if (secrets == null) {
            secrets = open(SecretsManagerClient.builder(), root.secretsEndpointUrl);
        }
        return secrets;
    }

    /** A client of this run's region and credentials, on the service's endpoint if one is given; closed at the end. */
    private <B extends AwsSyncClientBuilder<B, C> & AwsClientBuilder<B, C>, C extends SdkClient> C open(B builder,
                                                                                                       URI specific) {
        builder.region(region()).credentialsProvider(credentials()).httpClientBuilder(http());
        URI endpoint = endpoint(specific);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        C client = builder.build();
        opened.add(client);
        return client;
    }

    private URI endpoint(URI specific) {
        return RootCommand.checkEndpoint(specific != null ? specific : root.endpointUrl);
    }

    private static UrlConnectionHttpClient.Builder http() {
        // a long poll of the dead-letter queue lasts a second or two; a socket waits longer than that
        return UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(Duration.ofSeconds(30));
    }

    @Override
    public void close() {
        for (AutoCloseable c : opened) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing at exit: nothing left to do about it
            }
        }
        opened.clear();
    }
}
