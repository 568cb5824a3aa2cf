package io.fifoactors.lambdaexample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fifoactors.examples.ledger.LedgerTransaction.DepositTx;
import io.fifoactors.examples.ledger.LedgerTransaction.OpenTx;
import io.fifoactors.examples.ledger.LedgerTransaction.TransferTx;
import io.fifoactors.examples.ledger.Ledger;
import io.fifoactors.lambda.LambdaSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deployable jar, unpacked into a task root and run by the official runtime interface client in a child JVM
 * against a Runtime API written here: success, partial batch failure, a failing actor handler, a VM error, an init
 * failure, and the SnapStart init path. Prints the measured init time and invocation latencies.
 */
class FunctionPackagingIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration START = Duration.ofSeconds(60);
    private static LocalAws aws;
    private static Path taskRoot;

    @BeforeAll
    static void start() {
        aws = LocalAws.start("packaging");
        taskRoot = FunctionProcess.taskRoot("task-root");
    }

    @AfterAll
    static void stop() {
        if (aws != null) {
            aws.close();
        }
    }

    private static JsonNode json(String s) {
        try {
            return EsmEvents.JSON.readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> failures(RuntimeApiServer.Result r) {
        assertFalse(r.error(), "the invocation failed: " + r.body());
        List<String> ids = new ArrayList<>();
        json(r.body()).get("batchItemFailures").forEach(f -> ids.add(f.get("itemIdentifier").asText()));
        return ids;
    }

    /** Sends what the producer ingests to the function, settles the batch, returns the reported failures. */
    private static List<String> deliver(RuntimeApiServer api, int messages, List<RuntimeApiServer.Result> timings) {
        List<Message> batch = aws.receive(messages);
        RuntimeApiServer.Result r = api.invoke(EsmEvents.eventJson(batch, aws.queues.queueArn()), TIMEOUT);
        timings.add(r);
        List<String> failed = failures(r);
        aws.settle(batch, failed);
        return failed;
    }

    @Test
    void theLedgerRunsUnderTheRuntimeClientWithPartialBatchFailures() {
        try (RuntimeApiServer api = RuntimeApiServer.start();
             FunctionProcess fn = FunctionProcess.start(taskRoot, api, aws.functionEnv())) {
            long initNanos = api.awaitFirstNext(START) - fn.startedNanos;
            List<RuntimeApiServer.Result> timings = new ArrayList<>();

            // success: two accounts opened and funded, a transfer between them, the credit it sends
            Ledger.ingress(aws.producer).submit(List.of(new OpenTx("o-alice", "alice"), new OpenTx("o-bob", "bob"),
                    new DepositTx("d-1", "alice", 100), new DepositTx("d-2", "bob", 40),
                    new TransferTx("t-1", "alice", "bob", 30, 0)));
            assertEquals(List.of(), deliver(api, 5, timings));
            assertEquals(70, aws.account("alice").balance());
            assertEquals(List.of(), deliver(api, 1, timings), "the credit sent through the outbox");
            assertEquals(70, aws.account("bob").balance());

            // partial failure: carol's stored record is unreadable, so her messages are retried; dave's succeed
            aws.dynamo.putItem(b -> b.tableName(aws.table).item(Map.of(
                    "pk", AttributeValue.fromS(aws.id("carol").groupId()), "v", AttributeValue.fromN("1"),
                    "s", AttributeValue.fromB(SdkBytes.fromUtf8String("not json")),
                    "c", AttributeValue.fromB(SdkBytes.fromUtf8String("not control")))));
            Ledger.ingress(aws.producer).submit(List.of(new OpenTx("o-carol", "carol"), new OpenTx("o-dave", "dave"),
                    new DepositTx("d-3", "carol", 10), new DepositTx("d-4", "dave", 5)));
            List<Message> batch = aws.receive(4);
            RuntimeApiServer.Result partial = api.invoke(EsmEvents.eventJson(batch, aws.queues.queueArn()), TIMEOUT);
            timings.add(partial);
            List<String> carols = batch.stream()
                    .filter(m -> m.attributesAsStrings().get("MessageGroupId").equals("account/carol"))
                    .map(Message::messageId).collect(Collectors.toList());
            assertEquals(carols, failures(partial));
            assertEquals(5, aws.account("dave").balance());
            // carol's record stays unreadable: remove her messages so later receives here see only new ones
            aws.settle(batch, List.of());

            // warm invocations
            for (int i = 0; i < 5; i++) {
                Ledger.ingress(aws.producer).submit(List.of(new DepositTx("w-" + i, "dave", 1)));
                assertEquals(List.of(), deliver(api, 1, timings));
            }
            assertEquals(10, aws.account("dave").balance());
            assertEquals(0, aws.queued(), "every message settled");

            List<JsonNode> lines = fn.jsonLines();
            JsonNode init = lines.stream().filter(l -> "init".equals(l.path("message").asText())).findFirst()
                    .orElseThrow(() -> new AssertionError("no init line: " + fn.output()));
            assertTrue(lines.stream().anyMatch(l -> l.has("_aws")), "no EMF document");
            assertTrue(lines.stream().anyMatch(l -> "outcome".equals(l.path("message").asText())
                    && "account/alice".equals(l.path("actor").asText()) && l.has("sequence")));
            assertFalse(fn.stdout.stream().anyMatch(l -> l.contains("\"amount\"")), "a payload was logged");
            // the function jar's own SLF4J provider is found: no "No SLF4J providers were found" at cold start
            fn.stopAndReadAll(Duration.ofSeconds(10));
            assertFalse(fn.output().contains("SLF4J"), fn.output());

            List<Double> warm = timings.subList(3, timings.size()).stream()
                    .map(RuntimeApiServer.Result::latencyMillis).sorted().collect(Collectors.toList());
            List<Long> handlerMillis = lines.stream().filter(l -> "batch".equals(l.path("message").asText()))
                    .map(l -> l.get("durationMillis").asLong()).collect(Collectors.toList());
            List<Long> warmHandler = handlerMillis.subList(3, handlerMillis.size()).stream().sorted()
                    .collect(Collectors.toList());
            System.out.printf("%n[measure] packaged function under the runtime interface client (JDK %s):%n"
                            + "[measure]   init, process start to first /next: %d ms (handler constructor incl."
                            + " SDK clients and priming: %d ms)%n"
                            + "[measure]   first invocation (5 messages, 2 groups): %.1f ms%n"
                            + "[measure]   second invocation (1 message): %.1f ms%n"
                            + "[measure]   warm invocations (1 message) median %.1f ms, min %.1f ms, max %.1f ms%n"
                            + "[measure]   inside the handler (its batch log line): first %d ms, warm median %d ms%n"
                            + "[measure]   shaded jar: %,d bytes%n",
                    System.getProperty("java.version"), initNanos / 1_000_000, init.get("initMillis").asLong(),
                    timings.get(0).latencyMillis(), timings.get(1).latencyMillis(), warm.get(warm.size() / 2),
                    warm.get(0), warm.get(warm.size() - 1), handlerMillis.get(0),
                    warmHandler.get(warmHandler.size() / 2), FunctionProcess.functionJar().toFile().length());
        }
    }

    @Test
    void theJarHoldsTheFunctionButNotTheDemoAndBindsItsOwnLogProvider() throws IOException {
        List<String> entries = new ArrayList<>();
        try (ZipFile jar = new ZipFile(FunctionProcess.functionJar().toFile())) {
            jar.stream().forEach(e -> entries.add(e.getName()));
            assertEquals(List.of(), entries.stream().filter(n -> n.startsWith("io/fifoactors/examples/demo/"))
                    .collect(Collectors.toList()), "the demo stays out of the function");
            assertTrue(entries.contains("io/fifoactors/examples/ledger/Account.class"), "the ledger is in");
            ZipEntry services = jar.getEntry("META-INF/services/org.slf4j.spi.SLF4JServiceProvider");
            assertNotNull(services, "no SLF4J provider");
            assertEquals(FunctionLogProvider.class.getName(),
                    new String(jar.getInputStream(services).readAllBytes(), StandardCharsets.UTF_8).strip());
        }
        assertFalse(entries.stream().anyMatch(n -> n.startsWith("org/slf4j/simple/") || n.startsWith("org/slf4j/nop/")),
                "no other provider");
    }

    @Test
    void aThrowingActorNeverFailsTheInvocationButAVirtualMachineErrorDoes() {
        Path root = FunctionProcess.taskRoot("task-root-faulty");
        FunctionProcess.addTestClasses(root, FaultyWiring.class);
        Map<String, String> env = new HashMap<>(aws.functionEnv());
        env.put(LambdaSettings.WIRING, FaultyWiring.class.getName());
        try (RuntimeApiServer api = RuntimeApiServer.start();
             FunctionProcess fn = FunctionProcess.start(root, api, env)) {
            List<ObjectNode> records = List.of(
                    EsmEvents.record("faulty/x", "x-boom", "Boom", "{}", "100"),
                    EsmEvents.record("faulty/y", "y-ok", "Ok", "{}", "101"),
                    EsmEvents.record("faulty/x", "x-after", "Ok", "{}", "102"));
            RuntimeApiServer.Result r = api.invoke(EsmEvents.event(records), TIMEOUT);
            assertEquals(List.of(records.get(0).get("messageId").asText(), records.get(2).get("messageId").asText()),
                    failures(r), fn.output());

            RuntimeApiServer.Result fatal = api.invoke(EsmEvents.event(List.of(
                    EsmEvents.record("faulty/z", "z-fatal", "Fatal", "{}", "103"))), TIMEOUT);
            assertTrue(fatal.error(), fatal.body());
            assertEquals("java.lang.InternalError", json(fatal.body()).get("errorType").asText());
            fn.awaitExit(Duration.ofSeconds(20)); // the runtime client exits after a VM error; Lambda starts afresh
        }
    }

    @Test
    void aConfigurationErrorIsTheInitError() {
        Map<String, String> env = new HashMap<>(aws.functionEnv());
        env.remove(LambdaSettings.TABLE_NAME);
        env.put(LambdaSettings.MAX_ATTEMPTS, "0");
        try (RuntimeApiServer api = RuntimeApiServer.start();
             FunctionProcess fn = FunctionProcess.start(taskRoot, api, env)) {
            RuntimeApiServer.InitError error = api.awaitInitError(START);
            JsonNode body = json(error.body());
            assertEquals("io.fifoactors.core.ConfigurationException", body.get("errorType").asText(), error.body());
            assertTrue(body.get("errorMessage").asText().contains("FA_MAX_ATTEMPTS must be 1 to 1000, was 0"),
                    error.body());
            assertEquals(1, fn.awaitExit(Duration.ofSeconds(20)));

            env.put(LambdaSettings.MAX_ATTEMPTS, "3");
        }
        try (RuntimeApiServer api = RuntimeApiServer.start();
             FunctionProcess fn = FunctionProcess.start(taskRoot, api, env)) {
            JsonNode body = json(api.awaitInitError(START).body());
            assertEquals("the function's environment lacks FA_TABLE_NAME (required by "
                    + LedgerWiring.class.getName() + ")", body.get("errorMessage").asText());
            assertEquals(1, fn.awaitExit(Duration.ofSeconds(20)));
        }
    }

    @Test
    void theSnapStartInitPathCheckpointsRestoresAndServes() {
        Map<String, String> env = new HashMap<>(aws.functionEnv());
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
        try (RuntimeApiServer api = RuntimeApiServer.start();
             FunctionProcess fn = FunctionProcess.start(taskRoot, api, env)) {
            assertNotNull(api.awaitRestoreNext(START));
            Ledger.ingress(aws.producer).submit(List.of(new OpenTx("o-snap", "snap"),
                    new DepositTx("d-snap", "snap", 7)));
            List<Message> batch = aws.receive(2);
            RuntimeApiServer.Result r = api.invoke(EsmEvents.eventJson(batch, aws.queues.queueArn()), TIMEOUT);
            assertEquals(List.of(), failures(r), fn.output());
            aws.settle(batch, List.of());
            assertEquals(7, aws.account("snap").balance());
            assertEquals(0, aws.queued(), "every message settled");
        }
    }
}
