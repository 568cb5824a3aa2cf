package io.fifoactors.lambda;

import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.runtime.MessageKeys;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The function's configuration, read once from its environment variables by the bootstrap and validated as a
 * whole: every problem is reported in one {@link ConfigurationException}, which Lambda shows as the init error.
 *
 * <p>The handlers' own variables (all optional except {@value #WIRING} for the no-argument constructors of
 * {@link SqsActorHandler} and {@link SqsTimerHandler}):
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><td>{@value #WIRING}</td><td>class name of the {@link ActorWiring} (public, with a public no-argument
 *       constructor)</td></tr>
 *   <tr><td>{@value #MAX_ATTEMPTS}</td><td>handler attempts per message before it is given up (1-1000, default
 *       5)</td></tr>
 *   <tr><td>{@value #MESSAGE_KEYS}</td><td>the keys that authenticate the runtime's own messages, {@code
 *       id:base64secret[,id:base64secret]} or a bare Base64 secret, current first (see {@code MessageKeys});
 *       never logged. The actor handler needs keys: from this variable (local runs, tests) or set by the wiring
 *       itself, for example read at init from the secret named by {@value #MESSAGE_KEYS_SECRET_ARN}, so that
 *       they never sit in the function's configuration in plain text. The timer handler needs none</td></tr>
 *   <tr><td>{@value #RECORD_CACHE}</td><td>actors whose records a container keeps between invocations and does not
 *       read again (0-10,000,000, default 0: off; see {@code ActorSystem.Builder.recordCache}); watch the
 *       VersionConflicts metric: each stale copy costs a failed write and a read</td></tr>
 *   <tr><td>{@value #GROUP_CONCURRENCY}</td><td>groups of a batch processed at once (1-10, default 10)</td></tr>
 *   <tr><td>{@value #START_RESERVE_MS}</td><td>no group is started when fewer milliseconds than this remain
 *       (default 3000)</td></tr>
 *   <tr><td>{@value #RESPONSE_RESERVE_MS}</td><td>groups still running when this many milliseconds remain are
 *       reported as failed and the response is sent (default 500; at most the start reserve)</td></tr>
 *   <tr><td>{@value #LOG_LEVEL}</td><td>DEBUG, INFO, WARN or ERROR (default INFO)</td></tr>
 *   <tr><td>{@value #LOG_PAYLOADS}</td><td>true to include message bodies in outcome logs (default false)</td></tr>
 *   <tr><td>{@value #METRICS_NAMESPACE}</td><td>CloudWatch namespace of the EMF metrics (default
 *       FifoActors)</td></tr>
 * </table>
 *
 * <p>Names for the wiring's own resources are conventions, read by the wiring with {@link #require}:
 * {@value #QUEUE_URL}, {@value #DEAD_LETTER_QUEUE_URL}, {@value #TIMER_QUEUE_URL}, {@value #TABLE_NAME},
 * {@value #MESSAGE_KEYS_SECRET_ARN}. The queue's
 * redrive policy is not configured here: the mailbox reads it from the queue, and the runtime follows it.
 *
 * <pre>{@code
 * LambdaSettings settings = LambdaSettings.from(Map.of("FA_WIRING", "com.example.LedgerWiring",
 *         "FA_MAX_ATTEMPTS", "5", "FA_MESSAGE_KEYS", localTestKeys));
 * String table = settings.require(LambdaSettings.TABLE_NAME);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class LambdaSettings {
    public static final String WIRING = "FA_WIRING";
    public static final String MAX_ATTEMPTS = "FA_MAX_ATTEMPTS";
    public static final String MESSAGE_KEYS = "FA_MESSAGE_KEYS";
    public static final String RECORD_CACHE = "FA_RECORD_CACHE";
    public static final String GROUP_CONCURRENCY = "FA_GROUP_CONCURRENCY";
    public static final String START_RESERVE_MS = "FA_START_RESERVE_MS";
    public static final String RESPONSE_RESERVE_MS = "FA_RESPONSE_RESERVE_MS";
    public static final String LOG_LEVEL = "FA_LOG_LEVEL";
    public static final String LOG_PAYLOADS = "FA_LOG_PAYLOADS";
    public static final String METRICS_NAMESPACE = "FA_METRICS_NAMESPACE";
    /** Convention: the URL of the FIFO mailbox queue. */
    public static final String QUEUE_URL = "FA_QUEUE_URL";
    /** Convention: the URL of the FIFO dead-letter queue. */
    public static final String DEAD_LETTER_QUEUE_URL = "FA_DEAD_LETTER_QUEUE_URL";
    /** Convention: the URL of the standard queue that carries timer firings. */
    public static final String TIMER_QUEUE_URL = "FA_TIMER_QUEUE_URL";
    /** Convention: the name of the DynamoDB table of actor records. */
    public static final String TABLE_NAME = "FA_TABLE_NAME";
    /**
     * Convention: the ARN of the secret (AWS Secrets Manager) that holds the message keys in the text form of
     * {@code MessageKeys.parse}; the wiring reads it during init, so the keys are in no environment variable.
     */
    public static final String MESSAGE_KEYS_SECRET_ARN = "FA_MESSAGE_KEYS_SECRET_ARN";
    /** Set by Lambda: the function's region. */
    public static final String AWS_REGION = "AWS_REGION";
    /** Set by Lambda: the function's name. */
    public static final String FUNCTION_NAME = "AWS_LAMBDA_FUNCTION_NAME";

    /** Every variable the handler itself reads (not the wiring's conventions). */
    public static final List<String> HANDLER_VARIABLES = List.of(WIRING, MAX_ATTEMPTS, MESSAGE_KEYS, RECORD_CACHE,
            GROUP_CONCURRENCY, START_RESERVE_MS, RESPONSE_RESERVE_MS, LOG_LEVEL, LOG_PAYLOADS, METRICS_NAMESPACE);

    static final int DEFAULT_MAX_ATTEMPTS = 5;
    static final int DEFAULT_GROUP_CONCURRENCY = 10;
    static final long DEFAULT_START_RESERVE_MS = 3000;
    static final long DEFAULT_RESPONSE_RESERVE_MS = 500;
    static final String DEFAULT_NAMESPACE = "FifoActors";
    private static final long MAX_RESERVE_MS = 900_000; // Lambda's longest timeout
    private static final Pattern CLASS_NAME = Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*");
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9.\\-_/#:]{1,255}");

    /** Log levels, lowest first. */
    public enum Level { DEBUG, INFO, WARN, ERROR }

    private final Map<String, String> environment;
    private final String wiringClass;
    private final int maxAttempts;
    private final MessageKeys messageKeys;
    private final int recordCache;
    private final int groupConcurrency;
    private final Duration startReserve;
    private final Duration responseReserve;
    private final Level logLevel;
    private final boolean logPayloads;
    private final String metricsNamespace;

    private LambdaSettings(Map<String, String> env, List<String> problems) {
        this.environment = env;
        this.wiringClass = optional(env, WIRING).orElse(null);
        if (wiringClass != null && !CLASS_NAME.matcher(wiringClass).matches()) {
            problems.add(WIRING + " must be a fully qualified class name");
        }
        this.maxAttempts = intIn(env, MAX_ATTEMPTS, 1, 100, DEFAULT_MAX_ATTEMPTS, problems);
        MessageKeys keys = null;
        Optional<String> keyText = optional(env, MESSAGE_KEYS);
        if (keyText.isPresent()) {
            try {
                keys = MessageKeys.parse(keyText.get());
            } catch (ConfigurationException e) {
                problems.add(MESSAGE_KEYS + ": " + e.getMessage()); // the message names no secret
            }
        }
        this.messageKeys = keys;
        this.recordCache = intIn(env, RECORD_CACHE, 0, 10_000_000, 0, problems);
        this.groupConcurrency = intIn(env, GROUP_CONCURRENCY, 1, 10, DEFAULT_GROUP_CONCURRENCY, problems);
        long start = intIn(env, START_RESERVE_MS, 0, MAX_RESERVE_MS, DEFAULT_START_RESERVE_MS, problems);
        long response = intIn(env, RESPONSE_RESERVE_MS, 0, MAX_RESERVE_MS, DEFAULT_RESPONSE_RESERVE_MS, problems);
        if (response > start) {
            problems.add(RESPONSE_RESERVE_MS + " (" + response + ") must not exceed " + START_RESERVE_MS + " ("
                    + start + ")");
        }
        this.startReserve = Duration.ofMillis(start);
        this.responseReserve = Duration.ofMillis(Math.min(response, start));
        Level level = Level.INFO;
        String levelText = optional(env, LOG_LEVEL).orElse(null);
        if (levelText != null) {
            try {
                level = Level.valueOf(levelText.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(LOG_LEVEL + " must be DEBUG, INFO, WARN or ERROR");
            }
        }
        this.logLevel = level;
        boolean payloads = false;
        String payloadText = optional(env, LOG_PAYLOADS).orElse(null);
        if (payloadText != null) {
            if (payloadText.trim().equalsIgnoreCase("true")) {
                payloads = true;
            } else if (!payloadText.trim().equalsIgnoreCase("false")) {
                problems.add(LOG_PAYLOADS + " must be true or false");
            }
        }
        this.logPayloads = payloads;
        this.metricsNamespace = optional(env, METRICS_NAMESPACE).orElse(DEFAULT_NAMESPACE);
        if (!NAMESPACE.matcher(metricsNamespace).matches() || metricsNamespace.startsWith("AWS/")) {
            problems.add(METRICS_NAMESPACE + " must be 1 to 255 of A-Z a-z 0-9 . - _ / # : and not start with AWS/");
        }
    }

    /**
     * Reads and validates the settings from an environment (the bootstrap passes {@code System.getenv()}).
     *
     * @throws ConfigurationException listing every invalid variable
     */
    public static LambdaSettings from(Map<String, String> environment) {
        Objects.requireNonNull(environment, "environment");
        Map<String, String> copy = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        List<String> problems = new ArrayList<>();
        LambdaSettings settings = new LambdaSettings(copy, problems);
        if (!problems.isEmpty()) {
            throw new ConfigurationException("invalid function configuration: " + String.join("; ", problems));
        }
        return settings;
    }

    /** The variable's value, if it is set and not blank. */
    public Optional<String> get(String name) {
        return optional(environment, name);
    }

    /**
     * The variable's value.
     *
     * @throws ConfigurationException if it is not set or blank
     */
    public String require(String name) {
        return requireAll(name).get(name);
    }

    /**
     * The values of all these variables, in the order given.
     *
     * @throws ConfigurationException naming every one that is not set or blank
     */
    public Map<String, String> requireAll(String... names) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            Optional<String> value = get(name);
            if (value.isPresent()) {
                out.put(name, value.get());
            } else {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new ConfigurationException("the function's environment lacks " + String.join(", ", missing)
                    + (wiringClass == null ? "" : " (required by " + wiringClass + ")"));
        }
        return Collections.unmodifiableMap(out);
    }

    /** The {@value #WIRING} class name, if set. */
    public Optional<String> wiringClass() {
        return Optional.ofNullable(wiringClass);
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * The keys that authenticate the runtime's own messages, if {@value #MESSAGE_KEYS} sets them (else the wiring
     * must).
     */
    public Optional<MessageKeys> messageKeys() {
        return Optional.ofNullable(messageKeys);
    }

    /** Actors whose records the container keeps (0: off). */
    public int recordCache() {
        return recordCache;
    }

    public int groupConcurrency() {
        return groupConcurrency;
    }

    /** No group starts with less than this left of the invocation. */
    public Duration startReserve() {
        return startReserve;
    }

    /** Groups still running with this much left are reported as failed. */
    public Duration responseReserve() {
        return responseReserve;
    }

    public Level logLevel() {
        return logLevel;
    }

    public boolean logPayloads() {
        return logPayloads;
    }

    public String metricsNamespace() {
        return metricsNamespace;
    }

    /** The function's name as Lambda sets it, or "unknown". */
    public String functionName() {
        return get(FUNCTION_NAME).orElse("unknown");
    }

    /** The handler's own settings, for the init log line (no secrets: only the handler's variables). */
    Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("wiring", wiringClass);
        out.put("maxAttempts", maxAttempts);
        out.put("messageKeys", messageKeys == null ? null : messageKeys.toString()); // ids only
        out.put("recordCache", recordCache);
        out.put("groupConcurrency", groupConcurrency);
        out.put("startReserveMs", startReserve.toMillis());
        out.put("responseReserveMs", responseReserve.toMillis());
        out.put("logLevel", logLevel.name());
        out.put("logPayloads", logPayloads);
        out.put("metricsNamespace", metricsNamespace);
        return out;
    }

    @Override
    public String toString() {
        return "LambdaSettings" + describe();
    }

    private static Optional<String> optional(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    private static int intIn(Map<String, String> env, String name, long min, long max, long fallback,
                             List<String> problems) {
        Optional<String> text = optional(env, name);
        if (text.isEmpty()) {
            return (int) fallback;
        }
        try {
            long v = Long.parseLong(text.get());
            if (v < min || v > max) {
                problems.add(name + " must be " + min + " to " + max + ", was " + v);
                return (int) fallback;
            }
            return (int) v;
        } catch (NumberFormatException e) {
            problems.add(name + " must be a whole number from " + min + " to " + max);
            return (int) fallback;
        }
    }
}
