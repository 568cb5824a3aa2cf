package io.fifoactors.lambdaexample;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The external checkers of docs/deploy/template.yaml: cfn-lint (preinstalled with pip on the project's machine
 * image, so looked up, never installed), the Python that runs it (its SAM translator expands the template), and
 * cfn-guard with the AWS Control Tower rules (the pinned npm package in src/test/cfn-guard, installed here with
 * {@code npm ci}).
 */
final class TemplateTools {
    /** System property: the cfn-lint executable to use instead of the one found on the PATH. */
    static final String CFN_LINT_PROPERTY = "fifoactors.cfnLint";
    private static final String GUARD_PACKAGE = "node_modules/@cdklabs/cdk-validator-cfnguard";
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);

    private TemplateTools() {
    }

    record Run(int exitCode, String stdout, String stderr) {
        String describe() {
            return "exit code " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    static Path templatePath() {
        return Paths.get(System.getProperty("fifoactors.template", "../docs/deploy/template.yaml"));
    }

    /**
     * cfn-lint: the system property, else the PATH, else pyenv's shims (where pip puts it on the machine image, in
     * case a caller's PATH lacks them). Fails, never skips, when there is none: the template would go unchecked.
     */
    static Path cfnLint() {
        String override = System.getProperty(CFN_LINT_PROPERTY, "");
        if (!override.isEmpty()) {
            Path p = Paths.get(override);
            if (!Files.isExecutable(p)) {
                throw new AssertionError(CFN_LINT_PROPERTY + "=" + override + " is not an executable file");
            }
            return p;
        }
        List<Path> tried = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                tried.add(Paths.get(dir, "cfn-lint"));
            }
        }
        String home = System.getProperty("user.home");
        List<Path> usual = new ArrayList<>();
        if (System.getenv("PYENV_ROOT") != null) {
            usual.add(Paths.get(System.getenv("PYENV_ROOT"), "shims", "cfn-lint"));
        }
        usual.add(Paths.get(home, ".pyenv", "shims", "cfn-lint"));
        usual.add(Paths.get(home, ".local", "bin", "cfn-lint"));
        tried.addAll(usual);
        for (Path p : tried) {
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        throw new AssertionError("cfn-lint was not found (looked on the PATH and at " + usual + "). It comes"
                + " preinstalled (pip, cfn-lint 1.51.0) on the project's machine image; elsewhere install it (pip"
                + " install cfn-lint) or name it with -D" + CFN_LINT_PROPERTY + "=/path/to/cfn-lint. The template is"
                + " not checked without it.");
    }

    /** The Python beside cfn-lint (its own interpreter: the one that has the SAM translator), else python3. */
    static String python(Path cfnLint) {
        Path beside = cfnLint.toAbsolutePath().getParent().resolve("python3");
        return Files.isExecutable(beside) ? beside.toString() : "python3";
    }

    /** Runs a command to completion (bounded), with stdin from a file or closed. */
    static Run run(List<String> command, Path workDir, Map<String, String> env, Path stdin) {
        Path out = tempFile("out");
        Path err = tempFile("err");
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        if (stdin != null) {
            pb.redirectInput(stdin.toFile());
        }
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
            if (stdin == null) {
                p.getOutputStream().close();
            }
        } catch (IOException e) {
            throw new AssertionError("could not run " + command + ": " + e.getMessage(), e);
        }
        try {
            if (!p.waitFor(TOOL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish within " + TOOL_TIMEOUT);
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new AssertionError("interrupted while running " + command, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            } catch (IOException ignored) {
                // in the build's work directory: cleaned with target/
            }
        }
    }

    private static Path tempFile(String suffix) {
        try {
            return Files.createTempFile(FunctionProcess.workDir(), "tool-", "." + suffix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- cfn-guard

    /** The source folder holding package.json, package-lock.json and .npmrc of the pinned validator package. */
    static Path guardPackageSource() {
        return Paths.get(System.getProperty("fifoactors.cfnGuardPackage", "src/test/cfn-guard"));
    }

    /**
     * The directory (under target/) where {@code npm ci} installed the validator package from the committed lock
     * file; installs it unless an install of the same files is already there.
     */
    static synchronized Path guardInstall() {
        Path src = guardPackageSource();
        Path dir = FunctionProcess.workDir().resolve("cfn-guard");
        List<String> files = List.of("package.json", "package-lock.json", ".npmrc");
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String f : files) {
                sha.update(Files.readAllBytes(src.resolve(f)));
            }
            Path marker = dir.resolve(".installed-" + HexFormat.of().formatHex(sha.digest(), 0, 8));
            if (Files.isRegularFile(marker) && Files.isDirectory(dir.resolve(GUARD_PACKAGE))) {
                return dir;
            }
            FunctionProcess.deleteTree(dir);
            Files.createDirectories(dir);
            for (String f : files) {
                Files.copy(src.resolve(f), dir.resolve(f));
            }
            String npm = System.getProperty("fifoactors.npm", "npm");
            Run r = runInstall(List.of(npm, "ci", "--no-audit", "--no-fund", "--prefer-offline"), dir);
            if (r.exitCode() != 0) {
                throw new AssertionError("npm ci of the cfn-guard package in " + dir + " failed: " + r.describe());
            }
            Files.writeString(marker, "");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("could not install the cfn-guard package in " + dir, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Run runInstall(List<String> command, Path dir) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("npm-ci.log").toFile());
        pb.environment().put("npm_config_update_notifier", "false");
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(INSTALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("npm ci in " + dir + " did not finish within " + INSTALL_TIMEOUT);
            }
            return new Run(p.exitValue(), Files.readString(dir.resolve("npm-ci.log")), "");
        } catch (IOException e) {
            throw new AssertionError("could not run npm (" + command.get(0) + ") to install cfn-guard: "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while installing cfn-guard", e);
        }
    }

    /** The package's cfn-guard binary for this Linux machine. */
    static Path cfnGuard(Path install) {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String dir = (os.contains("mac") ? "macos" : "ubuntu") + "/"
                + (arch.contains("aarch64") || arch.contains("arm64") ? "aarch64" : "x86_64");
        Path bin = install.resolve(GUARD_PACKAGE).resolve("bin").resolve(dir).resolve("cfn-guard");
        if (!Files.isExecutable(bin)) {
            throw new AssertionError("the validator package has no executable cfn-guard at " + bin);
        }
        return bin;
    }

    /** The AWS Control Tower proactive controls, as Guard rules, that the package ships. */
    static Path controlTowerRules(Path install) {
        Path rules = install.resolve(GUARD_PACKAGE).resolve("rules/control-tower/cfn-guard");
        if (!Files.isDirectory(rules)) {
            throw new AssertionError("the validator package has no Control Tower rules at " + rules);
        }
        return rules;
    }
}
