package io.fifoactors.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.fifoactors.core.ConfigurationException;
import io.fifoactors.lambda.LambdaSettings.Level;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the actor handler and the timer handler share: reading an invocation's context and event, naming an error
 * in a log line, priming the wiring, checking a builder. Stateless.
 */
final class Handlers {
    private Handlers() {
    }

    /** The invocation's request id, or empty without a context (tests). */
    static String requestId(Context context) {
        return context == null || context.getAwsRequestId() == null ? "" : context.getAwsRequestId();
    }

    /** The function name for the metrics: the context's, else the settings'. */
    static String functionName(Context context, LambdaSettings settings) {
        return context == null || context.getFunctionName() == null
                ? settings.functionName() : context.getFunctionName();
    }

    /** The event's records; none for a missing event or record list. */
    static List<SQSEvent.SQSMessage> records(SQSEvent event) {
        return event == null || event.getRecords() == null ? List.of() : event.getRecords();
    }

    /** An error as a log field: its class name, and its message after a colon where it has one. */
    static String describe(Throwable e) {
        return e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /** Runs the wiring's own priming; a failure is logged as {@code priming-failed}, never fatal. */
    static void primeWiring(Telemetry telemetry, Object wiring, Runnable priming) {
        try {
            priming.run();
        } catch (RuntimeException | LinkageError e) {
            telemetry.log(Level.WARN, "priming-failed", Map.of("wiring", wiring.getClass().getName(),
                    "error", describe(e)));
        }
    }

    /**
     * Checks a handler builder's required parts.
     *
     * @param handler the handler's simple class name, for the message
     * @throws ConfigurationException naming each part missing
     */
    static void requireBuilt(String handler, Map<String, String> environment, Clock clock, Consumer<String> output) {
        List<String> missing = new ArrayList<>();
        if (environment == null) {
            missing.add("environment(Map)");
        }
        if (clock == null) {
            missing.add("clock(Clock)");
        }
        if (output == null) {
            missing.add("output(Consumer)");
        }
        if (!missing.isEmpty()) {
            throw new ConfigurationException(handler + ".builder() is missing " + String.join(", ", missing));
        }
    }
}
