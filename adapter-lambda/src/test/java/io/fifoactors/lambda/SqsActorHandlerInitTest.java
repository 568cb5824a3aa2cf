package io.fifoactors.lambda;

import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.runtime.ActorSystem;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Init errors are clear, and the wiring named in the environment is found. */
class SqsActorHandlerInitTest {
    private static SqsActorHandler build(Map<String, String> env) {
        List<String> out = new ArrayList<>();
        Map<String, String> all = new java.util.HashMap<>(env);
        all.putIfAbsent(LambdaSettings.MESSAGE_KEYS, Harness.KEYS);
        return SqsActorHandler.builder().environment(all).output(out::add).build();
    }

    private static String initError(Map<String, String> env) {
        return assertThrows(ConfigurationException.class, () -> build(env)).getMessage();
    }

    @Test
    void theWiringNamedInTheEnvironmentIsInstantiated() {
        SqsActorHandler h = build(Map.of(LambdaSettings.WIRING, TestWiring.class.getName()));
        assertTrue(h.system().type("tally").isPresent());
        assertTrue(h.initDuration().toMillis() >= 0);
    }

    @Test
    void aMissingWiringIsAClearInitError() {
        assertEquals("the function's environment lacks FA_WIRING: set it to the class name of your"
                + " io.fifoactors.lambda.ActorWiring", initError(Map.of()));
    }

    @Test
    void aWiringThatIsNotInTheCodeIsAClearInitError() {
        assertEquals("FA_WIRING names com.example.Missing, which is not in the function's code",
                initError(Map.of(LambdaSettings.WIRING, "com.example.Missing")));
    }

    @Test
    void aClassThatIsNotAWiringIsAClearInitError() {
        assertTrue(initError(Map.of(LambdaSettings.WIRING, String.class.getName()))
                .endsWith("which does not implement io.fifoactors.lambda.ActorWiring"));
    }

    /** Not instantiable: no public no-argument constructor. */
    public static final class NeedsArguments implements ActorWiring {
        public NeedsArguments(String x) {
        }

        @Override
        public void register(ActorSystem.Builder system, LambdaSettings settings) {
        }
    }

    @Test
    void aWiringWithoutPublicNoArgumentConstructorIsAClearInitError() {
        assertTrue(initError(Map.of(LambdaSettings.WIRING, NeedsArguments.class.getName()))
                .contains("needs a public no-argument constructor"));
    }

    /** Throws its own configuration error from the constructor. */
    public static final class Unconfigured implements ActorWiring {
        public Unconfigured() {
            throw new ConfigurationException("LedgerWiring needs FA_TABLE_NAME");
        }

        @Override
        public void register(ActorSystem.Builder system, LambdaSettings settings) {
        }
    }

    @Test
    void aWiringsOwnErrorIsPassedOnUnchanged() {
        assertEquals("LedgerWiring needs FA_TABLE_NAME",
                initError(Map.of(LambdaSettings.WIRING, Unconfigured.class.getName())));
    }

    @Test
    void aWiringThatLeavesTheSystemIncompleteIsAClearInitError() {
        String m = assertThrows(ConfigurationException.class, () -> SqsActorHandler.builder()
                .environment(Map.of(LambdaSettings.MESSAGE_KEYS, Harness.KEYS)).output(l -> { })
                .wiring((system, settings) -> system.register(Tally.TYPE)).build()).getMessage();
        assertTrue(m.contains("left the actor system incomplete: ActorSystem needs a state store"), m);
    }

    @Test
    void withoutKeysInTheEnvironmentTheWiringMustSetThemAndTheErrorSaysSo() {
        String m = assertThrows(ConfigurationException.class, () -> SqsActorHandler.builder()
                .environment(Map.of()).output(l -> { })
                .wiring(new TestWiring()).build()).getMessage();
        assertTrue(m.contains("ActorSystem needs message keys"), m);
        assertTrue(m.contains("FA_MESSAGE_KEYS is not set, so the wiring must set the message keys, for example from"
                + " the secret named by FA_MESSAGE_KEYS_SECRET_ARN"), m);
    }

    @Test
    void aWiringMaySetTheKeysItself() {
        TestWiring inner = new TestWiring();
        ActorWiring readsItsOwnKeys = (system, settings) -> {
            inner.register(system, settings);
            system.messageKeys(io.fifoactors.core.runtime.MessageKeys.parse(Harness.KEYS));
        };
        SqsActorHandler h = SqsActorHandler.builder().environment(Map.of()).output(l -> { })
                .wiring(readsItsOwnKeys).build();
        assertTrue(h.system().type("tally").isPresent());
    }

    @Test
    void theWiringReadsItsOwnVariables() {
        String m = assertThrows(ConfigurationException.class, () -> SqsActorHandler.builder()
                .environment(Map.of(LambdaSettings.MESSAGE_KEYS, Harness.KEYS)).output(l -> { })
                .wiring((system, settings) -> settings.requireAll(LambdaSettings.QUEUE_URL, LambdaSettings.TABLE_NAME))
                .build()).getMessage();
        assertEquals("the function's environment lacks FA_QUEUE_URL, FA_TABLE_NAME", m);
    }

    @Test
    void theBuilderNamesWhatIsMissing() {
        String m = assertThrows(ConfigurationException.class, () -> SqsActorHandler.builder().clock(null).build())
                .getMessage();
        assertEquals("SqsActorHandler.builder() is missing environment(Map), clock(Clock)", m);
    }
}
