package io.fifoactors.lambdaexample;

import io.fifoactors.lambda.LambdaSettings;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The function's SLF4J provider (the AWS SDK logs through SLF4J): warnings and errors of libraries become JSON lines
 * beside the handler's own ({@code "message":"library"}, with {@code logger}, {@code detail} and the throwable's
 * class as {@code error}); everything below WARN is dropped, since SDK debug output can carry request contents.
 * {@code FA_LOG_LEVEL=ERROR} keeps errors only. Found through {@code META-INF/services} of the function jar only:
 * the library modules bind no provider, so their users keep their own.
 */
public final class FunctionLogProvider implements SLF4JServiceProvider {
    /** The SLF4J API line this provider implements. */
    public static final String REQUESTED_API_VERSION = "2.0.99";

    private final Consumer<String> sink;
    private final Map<String, String> env;
    private ILoggerFactory loggerFactory;
    private IMarkerFactory markerFactory;
    private MDCAdapter mdcAdapter;

    /** As ServiceLoader creates it: lines to stdout, where Lambda collects them, the level from the environment. */
    public FunctionLogProvider() {
        this(System.out::println, System.getenv());
    }

    FunctionLogProvider(Consumer<String> sink, Map<String, String> env) {
        this.sink = sink;
        this.env = env;
    }

    @Override
    public void initialize() {
        boolean warnings = !"ERROR".equals(env.get(LambdaSettings.LOG_LEVEL));
        Map<String, Logger> loggers = new ConcurrentHashMap<>();
        loggerFactory = name -> loggers.computeIfAbsent(name, n -> new FunctionLogger(n, warnings, sink));
        markerFactory = new BasicMarkerFactory();
        mdcAdapter = new NOPMDCAdapter();
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggerFactory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markerFactory;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdcAdapter;
    }

    @Override
    public String getRequestedApiVersion() {
        return REQUESTED_API_VERSION;
    }
}
