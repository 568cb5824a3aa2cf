package io.fifoactors.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback stand-in for AWS Secrets Manager's GetSecretValue (JSON 1.1 protocol): known secret ids answer their
 * SecretString, others AccessDeniedException. For tests only; thread-safe.
 */
final class SecretsStandIn implements AutoCloseable {
    private final HttpServer server;
    private final List<String> asked = new CopyOnWriteArrayList<>();

    private SecretsStandIn(HttpServer server) {
        this.server = server;
    }

    static SecretsStandIn start(Map<String, String> secrets) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SecretsStandIn standIn = new SecretsStandIn(server);
        ObjectMapper json = new ObjectMapper();
        server.createContext("/", exchange -> {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            JsonNode request = json.readTree(exchange.getRequestBody().readAllBytes());
            String id = request.path("SecretId").asText();
            standIn.asked.add(id);
            String value = "secretsmanager.GetSecretValue".equals(target) ? secrets.get(id) : null;
            int status;
            String body;
            if (value != null) {
                status = 200;
                body = json.writeValueAsString(Map.of("ARN", "arn:aws:secretsmanager:us-east-1:000000000000:secret:"
                        + id, "Name", id, "SecretString", value, "VersionId", "v1"));
            } else {
                status = 400;
                body = "{\"__type\":\"AccessDeniedException\",\"message\":\"not allowed to read " + id + "\"}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return standIn;
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<String> asked() {
        return asked;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
