package io.fifoactors.dynamodb;

import io.fifoactors.localaws.DynaliteServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** DynaliteServer: serves on a free loopback port, and close() leaves no process behind. */
class DynaliteServerTest {

    @Test
    void servesOnAFreeLoopbackPortAndCloseKillsTheProcessTree() {
        DynaliteServer server = DynaliteServer.start();
        long pid = server.pid();
        ProcessHandle node = ProcessHandle.of(pid).orElseThrow();
        List<ProcessHandle> tree = node.descendants().collect(Collectors.toList());
        try (DynamoDbClient client = server.newClient()) {
            assertEquals("127.0.0.1", server.endpoint().getHost());
            assertNotEquals(4567, server.port(), "a free port, not dynalite's CLI default");
            assertEquals(List.of(), client.listTables().tableNames());
            assertTrue(node.isAlive());
            server.close();
        }
        assertFalse(node.isAlive(), "node process " + pid + " survived close()");
        assertEquals(Optional.empty(), ProcessHandle.of(pid).filter(ProcessHandle::isAlive));
        for (ProcessHandle child : tree) {
            assertFalse(child.isAlive(), "child process " + child.pid() + " survived close()");
        }
        assertFalse(server.isAlive());
        server.close(); // idempotent
        assertThrows(java.io.IOException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", server.port()), 1000);
            }
        }, "nothing listens on the port any more");
    }

    @Test
    void aMissingNodeOrNpmIsExplained(@TempDir Path emptyCache) {
        String missing = emptyCache.resolve("no-such-executable").toString();
        withProperty(DynaliteServer.NODE_PROPERTY, missing, () -> {
            IllegalStateException e = assertThrows(IllegalStateException.class, DynaliteServer::start);
            assertTrue(e.getMessage().contains(DynaliteServer.NODE_PROPERTY), e.getMessage());
        });
        withProperty(DynaliteServer.CACHE_DIR_PROPERTY, emptyCache.toString(), () ->
                withProperty(DynaliteServer.NPM_PROPERTY, missing, () -> {
                    IllegalStateException e = assertThrows(IllegalStateException.class, DynaliteServer::start);
                    assertTrue(e.getMessage().contains(DynaliteServer.NPM_PROPERTY), e.getMessage());
                }));
    }

    @Test
    void aServerThatDiesBeforeListeningIsReportedWithItsStderr() {
        // Run the wrapper with sh instead of node: it fails at once, writing errors to stderr.
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh");
        withProperty(DynaliteServer.NODE_PROPERTY, "/bin/sh", () -> {
            IllegalStateException e = assertThrows(IllegalStateException.class, DynaliteServer::start);
            assertTrue(e.getMessage().contains("before reporting a port"), e.getMessage());
            assertTrue(e.getMessage().contains("exited with code"), e.getMessage());
            assertTrue(e.getMessage().contains("stderr ended with"), e.getMessage());
        });
    }

    private static void withProperty(String key, String value, Runnable body) {
        String old = System.getProperty(key);
        System.setProperty(key, value);
        try {
            body.run();
        } finally {
            if (old == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, old);
            }
        }
    }

    @Test
    void serversAreIndependent() {
        try (DynaliteServer a = DynaliteServer.start(); DynaliteServer b = DynaliteServer.start();
             DynamoDbClient ca = a.newClient(); DynamoDbClient cb = b.newClient()) {
            assertNotEquals(a.port(), b.port());
            DynamoDbTableProvisioner.builder().client(ca).build().ensureTable("only-in-a");
            assertEquals(List.of("only-in-a"), ca.listTables().tableNames());
            assertEquals(List.of(), cb.listTables().tableNames());
        }
    }
}
