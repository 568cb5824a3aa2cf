package io.fifoactors.cli;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.port.Attention;
import io.fifoactors.core.port.Consistency;
import io.fifoactors.core.port.StoredRecord;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.dynamodb.DynamoDbAttentionIndex;
import io.fifoactors.dynamodb.DynamoDbAttentionIndex.ActorAttention;
import io.fifoactors.dynamodb.DynamoDbStateStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code attention}: the actors needing attention, from the table's sparse index, page by page. */
@Command(name = "attention", mixinStandardHelpOptions = true,
        description = {"Lists the actors that need an operator: parked (a poison message holds the actor), failing"
                + " (a message keeps failing and is being retried) or large (the record passed three quarters of the"
                + " size limit), with why, from the table's sparse index 'attention' (its cost is proportional to"
                + " the actors listed, not to the table).",
                "The index follows commits within about a second; each listed actor's record is read (strongly"
                + " consistent) for the detail unless --no-details. Needs --table."})
final class AttentionCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Option(names = "--reason", paramLabel = "REASON", split = ",",
            description = "Only actors with this reason: ${COMPLETION-CANDIDATES} (repeatable).")
    List<Reason> reasons = new ArrayList<>();

    @Option(names = "--max-items", paramLabel = "N", defaultValue = "100",
            description = "Show at most N actors (default ${DEFAULT-VALUE}); a token to go on is printed if more.")
    int maxItems;

    @Option(names = "--page-size", paramLabel = "N", defaultValue = "100",
            description = "Index entries read per request, 1 to 1000 (default ${DEFAULT-VALUE}).")
    int pageSize;

    @Option(names = "--starting-token", paramLabel = "TOKEN",
            description = "Go on from the token a previous listing printed.")
    String startingToken;

    @Option(names = "--details", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Read each listed actor's record for the detail (default: on; --no-details lists only"
                    + " the index).")
    boolean details;

    enum Reason {
        parked(Attention.PARKED), failing(Attention.FAILING), large(Attention.LARGE);

        final Attention attention;

        Reason(Attention attention) {
            this.attention = attention;
        }
    }

    @Override
    public Integer call() {
        if (maxItems < 1) {
            throw new UsageException("--max-items must be at least 1, was " + maxItems);
        }
        if (pageSize < 1 || pageSize > DynamoDbAttentionIndex.MAX_PAGE) {
            throw new UsageException("--page-size must be 1 to " + DynamoDbAttentionIndex.MAX_PAGE + ", was "
                    + pageSize);
        }
        String table = root.requireTable();
        DynamoDbStateStore store = DynamoDbStateStore.builder().client(root.aws().dynamo()).tableName(table).build();
        DynamoDbAttentionIndex index = store.attentionIndex();
        Set<Attention> wanted = EnumSet.noneOf(Attention.class);
        reasons.forEach(r -> wanted.add(r.attention));

        List<ActorAttention> shown = new ArrayList<>();
        Optional<String> cursor = Optional.ofNullable(startingToken);
        do {
            DynamoDbAttentionIndex.Page page;
            try {
                page = index.page(Math.min(pageSize, maxItems - shown.size()), cursor);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--starting-token is not a token this command printed");
            }
            for (ActorAttention a : page.actors()) {
                if (wanted.isEmpty() || a.attention().stream().anyMatch(wanted::contains)) {
                    shown.add(a);
                }
            }
            cursor = page.nextCursor();
        } while (cursor.isPresent() && shown.size() < maxItems);

        Map<ActorId, StoredRecord> records = details && !shown.isEmpty()
                ? store.loadAll(shown.stream().map(ActorAttention::actor).toList(), Consistency.STRONG) : Map.of();
        Output out = root.output();
        if (out.json()) {
            List<Object> actors = new ArrayList<>();
            for (ActorAttention a : shown) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("actor", a.actor().groupId());
                m.put("attention", Snapshots.codes(a.attention()));
                if (details) {
                    StoredRecord r = records.get(a.actor());
                    m.put("detail", r == null ? "no record (deleted since the index was read)"
                            : Snapshots.detail(ActorSnapshot.ofRecord(a.actor(), Optional.of(r))));
                    m.put("record", r == null ? null : Snapshots.document(ActorSnapshot.ofRecord(a.actor(),
                            Optional.of(r))));
                }
                actors.add(m);
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("actors", actors);
            doc.put("nextToken", cursor.orElse(null));
            out.json(doc);
            return FifoActorsCli.OK;
        }
        if (shown.isEmpty()) {
            out.line("No actor needs attention" + (wanted.isEmpty() ? "" : " for " + reasons) + ".");
        } else {
            List<List<String>> rows = new ArrayList<>();
            for (ActorAttention a : shown) {
                List<String> row = new ArrayList<>(List.of(a.actor().groupId(),
                        String.join(",", Snapshots.codes(a.attention()))));
                if (details) {
                    StoredRecord r = records.get(a.actor());
                    row.add(r == null ? "no record" : Snapshots.detail(ActorSnapshot.ofRecord(a.actor(),
                            Optional.of(r))));
                }
                rows.add(row);
            }
            out.table(details ? List.of("ACTOR", "ATTENTION", "WHY") : List.of("ACTOR", "ATTENTION"), rows);
        }
        cursor.ifPresent(c -> out.line("More: --starting-token " + c));
        return FifoActorsCli.OK;
    }
}
