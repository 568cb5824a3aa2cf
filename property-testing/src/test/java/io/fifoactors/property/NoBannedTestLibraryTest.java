package io.fifoactors.property;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jqwik carries an Anti-AI Usage Clause since 1.10, and the project respects its maintainer's wish: no module may
 * depend on it, in any version (this module is what the project's property tests use instead). Checked here, on every
 * build's poms, rather than by a ban in a pom, so that no pom names it at all.
 */
class NoBannedTestLibraryTest {
    private static final String BANNED_GROUP = "net." + "jqwik";

    @Test
    void noModuleOfTheBuildNamesTheBannedLibrary() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        assertTrue(Files.isRegularFile(root.resolve("pom.xml")), "the build's root is the module's parent: " + root);
        List<Path> poms;
        try (Stream<Path> walk = Files.walk(root, 3)) {
            poms = walk.filter(p -> p.getFileName().toString().equals("pom.xml"))
                    .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/node_modules/"))
                    .collect(Collectors.toList());
        }
        assertTrue(poms.size() > 10, "found only " + poms.size() + " poms under " + root);
        List<Path> naming = poms.stream().filter(p -> read(p).contains(BANNED_GROUP)).collect(Collectors.toList());
        assertEquals(List.of(), naming);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
