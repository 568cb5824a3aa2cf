package io.fifoactors.cli;

import io.fifoactors.core.ConfigurationException;
import io.fifoactors.sqs.SqsDeadLetters;
import io.fifoactors.sqswire.StoredLetter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/** {@code dead-letters list|move-back|purge}. */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
        description = {"Dead letters of the mailbox: messages the runtime gave up on, each with its reason, and"
                + " messages the queue's redrive policy moved (no reason).",
                "A FIFO dead-letter queue hands out an actor's later letters only once its earlier ones left it:"
                        + " a listing shows at most the first ten letters of each actor, and a letter that is not"
                        + " moved or purged keeps the ones behind it out of that run."},
        subcommands = {DeadLettersCommand.ListLetters.class, DeadLettersCommand.MoveBack.class,
                DeadLettersCommand.Purge.class})
final class DeadLettersCommand implements Runnable {
    @ParentCommand
    RootCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: list, move-back or"
                + " purge");
    }

    /** The filters and the hold time the three subcommands share. */
    static final class Selection {
        @Option(names = "--actor", paramLabel = "ACTOR", description = "Only this actor's letters (type/key).")
        String actor;

        @Option(names = "--reason-contains", paramLabel = "TEXT",
                description = "Only letters whose reason contains TEXT (case-insensitive).")
        String reasonContains;

        @Option(names = "--visibility-timeout", paramLabel = "SECONDS", defaultValue = "60",
                description = "How long letters read are held from other readers while this runs, 1 to 43200"
                        + " (default ${DEFAULT-VALUE}); those not moved or purged are made visible again at the"
                        + " end.")
        int visibilitySeconds;

        Predicate<StoredLetter> filter() {
            String group = actor == null ? null : RootCommand.actor(actor).groupId();
            String text = reasonContains == null ? null : reasonContains.toLowerCase(Locale.ROOT);
            return l -> (group == null || group.equals(l.groupId()))
                    && (text == null || l.reason().toLowerCase(Locale.ROOT).contains(text));
        }

        boolean any() {
            return actor != null || reasonContains != null;
        }

        /**
         * Checks that a command acting on letters is told which: {@code --all} or a filter, not both.
         *
         * @param all  whether {@code --all} was given
         * @param verb what the command does to every letter with {@code --all} ("moves", "purges")
         */
        void requireAllOrFilter(boolean all, String verb) {
            if (all == any()) {
                throw new UsageException(all ? "--all " + verb + " every letter: give it without --actor and"
                        + " --reason-contains" : "say which letters: --all, --actor ACTOR or --reason-contains TEXT");
            }
        }

        Duration visibility() {
            if (visibilitySeconds < 1 || visibilitySeconds > 43_200) {
                throw new UsageException("--visibility-timeout must be 1 to 43200 seconds, was " + visibilitySeconds);
            }
            return Duration.ofSeconds(visibilitySeconds);
        }

        String describe() {
            List<String> parts = new ArrayList<>();
            if (actor != null) {
                parts.add("of " + actor);
            }
            if (reasonContains != null) {
                parts.add("with a reason containing '" + reasonContains + "'");
            }
            return parts.isEmpty() ? "" : " " + String.join(" ", parts);
        }
    }

    static SqsDeadLetters deadLetters(RootCommand root, boolean moves) {
        String dlq = root.requireDeadLetterQueueUrl();
        // SqsDeadLetters moves letters back to the mailbox queue; listing and purging never send there
        String queue = moves ? root.requireQueueUrl() : root.queueUrl != null ? root.queueUrl : dlq;
        try {
            return SqsDeadLetters.builder().client(root.aws().sqs()).queueUrl(queue).deadLetterQueueUrl(dlq).build();
        } catch (ConfigurationException e) {
            throw new UsageException(e.getMessage());
        }
    }

    static Map<String, Integer> perActor(List<StoredLetter> letters) {
        Map<String, Integer> m = new TreeMap<>();
        letters.forEach(l -> m.merge(l.groupId(), 1, Integer::sum));
        return m;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"Lists dead letters: actor, message id, type, reason, receives on the dead-letter queue"
                    + " (this listing counts one), and when it was dead-lettered. Never shows a body. Needs"
                    + " --dead-letter-queue-url."})
    static final class ListLetters implements Callable<Integer> {
        @ParentCommand
        DeadLettersCommand parent;

        @CommandLine.Mixin
        Selection selection;

        @Option(names = "--max-items", paramLabel = "N", defaultValue = "100",
                description = "Show at most N letters (default ${DEFAULT-VALUE}).")
        int max;

        @Override
        public Integer call() {
            if (max < 1) {
                throw new UsageException("--max-items must be at least 1, was " + max);
            }
            RootCommand root = parent.root;
            SqsDeadLetters dlq = deadLetters(root, false);
            List<StoredLetter> letters = DeadLetterScan.run(dlq, selection.filter(), max, selection.visibility(),
                    false, l -> { });
            Output out = root.output();
            if (out.json()) {
                List<Object> docs = new ArrayList<>();
                letters.forEach(l -> docs.add(DeadLetterScan.document(l)));
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("letters", docs);
                doc.put("count", letters.size());
                out.json(doc);
            } else if (letters.isEmpty()) {
                out.line("No dead letters" + selection.describe() + ".");
            } else {
                List<List<String>> rows = new ArrayList<>();
                letters.forEach(l -> rows.add(DeadLetterScan.row(l)));
                out.table(DeadLetterScan.HEADER, rows);
            }
            return FifoActorsCli.OK;
        }
    }

    @Command(name = "move-back", mixinStandardHelpOptions = true,
            description = {"Moves dead letters back to the mailbox queue, in their order within each actor, with"
                    + " fresh deduplication ids (never dropped as duplicates of the originals, while a repeated"
                    + " move of the same letter is), then deletes them from the dead-letter queue. The runtime sees"
                    + " each as a new message. Fix what made them fail first.",
                    "Needs --queue-url and --dead-letter-queue-url, and one of --all, --actor, --reason-contains."})
    static final class MoveBack implements Callable<Integer> {
        @ParentCommand
        DeadLettersCommand parent;

        @CommandLine.Mixin
        Selection selection;

        @Option(names = "--all", description = "Every dead letter.")
        boolean all;

        @Option(names = "--dry-run", description = "Only tell what would move; everything stays.")
        boolean dryRun;

        @Override
        public Integer call() {
            selection.requireAllOrFilter(all, "moves");
            RootCommand root = parent.root;
            SqsDeadLetters dlq = deadLetters(root, true);
            List<StoredLetter> letters = DeadLetterScan.run(dlq, selection.filter(), Integer.MAX_VALUE,
                    selection.visibility(), !dryRun, batch -> {
                        if (!dryRun) {
                            dlq.moveBack(batch);
                        }
                    });
            report(root, dryRun ? "would move" : "moved", "back to " + root.queueUrl, letters, dryRun, "moved");
            return FifoActorsCli.OK;
        }
    }

    @Command(name = "purge", mixinStandardHelpOptions = true,
            description = {"Deletes dead letters for good and tells how many. Refused without --yes unless a"
                    + " terminal confirms it. Needs --dead-letter-queue-url, and one of --all, --actor,"
                    + " --reason-contains."})
    static final class Purge implements Callable<Integer> {
        @ParentCommand
        DeadLettersCommand parent;

        @CommandLine.Mixin
        Selection selection;

        @Option(names = "--all", description = "Every dead letter.")
        boolean all;

        @Option(names = "--yes", description = "Do not ask: delete.")
        boolean yes;

        @Override
        public Integer call() throws IOException {
            selection.requireAllOrFilter(all, "purges");
            RootCommand root = parent.root;
            if (!yes) {
                if (root.terminal == null) {
                    throw new UsageException("purge deletes dead letters for good: add --yes (no terminal to ask)");
                }
                ask(root, "Delete the dead letters" + selection.describe() + " for good? [y/N] ");
                String answer = root.terminal.readLine();
                if (answer == null || !answer.trim().toLowerCase(Locale.ROOT).matches("y|yes")) {
                    root.output().line("Nothing deleted.");
                    return FifoActorsCli.OK;
                }
            }
            SqsDeadLetters dlq = deadLetters(root, false);
            List<StoredLetter> letters = DeadLetterScan.run(dlq, selection.filter(), Integer.MAX_VALUE,
                    selection.visibility(), true, dlq::delete);
            report(root, "deleted", "from " + root.deadLetterQueueUrl, letters, false, "deleted");
            return FifoActorsCli.OK;
        }
    }

    static void report(RootCommand root, String verb, String where, List<StoredLetter> letters, boolean dryRun,
                       String countKey) {
        Output out = root.output();
        if (out.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put(countKey, dryRun ? 0 : letters.size());
            doc.put("dryRun", dryRun);
            doc.put("perActor", perActor(letters));
            List<Object> docs = new ArrayList<>();
            letters.forEach(l -> docs.add(DeadLetterScan.document(l)));
            doc.put("letters", docs);
            out.json(doc);
            return;
        }
        out.line(capitalized(verb) + " " + letters.size() + " dead letter" + (letters.size() == 1 ? "" : "s") + " "
                + where + (letters.isEmpty() ? "." : ":"));
        if (!letters.isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            perActor(letters).forEach((a, n) -> rows.add(List.of("  " + a, Integer.toString(n))));
            out.table(List.of("  ACTOR", "LETTERS"), rows);
        }
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** Writes a question to the terminal on stderr, so stdout stays the command's output. */
    static void ask(RootCommand root, String question) {
        root.spec.commandLine().getErr().print(question);
        root.spec.commandLine().getErr().flush();
    }
}
