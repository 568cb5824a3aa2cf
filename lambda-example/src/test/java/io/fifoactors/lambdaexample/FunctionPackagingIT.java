package io.fifoactors.lambdaexample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.MessageKeys;
import io.fifoactors.dynamodb.DynamoDbStateStore;
import io.fifoactors.lambda.LambdaSettings;
import io.fifoactors.lambdaexample.ReminderMessage.Cancel;
import io.fifoactors.lambdaexample.ReminderMessage.Remind;
import io.fifoactors.sqs.SqsMailbox;
import io.fifoactors.sqs.SqsScheduler;
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
 * failure, the SnapStart init path, and the message keys read from Secrets Manager at init. Prints the measured init
 * time and invocation latencies.
 */
class FunctionPackagingIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration START = Duration.ofSeconds(60);
    private static final long DAY = Duration.ofDays(1).toMillis();
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

    /** Sends what the producer sent to the function, settles the batch, returns the reported failures. */
    private static List<String> deliver(RuntimeApiServer api, int messages, List<RuntimeApiServer.Result> timings) {
        List<Message> batch = aws.receive(messages);
        RuntimeApiServer.Result r = api.invoke(EsmEvents.eventJson(batch, aws.queues.queueArn()), TIMEOUT);
        timings.add(r);
        List<String> failed = failures(r);
        aws.settle(batch, failed);
        return failed;
    }

    private static void remind(String key, String note, String id) {
        aws.producer.tell(Reminders.reminder(key), new Remind(note, DAY), id);
    }

    private static Reminders.State reminder(String key) {
        return aws.producer.inspect(Reminders.TYPE, key).state();
    }

    @Test
    void theActorsRunUnderTheRuntimeClientWithPartialBatchFailures() {
        int timersBefore = aws.queued(aws.timerQueueUrl);
        try (RuntimeApiServer api = RuntimeApiServer.start();
             FunctionProcess fn = FunctionProcess.start(taskRoot, api, aws.functionEnv())) {
            long initNanos = api.awaitFirstNext(START) - fn.startedNanos;
            List<RuntimeApiServer.Result> timings = new ArrayList<>();

            // success: reminders of two actors set (their carriers go to the timer queue), one cancelled
            remind("alice", "tea", "r-alice-tea");
            remind("alice", "post", "r-alice-post");
            remind("bob", "walk", "r-bob-walk");
            aws.producer.tell(Reminders.reminder("alice"), new Cancel("post"), "c-alice-post");
            assertEquals(List.of(), deliver(api, 4, timings));
            assertEquals(List.of("tea"), reminder("alice").pending());
            assertEquals(List.of("walk"), reminder("bob").pending());
            assertEquals(timersBefore + 3, aws.queued(aws.timerQueueUrl), "one carrier per timer started");

            // partial failure: carol's stored record is unreadable, so her messages are retried; dave's succeed
            aws.dynamo.putItem(b -> b.tableName(aws.table).item(Map.of(
                    "pk", AttributeValue.fromS(Reminders.TYPE.id("carol").groupId()), "v", AttributeValue.fromN("1"),
                    "s", AttributeValue.fromB(SdkBytes.fromUtf8String("not json")),
                    "c", AttributeValue.fromB(SdkBytes.fromUtf8String("not control")))));
            remind("carol", "a", "r-carol-a");
            remind("dave", "a", "r-dave-a");
            remind("carol", "b", "r-carol-b");
            List<Message> batch = aws.receive(3);
            // the store failing on carol's record is a port failure: the handler holds her messages and tries again
            // while the invocation has time, so this one gets 6 s (no group starts in the last 3)
            RuntimeApiServer.Result partial = api.invoke(EsmEvents.eventJson(batch, aws.queues.queueArn()),
                    Duration.ofSeconds(6));
            timings.add(partial);
            List<String> carols = batch.stream()
                    .filter(m -> m.attributesAsStrings().get("MessageGroupId").equals("reminder/carol"))
                    .map(Message::messageId).collect(Collectors.toList());
            assertEquals(2, carols.size());
            assertEquals(carols, failures(partial));
            assertEquals(List.of("a"), reminder("dave").pending());
            // carol's record stays unreadable: remove her messages so later receives here see only new ones
            aws.settle(batch, List.of());

            // warm invocations
            for (int i = 0; i < 5; i++) {
                remind("dave", "w" + i, "r-dave-w" + i);
                assertEquals(List.of(), deliver(api, 1, timings));
            }
            assertEquals(List.of("a", "w0", "w1", "w2", "w3", "w4"), reminder("dave").pending());
            assertEquals(0, aws.queued(), "every message settled");

            List<JsonNode> lines = fn.jsonLines();
            JsonNode init = lines.stream().filter(l -> "init".equals(l.path("message").asText())).findFirst()
                    .orElseThrow(() -> new AssertionError("no init line: " + fn.output()));
            assertEquals("MessageKeys[current test]", init.get("settings").get("messageKeys").asText(),
                    "FA_MESSAGE_KEYS locally; only the key's id is logged");
            assertTrue(lines.stream().anyMatch(l -> l.has("_aws")), "no EMF document");
            assertTrue(lines.stream().anyMatch(l -> "outcome".equals(l.path("message").asText())
                    && "reminder/alice".equals(l.path("actor").asText()) && l.has("sequence")));
            assertFalse(fn.stdout.stream().anyMatch(l -> l.contains("\"delayMillis\"")), "a payload was logged");
            // the function jar's own SLF4J provider is found: no "No SLF4J providers were found" at cold start
            fn.stopAndReadAll(Duration.ofSeconds(10));
            assertFalse(fn.output().contains("SLF4J"), fn.output());

            List<Double> warm = timings.subList(2, timings.size()).stream()
                    .map(RuntimeApiServer.Result::latencyMillis).sorted().collect(Collectors.toList());
            List<Long> handlerMillis = lines.stream().filter(l -> "batch".equals(l.path("message").asText()))
                    .map(l -> l.get("durationMillis").asLong()).collect(Collectors.toList());
            List<Long> warmHandler = handlerMillis.subList(2, handlerMillis.size()).stream().sorted()
                    .collect(Collectors.toList());
            System.out.printf("%n[measure] packaged function under the runtime interface client (JDK %s):%n"
                            + "[measure]   init, process start to first /next: %d ms (handler constructor incl."
                            + " SDK clients and priming: %d ms)%n"
                            + "[measure]   first invocation (4 messages, 2 groups): %.1f ms%n"
                            + "[measure]   second invocation (3 messages, 2 groups, one failing): %.1f ms%n"
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
    void theJarHoldsBothHandlersAndTheWiringAndBindsItsOwnLogProvider() throws IOException {
        List<String> entries = new ArrayList<>();
        try (ZipFile jar = new ZipFile(FunctionProcess.functionJar().toFile())) {
            jar.stream().forEach(e -> entries.add(e.getName()));
            for (String cls : List.of("io/fifoactors/lambda/SqsActorHandler.class",
                    "io/fifoactors/lambda/SqsTimerHandler.class", "io/fifoactors/lambdaexample/ExampleWiring.class",
                    "io/fifoactors/lambdaexample/Reminders.class", "io/fifoactors/sqs/SqsTimerForwarder.class",
                    "software/amazon/awssdk/services/secretsmanager/SecretsManagerClient.class")) {
                assertTrue(entries.contains(cls), cls + " is in the function");
            }
            assertEquals(List.of(), entries.stream().filter(n -> n.startsWith("io/fifoactors/lambdaexample/Test"))
                    .collect(Collectors.toList()), "test classes stay out of the function");
            ZipEntry services = jar.getEntry("META-INF/services/org.slf4j.spi.SLF4JServiceProvider");
            assertNotNull(services, "no SLF4J provider");
            assertEquals(FunctionLogProvider.class.getName(),
                    new String(jar.getInputStream(services).readAllBytes(), StandardCharsets.UTF_8).strip());
        }
        assertFalse(entries.stream().anyMatch(n -> n.startsWith("org/slf4j/simple/") || n.startsWith("org/slf4j/nop/")),
                "no other provider");
        assertFalse(entries.stream().anyMatch(n -> n.startsWith("org/apache/http/") || n.startsWith("io/netty/")),
                "only the url-connection HTTP client");
    }

    @Test
    void aThrowingActorNeverFailsTheInvocationButAVirtualMachineErrorDoes() {
        Path root = FunctionProcess.taskRoot("task-root-faulty");
        FunctionProcess.addTestClasses(root, TestWiring.class, TestActors.class);
        Map<String, String> env = new HashMap<>(aws.functionEnv());
        env.put(LambdaSettings.WIRING, TestWiring.class.getName());
        try (RuntimeApiServer api = RuntimeApiServer.start();
             FunctionProcess fn = FunctionProcess.start(root, api, env)) {
            List<ObjectNode> records = List.of(
                    EsmEvents.record("faulty/x", "x-boom", "Boom", "{}", "100"),
                    EsmEvents.record("faulty/y", "y-ok", "Ok", "{}", "101"),
                    EsmEvents.record("faulty/x", "x-after", "Ok", "{}", "102"));
            RuntimeApiServer.Result r = api.invoke(EsmEvents.event(records), TIMEOUT);
            assertEquals(List.of(records.get(0).get("messageId").asText(), records.get(2).get("messageId").asText()),
                    failures(r), fn.output());
            assertEquals(1, aws.producer.inspect(TestActors.FAULTY, "y").state().n());

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
            assertTrue(body.get("errorMessage").asText().contains("FA_MAX_ATTEMPTS must be 1 to 100, was 0"),
                    error.body());
            assertEquals(1, fn.awaitExit(Duration.ofSeconds(20)));

            env.put(LambdaSettings.MAX_ATTEMPTS, "3");
        }
        try (RuntimeApiServer api = RuntimeApiServer.start();
             FunctionProcess fn = FunctionProcess.start(taskRoot, api, env)) {
            JsonNode body = json(api.awaitInitError(START).body());
            assertEquals("the function's environment lacks FA_TABLE_NAME (required by "
                    + ExampleWiring.class.getName() + ")", body.get("errorMessage").asText());
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
            remind("snap", "one", "r-snap-1");
            remind("snap", "two", "r-snap-2");
            List<Message> batch = aws.receive(2);
            RuntimeApiServer.Result r = api.invoke(EsmEvents.eventJson(batch, aws.queues.queueArn()), TIMEOUT);
            assertEquals(List.of(), failures(r), fn.output());
            aws.settle(batch, List.of());
            assertEquals(List.of("one", "two"), reminder("snap").pending());
            assertEquals(0, aws.queued(), "every message settled");
        }
    }

    @Test
    void theMessageKeysAreReadFromSecretsManagerAtInitAndAuthenticateTheOperatorsMessages() {
        // a secret as Secrets Manager generates it for the template (44 letters and digits)
        String secret = "Zr4Kq8Tn2Wc6Yh0Lp3Vb7Xg1Md5Sj9Fa4Qe8Ru2Iy6Ok";
        String arn = "arn:aws:secretsmanager:us-east-1:000000000000:secret:packaging-keys-AbCdEf";
        try (FakeSecretsManager secrets = FakeSecretsManager.start(Map.of(arn, secret))) {
            Map<String, String> env = new HashMap<>(aws.functionEnv());
            env.remove(LambdaSettings.MESSAGE_KEYS);
            env.put(LambdaSettings.MESSAGE_KEYS_SECRET_ARN, arn);
            env.put(ExampleWiring.SECRETS_MANAGER_ENDPOINT, secrets.endpoint());
            ActorSystem operator = ActorSystem.builder().register(Reminders.TYPE)
                    .mailbox(SqsMailbox.builder().client(aws.sqs).queues(aws.queues).build())
                    .scheduler(SqsScheduler.builder().client(aws.sqs).timerQueueUrl(aws.timerQueueUrl).build())
                    .stateStore(DynamoDbStateStore.builder().client(aws.dynamo).tableName(aws.table).build())
                    .messageKeys(MessageKeys.parse(secret))
                    .build();
            try (RuntimeApiServer api = RuntimeApiServer.start();
                 FunctionProcess fn = FunctionProcess.start(taskRoot, api, env)) {
                api.awaitFirstNext(START);
                assertEquals(List.of("secretsmanager.GetSecretValue " + arn), secrets.calls,
                        "read once, during init");
                // a wake signed with the secret's key is the operator's; one signed with another key is refused
                operator.wake(Reminders.TYPE.id("erin"), "wake-good");
                aws.producer.wake(Reminders.TYPE.id("erin"), "wake-forged");
                List<Message> batch = aws.receive(2);
                RuntimeApiServer.Result r = api.invoke(EsmEvents.eventJson(batch, aws.queues.queueArn()), TIMEOUT);
                assertEquals(List.of(), failures(r), fn.output());
                aws.settle(batch, List.of());
                fn.stopAndReadAll(Duration.ofSeconds(10));
                Map<String, String> outcomes = new HashMap<>();
                String detail = "";
                for (JsonNode l : fn.jsonLines()) {
                    if ("outcome".equals(l.path("message").asText())) {
                        outcomes.put(l.get("messageId").asText(), l.get("outcome").asText());
                        if (l.get("messageId").asText().equals("wake-forged")) {
                            detail = l.path("detail").asText();
                        }
                    }
                }
                assertEquals("DEAD_LETTERED", outcomes.get("wake-forged"), fn.output());
                assertTrue(detail.startsWith("unauthenticated"), detail);
                assertFalse(fn.output().contains(secret), "the secret is never logged");
                // the operator's wake was handled (no failure reported) and is not among the dead letters
                List<Message> dead = EsmEvents.receive(aws.sqs, aws.queues.deadLetterQueueUrl(), 10, 30, 1);
                assertEquals(List.of("wake-forged"), dead.stream()
                        .map(m -> m.messageAttributes().get("fa-sqs-id").stringValue()).collect(Collectors.toList()),
                        "only the forged wake is dead-lettered");
                aws.sqs.deleteMessage(b -> b.queueUrl(aws.queues.deadLetterQueueUrl())
                        .receiptHandle(dead.get(0).receiptHandle()));
            }
        }
    }
}
