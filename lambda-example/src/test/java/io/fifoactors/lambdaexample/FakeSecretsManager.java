package io.fifoactors.lambdaexample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * As much of AWS Secrets Manager as the function uses, on a loopback port: GetSecretValue (AWS JSON 1.1) for the
 * secrets it was given; any other secret id is ResourceNotFoundException. Records every call's target and secret
 * id.
 */
final class FakeSecretsManager implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, String> secrets;
    final List<String> calls = new CopyOnWriteArrayList<>();

    private FakeSecretsManager(Map<String, String> secrets) throws IOException {
        this.secrets = Map.copyOf(secrets);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        server.createContext("/", this::handle);
        server.start();
    }

    static FakeSecretsManager start(Map<String, String> secretsByArn) {
        try {
            return new FakeSecretsManager(secretsByArn);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String target = x.getRequestHeaders().getFirst("X-Amz-Target");
            JsonNode request = EsmEvents.JSON.readTree(x.getRequestBody().readAllBytes());
            String id = request.path("SecretId").asText();
            calls.add(target + " " + id);
            ObjectNode response = EsmEvents.JSON.createObjectNode();
            int status;
            if (!"secretsmanager.GetSecretValue".equals(target)) {
                status = 400;
                response.put("__type", "InvalidRequestException");
                response.put("message", "not supported here: " + target);
            } else if (!secrets.containsKey(id)) {
                status = 400;
                response.put("__type", "ResourceNotFoundException");
                response.put("message", "Secrets Manager can't find the specified secret.");
            } else {
                status = 200;
                response.put("ARN", id);
                response.put("Name", id.substring(id.lastIndexOf(':') + 1));
                response.put("VersionId", "00000000-0000-0000-0000-000000000001");
                response.put("SecretString", secrets.get(id));
                response.putArray("VersionStages").add("AWSCURRENT");
                response.put("CreatedDate", 1.7e9);
            }
            byte[] body = response.toString().getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            x.sendResponseHeaders(status, body.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
