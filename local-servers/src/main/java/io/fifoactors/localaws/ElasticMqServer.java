package io.fifoactors.localaws;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.ActorSystem;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An embedded ElasticMQ server (an SQS-compatible queue server) bound to a free loopback port, for tests and demos.
 * State is in memory and dies with the server; every server is independent.
 *
 * <pre>{@code
 * try (ElasticMqServer sqs = ElasticMqServer.start()) {
 *     SqsClient client = sqs.newClient();
 *     client.createQueue(b -> b.queueName("mailbox.fifo").attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true")));
 * }
 * }</pre>
 *
 * <p>The first server in a JVM takes a second or two (class loading); later ones start in well under 100 ms. Pekko's
 * own log level is set to INFO for the server's actor system, so ElasticMQ does not flood an SLF4J backend that is
 * left at DEBUG.
 *
 * <p>Thread-safe: {@link #newClient()} and {@link #close()} may be called from any thread; {@code close()} is
 * idempotent.
 */
public final class ElasticMqServer implements AutoCloseable {
    /** The region the server puts in its ARNs and the region of {@link #newClient()}. */
    public static final String REGION = "us-east-1";
    /** The account id in queue URLs and ARNs. */
    public static final String ACCOUNT_ID = "000000000000";

    private static final String HOST = "127.0.0.1";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** Long polls last up to 20 s; a client socket must wait longer than that. */
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);

    private final ActorSystem actorSystem;
    private final SQSRestServer server;
    private final URI endpoint;
    private final List<SqsClient> clients = new ArrayList<>();
    private boolean closed;

    private ElasticMqServer(ActorSystem actorSystem, SQSRestServer server, URI endpoint) {
        this.actorSystem = actorSystem;
        this.server = server;
        this.endpoint = endpoint;
    }

    /**
     * Starts a server on a free port of 127.0.0.1 and waits until it accepts requests.
     *
     * @throws IllegalStateException if the server does not start
     */
    public static ElasticMqServer start() {
        ActorSystem system = ActorSystem.create("elasticmq", quietConfig());
        try {
            SQSRestServer server = SQSRestServerBuilder.withActorSystem(system)
                    .withInterface(HOST)
                    .withDynamicPort()
                    .withAWSRegion(REGION)
                    .withAWSAccountId(ACCOUNT_ID)
                    .start();
            int port;
            try {
                port = server.waitUntilStarted().localAddress().getPort();
            } catch (RuntimeException e) {
                stopQuietly(server);
                throw e;
            }
            return new ElasticMqServer(system, server, URI.create("http://" + HOST + ":" + port));
        } catch (RuntimeException e) {
            terminate(system);
            throw new IllegalStateException("ElasticMQ did not start: " + e, e);
        }
    }

    /**
     * The application's configuration with Pekko's log level lowered from the DEBUG that ElasticMQ's jar ships to
     * INFO, unless the system property {@code pekko.loglevel} asks for a level.
     */
    private static Config quietConfig() {
        Config loaded = ConfigFactory.load();
        if (System.getProperty("pekko.loglevel") != null) {
            return loaded;
        }
        return ConfigFactory.parseString("pekko.loglevel = INFO").withFallback(loaded);
    }

    /** The HTTP endpoint, for example {@code http://127.0.0.1:40123}; give it to an SDK's endpointOverride. */
    public URI endpoint() {
        return endpoint;
    }

    /** The bound port. */
    public int port() {
        return endpoint.getPort();
    }

    /**
     * A new SQS client for this server: url-connection HTTP client, static dummy credentials, region
     * {@value #REGION}, socket timeout longer than the longest long poll. The caller may close it; whatever is still
     * open is closed by {@link #close()}.
     *
     * @throws IllegalStateException if the server is closed
     */
    public SqsClient newClient() {
        SqsClient client = SqsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(SOCKET_TIMEOUT))
                .build();
        synchronized (this) {
            if (closed) {
                client.close();
                throw new IllegalStateException("ElasticMQ server at " + endpoint + " is closed");
            }
            clients.add(client);
        }
        return client;
    }

    /** Closes the clients made by {@link #newClient()}, stops the server and its actor system. Idempotent. */
    @Override
    public void close() {
        List<SqsClient> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(clients);
            clients.clear();
        }
        for (SqsClient client : toClose) {
            try {
                client.close();
            } catch (RuntimeException ignored) {
                // closing a client twice or after a failure is harmless
            }
        }
        try {
            stopQuietly(server);
        } finally {
            terminate(actorSystem);
        }
    }

    @Override
    public String toString() {
        return "ElasticMqServer[" + endpoint + "]";
    }

    private static void stopQuietly(SQSRestServer server) {
        try {
            server.stopAndWait();
        } catch (RuntimeException ignored) {
            // the actor system is terminated next, which releases the port anyway
        }
    }

    private static void terminate(ActorSystem system) {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception ignored) {
            // a slow shutdown must not fail the caller's close
        }
    }
}
