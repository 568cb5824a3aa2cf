package io.fifoactors.core;

import org.junit.jupiter.api.Test;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The typed API's promise, checked by the compiler itself: a message of the wrong type sent to a typed reference, a
 * timer with another actor's message, an effect of another state, do not compile; the right ones do, without type
 * witnesses.
 */
class TypedApiCompileTest {
    private static final String TYPES = """
            import io.fifoactors.core.*;
            import java.time.Duration;
            sealed interface StockMessage {}
            record Arrival(long quantity) implements StockMessage {}
            record Departure(long quantity) implements StockMessage {}
            sealed interface LedgerMessage {}
            record Deposit(long amount) implements LedgerMessage {}
            record Stock(long quantity) {}
            record Account(long balance) {}
            """;

    private static final String ACCOUNT = """
            static final ActorType<Account, LedgerMessage> ACCOUNT =
                    ActorType.builder("account", Account.class, LedgerMessage.class)
                            .initialState(id -> new Account(0))
                            .on(Deposit.class, (a, d, ctx) -> Effect.persist(new Account(a.balance() + d.amount())))
                            .build();
            """;

    private static List<Diagnostic<? extends JavaFileObject>> compile(String productHandlers) throws Exception {
        String source = TYPES + "final class Snippet {\n" + ACCOUNT + """
                static final ActorType<Stock, StockMessage> PRODUCT =
                        ActorType.builder("product", Stock.class, StockMessage.class)
                                .initialState(id -> new Stock(0))
                """ + productHandlers + "                .build();\n}\n";
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path out = Files.createTempDirectory("typed-api");
        String classpath = new File(ActorRef.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getPath();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, null)) {
            JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Snippet.java"),
                    JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return source;
                }
            };
            compiler.getTask(null, files, diagnostics, List.of("-classpath", classpath, "-d", out.toString(),
                    "--release", "17", "-proc:none"), null, List.of(file)).call();
        }
        return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList();
    }

    private static String errors(List<Diagnostic<? extends JavaFileObject>> ds) {
        return ds.stream().map(d -> d.getMessage(null)).toList().toString();
    }

    @Test
    void theRightMessagesCompileWithoutWitnesses() throws Exception {
        var errors = compile("""
                .on(Arrival.class, (s, a, ctx) -> Effect.persist(new Stock(s.quantity() + a.quantity()),
                        ctx.startTimer("audit", Duration.ofMinutes(1), new Departure(0))))
                .on(Departure.class, (s, d, ctx) -> s.quantity() >= d.quantity()
                        ? Effect.none(ACCOUNT.ref("a").tell(new Deposit(1)), ctx.self().tell(new Arrival(1)))
                        : Effect.reject("insufficient stock", ACCOUNT.ref("b").tell(new Deposit(2))))
                """);
        assertEquals(List.of(), errors.stream().map(d -> d.getMessage(null)).toList());
    }

    @Test
    void aWrongMessageToATypedReferenceDoesNotCompile() throws Exception {
        var errors = compile("""
                .on(Arrival.class, (s, a, ctx) -> Effect.none(ACCOUNT.ref("a").tell(new Arrival(1))))
                .on(Departure.class, (s, d, ctx) -> Effect.none())
                """);
        assertFalse(errors.isEmpty(), "a StockMessage sent to an account compiled");
        assertTrue(errors(errors).contains("Arrival"), errors(errors));
    }

    @Test
    void aTimerWithAnotherActorsMessageDoesNotCompile() throws Exception {
        var errors = compile("""
                .on(Arrival.class, (s, a, ctx) -> Effect.none(ctx.startTimer("k", Duration.ofSeconds(1),
                        new Deposit(1))))
                .on(Departure.class, (s, d, ctx) -> Effect.none())
                """);
        assertFalse(errors.isEmpty(), "a timer with a LedgerMessage compiled for a product");
    }

    @Test
    void anEffectOfAnotherStateOrAHandlerForAnotherTypesMessageDoesNotCompile() throws Exception {
        assertFalse(compile("""
                .on(Arrival.class, (s, a, ctx) -> Effect.persist(new Account(1)))
                .on(Departure.class, (s, d, ctx) -> Effect.none())
                """).isEmpty(), "an Account persisted as a product's state compiled");
        assertFalse(compile("""
                .on(Deposit.class, (s, d, ctx) -> Effect.none())
                """).isEmpty(), "a handler for a LedgerMessage compiled on a product");
    }
}
