package io.fifoactors.lambdaexample;

import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.lambda.LambdaSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where {@link ExampleWiring} takes the message keys from, and its refusals (which name no secret). */
class ExampleWiringTest {
    private static final String ARN = "arn:aws:secretsmanager:us-east-1:000000000000:secret:keys-AbCdEf";
    private static final String SHORT_ARN = "arn:aws:secretsmanager:us-east-1:000000000000:secret:short-AbCdEf";
    private static final String SHORT_SECRET = "c2hvcnRzZWNyZXQ"; // Base64 of 11 bytes: too short for a key
    private static FakeSecretsManager secrets;

    @BeforeAll
    static void start() {
        // the wiring's default credentials chain finds these first (as a function finds its role's)
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
        secrets = FakeSecretsManager.start(Map.of(ARN, "Zr4Kq8Tn2Wc6Yh0Lp3Vb7Xg1Md5Sj9Fa4Qe8Ru2Iy6Ok",
                SHORT_ARN, SHORT_SECRET));
    }

    @AfterAll
    static void stop() {
        secrets.close();
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put(LambdaSettings.QUEUE_URL, "http://127.0.0.1:1/000000000000/q.fifo");
        env.put(LambdaSettings.DEAD_LETTER_QUEUE_URL, "http://127.0.0.1:1/000000000000/q-dlq.fifo");
        env.put(LambdaSettings.TIMER_QUEUE_URL, "http://127.0.0.1:1/000000000000/q-timers");
        env.put(LambdaSettings.TABLE_NAME, "actors");
        env.put(LambdaSettings.AWS_REGION, "us-east-1");
        env.put(ExampleWiring.SQS_ENDPOINT, "http://127.0.0.1:1");
        env.put(ExampleWiring.DYNAMODB_ENDPOINT, "http://127.0.0.1:1");
        env.put(ExampleWiring.SECRETS_MANAGER_ENDPOINT, secrets.endpoint());
        return env;
    }

    private static String refusal(Map<String, String> env) {
        return assertThrows(ConfigurationException.class, () -> new ExampleWiring()
                .register(ActorSystem.builder(), LambdaSettings.from(env))).getMessage();
    }

    @Test
    void theKeysComeFromTheSecretReadOnceAtRegistration() {
        Map<String, String> env = env();
        env.put(LambdaSettings.MESSAGE_KEYS_SECRET_ARN, ARN);
        int before = secrets.calls.size();
        new ExampleWiring().register(ActorSystem.builder(), LambdaSettings.from(env));
        assertEquals(before + 1, secrets.calls.size());
        assertEquals("secretsmanager.GetSecretValue " + ARN, secrets.calls.get(before));
    }

    @Test
    void keysInTheEnvironmentAndASecretAreRefusedTogetherAndNeitherIsRefusedToo() {
        Map<String, String> both = env();
        both.put(LambdaSettings.MESSAGE_KEYS_SECRET_ARN, ARN);
        both.put(LambdaSettings.MESSAGE_KEYS, LocalAws.KEYS);
        assertEquals("set FA_MESSAGE_KEYS_SECRET_ARN or FA_MESSAGE_KEYS, not both: which keys would be meant?",
                refusal(both));
        assertEquals("the function's environment lacks FA_MESSAGE_KEYS_SECRET_ARN (or, for local runs,"
                + " FA_MESSAGE_KEYS): the keys that authenticate the runtime's own messages", refusal(env()));
    }

    @Test
    void aSecretThatCannotBeReadOrHoldsNoKeysIsAnInitErrorThatShowsNoSecret() {
        Map<String, String> missing = env();
        missing.put(LambdaSettings.MESSAGE_KEYS_SECRET_ARN, ARN + "-gone");
        String m = refusal(missing);
        assertTrue(m.startsWith("could not read the message keys from the secret " + ARN + "-gone: "), m);
        assertTrue(m.contains("ResourceNotFoundException"), m);

        Map<String, String> shortKey = env();
        shortKey.put(LambdaSettings.MESSAGE_KEYS_SECRET_ARN, SHORT_ARN);
        String s = refusal(shortKey);
        assertTrue(s.startsWith("the secret " + SHORT_ARN + " holds no valid message keys: "), s);
        assertFalse(s.contains(SHORT_SECRET), "the message shows no secret: " + s);
    }

    @Test
    void theHopKnobIsCheckedAndTheTimerFunctionNeedsOnlyItsQueues() {
        Map<String, String> env = env();
        env.put(LambdaSettings.MESSAGE_KEYS, LocalAws.KEYS);
        env.put(ExampleWiring.TIMER_MAX_HOP_SECONDS, "901");
        assertEquals("FA_TIMER_MAX_HOP_SECONDS must be a whole number from 1 to 900", refusal(env));

        Map<String, String> timers = new HashMap<>();
        timers.put(LambdaSettings.QUEUE_URL, "http://127.0.0.1:1/000000000000/q.fifo");
        timers.put(LambdaSettings.TIMER_QUEUE_URL, "http://127.0.0.1:1/000000000000/q-timers");
        timers.put(LambdaSettings.AWS_REGION, "us-east-1");
        timers.put(ExampleWiring.SQS_ENDPOINT, "http://127.0.0.1:1");
        // no table, no dead-letter queue, no keys: the forwarder moves carriers byte for byte
        assertTrue(new ExampleWiring().timerForwarding(LambdaSettings.from(timers)).toString()
                .contains("q-timers -> http://127.0.0.1:1/000000000000/q.fifo"));
        timers.remove(LambdaSettings.TIMER_QUEUE_URL);
        assertEquals("the function's environment lacks FA_TIMER_QUEUE_URL", assertThrows(
                ConfigurationException.class, () -> new ExampleWiring().timerForwarding(LambdaSettings.from(timers)))
                .getMessage());
    }
}
