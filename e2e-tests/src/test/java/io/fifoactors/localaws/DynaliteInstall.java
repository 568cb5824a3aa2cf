package io.fifoactors.localaws;

import java.nio.file.Path;

/**
 * The directory where {@link DynaliteServer} installed dynalite (installing it if needed), for the end-to-end
 * tests' own dynalite process that keeps its tables on disk and is killed and restarted (local-servers has no
 * public way to start dynalite on a given port and data directory; this test-only class, in local-servers'
 * package, reaches its package-private installer).
 */
public final class DynaliteInstall {
    private DynaliteInstall() {
    }

    /** The install directory; its {@code node_modules} holds dynalite and its dependencies. */
    public static Path directory() {
        return DynaliteServer.installDirectory();
    }

    /** The node executable DynaliteServer runs. */
    public static String node() {
        return DynaliteServer.executable(DynaliteServer.NODE_PROPERTY, "node");
    }
}
