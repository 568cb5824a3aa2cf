package io.fifoactors.lambdaexample;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

import java.time.Instant;
import java.util.function.Consumer;

/** One library logger of {@link FunctionLogProvider}: WARN (unless errors only) and ERROR, as JSON lines. */
final class FunctionLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    private final boolean warnings;
    private final transient Consumer<String> sink;

    FunctionLogger(String name, boolean warnings, Consumer<String> sink) {
        this.name = name;
        this.warnings = warnings;
        this.sink = sink;
    }

    @Override
    public boolean isTraceEnabled() {
        return false;
    }

    @Override
    public boolean isDebugEnabled() {
        return false;
    }

    @Override
    public boolean isInfoEnabled() {
        return false;
    }

    @Override
    public boolean isWarnEnabled() {
        return warnings;
    }

    @Override
    public boolean isErrorEnabled() {
        return true;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                               Throwable throwable) {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"timestamp\":\"").append(Instant.now()).append("\",\"level\":\"").append(level.name())
                .append("\",\"message\":\"library\",\"logger\":\"");
        JsonStringEncoder.getInstance().quoteAsString(name, b);
        b.append("\",\"detail\":\"");
        String detail = MessageFormatter.basicArrayFormat(pattern, arguments);
        JsonStringEncoder.getInstance().quoteAsString(detail == null ? "" : detail, b);
        b.append('"');
        if (throwable != null) {
            // the class only: an exception's message may quote what the call carried
            b.append(",\"error\":\"");
            JsonStringEncoder.getInstance().quoteAsString(throwable.getClass().getName(), b);
            b.append('"');
        }
        sink.accept(b.append('}').toString());
    }
}
