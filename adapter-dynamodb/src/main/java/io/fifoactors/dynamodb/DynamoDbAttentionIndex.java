package io.fifoactors.dynamodb;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.InvalidActorIdException;
import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.TransientFailureException;
import io.fifoactors.core.port.Attention;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Lists the actors whose records need an operator (parked, failing, large) from the sparse global secondary index
 * {@value DynamoDbStateStore#ATTENTION_INDEX} that {@link DynamoDbStateStore} feeds (attribute
 * {@value DynamoDbStateStore#ATTENTION_ATTRIBUTE}) and {@link DynamoDbTableProvisioner} creates. A page is one
 * {@code Scan} of the index, so the cost is proportional to the actors in it, not to the table: a table of a
 * million actors with three parked reads three index entries.
 *
 * <pre>{@code
 * DynamoDbAttentionIndex index = DynamoDbAttentionIndex.builder().client(dynamo).tableName("actors").build();
 * DynamoDbAttentionIndex.Page page = index.page(50, Optional.empty());
 * page.actors().forEach(a -> System.out.println(a.actor() + " " + a.attention()));
 * page.nextCursor().ifPresent(next -> index.page(50, Optional.of(next)));   // the following page
 * }</pre>
 *
 * <p>A global secondary index is eventually consistent: a commit shows in it (or leaves it) typically within a
 * second, so a listing may miss an actor parked a moment ago or show one just unparked; {@code inspect} the record
 * (a strongly consistent read) before acting on it. The projection is KEYS_ONLY: an entry holds the actor's id and
 * its attention codes, nothing of its state.
 *
 * <p>Immutable and thread-safe (as is {@link DynamoDbClient}). The client is injected and never closed here.
 */
public final class DynamoDbAttentionIndex {
    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbAttentionIndex.class);
    /** DynamoDB's largest Scan page is 1 MB; an entry here is under 200 bytes, so 1,000 always fit. */
    public static final int MAX_PAGE = 1000;

    /**
     * One actor in the index.
     *
     * <pre>{@code
     * if (a.attention().contains(Attention.PARKED)) unpark(a.actor());
     * }</pre>
     *
     * <p>Immutable and thread-safe.
     *
     * @param actor     the actor
     * @param attention why it needs attention (never empty)
     */
    public record ActorAttention(ActorId actor, Set<Attention> attention) {
        public ActorAttention {
            Objects.requireNonNull(actor, "actor");
            attention = Collections.unmodifiableSet(EnumSet.copyOf(attention));
        }
    }

    /**
     * One page of the index.
     *
     * <pre>{@code
     * Optional<String> cursor = Optional.empty();
     * do { Page p = index.page(100, cursor); show(p.actors()); cursor = p.nextCursor(); } while (cursor.isPresent());
     * }</pre>
     *
     * <p>Immutable and thread-safe.
     *
     * @param actors     the actors of this page (in index order: by attention codes, then by id)
     * @param nextCursor where the next page starts; empty on the last page (a page may be empty and still have a
     *                   cursor, as a DynamoDB Scan may)
     */
    public record Page(List<ActorAttention> actors, Optional<String> nextCursor) {
        public Page {
            actors = List.copyOf(actors);
            Objects.requireNonNull(nextCursor, "nextCursor");
        }
    }

    private final DynamoDbClient client;
    private final String tableName;

    private DynamoDbAttentionIndex(Builder b) {
        this.client = b.client;
        this.tableName = b.tableName;
    }

    /** A builder; {@link Builder#client} and {@link Builder#tableName} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The table whose index this reads. */
    public String tableName() {
        return tableName;
    }

    /**
     * Reads one page of at most {@code limit} actors, from the start or from a {@code cursor} a previous page gave.
     *
     * @throws IllegalArgumentException  if {@code limit} is not 1 to {@value #MAX_PAGE} or the cursor is not one this
     *                                   class made
     * @throws PermanentFailureException if the table or its index is missing (the message says how to add it), or
     *                                   access is denied
     * @throws TransientFailureException if DynamoDB is throttling or unreachable
     */
    public Page page(int limit, Optional<String> cursor) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_PAGE + ", was " + limit);
        }
        Objects.requireNonNull(cursor, "cursor");
        ScanRequest.Builder request = ScanRequest.builder()
                .tableName(tableName)
                .indexName(DynamoDbStateStore.ATTENTION_INDEX)
                .limit(limit);
        cursor.ifPresent(c -> request.exclusiveStartKey(decodeCursor(c)));
        ScanResponse response;
        try {
            response = client.scan(request.build());
        } catch (SdkException e) {
            if (isMissingIndex(e)) {
                throw new PermanentFailureException("table " + tableName + " has no global secondary index '"
                        + DynamoDbStateStore.ATTENTION_INDEX + "': run DynamoDbTableProvisioner.ensure(\"" + tableName
                        + "\") or add the index (partition key " + DynamoDbStateStore.ATTENTION_ATTRIBUTE
                        + " S, sort key pk S, projection KEYS_ONLY)", e);
            }
            throw SdkErrors.map("Scan of index " + DynamoDbStateStore.ATTENTION_INDEX + " on table " + tableName, e);
        }
        List<ActorAttention> actors = new ArrayList<>(response.count() == null ? limit : response.count());
        if (response.hasItems()) {
            for (Map<String, AttributeValue> item : response.items()) {
                toEntry(item).ifPresent(actors::add);
            }
        }
        Optional<String> next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? Optional.of(encodeCursor(response.lastEvaluatedKey())) : Optional.empty();
        return new Page(actors, next);
    }

    /**
     * All actors in the index, up to {@code max}, reading page after page.
     *
     * @throws IllegalArgumentException if {@code max} is less than 1
     */
    public List<ActorAttention> list(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, was " + max);
        }
        List<ActorAttention> all = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        do {
            Page p = page(Math.min(MAX_PAGE, max - all.size()), cursor);
            all.addAll(p.actors());
            cursor = p.nextCursor();
        } while (cursor.isPresent() && all.size() < max);
        return all;
    }

    private Optional<ActorAttention> toEntry(Map<String, AttributeValue> item) {
        AttributeValue pk = item.get(DynamoDbStateStore.PK);
        AttributeValue attn = item.get(DynamoDbStateStore.ATTENTION_ATTRIBUTE);
        if (pk == null || pk.s() == null || attn == null || attn.s() == null) {
            LOG.warn("an entry of index {} on table {} lacks its keys; skipped", DynamoDbStateStore.ATTENTION_INDEX,
                    tableName);
            return Optional.empty();
        }
        Set<Attention> attention = DynamoDbStateStore.parseAttention(attn.s());
        if (attention.isEmpty()) {
            LOG.warn("the entry of {} in index {} on table {} has no attention code this version knows; skipped",
                    pk.s(), DynamoDbStateStore.ATTENTION_INDEX, tableName);
            return Optional.empty();
        }
        try {
            return Optional.of(new ActorAttention(ActorId.fromGroupId(pk.s()), attention));
        } catch (InvalidActorIdException e) {
            LOG.warn("an entry of index {} on table {} has a key that is not an actor id; skipped",
                    DynamoDbStateStore.ATTENTION_INDEX, tableName);
            return Optional.empty();
        }
    }

    private static boolean isMissingIndex(SdkException e) {
        if (!(e instanceof SdkServiceException s)) {
            return false;
        }
        String message = SdkErrors.serviceMessage(s);
        return "ValidationException".equals(SdkErrors.errorCode(s)) && message != null
                && message.toLowerCase(Locale.ROOT).contains("index");
    }

    /** The last key of a page (index keys and table key) as an opaque, URL-safe cursor. */
    static String encodeCursor(Map<String, AttributeValue> lastKey) {
        AttributeValue attn = lastKey.get(DynamoDbStateStore.ATTENTION_ATTRIBUTE);
        AttributeValue pk = lastKey.get(DynamoDbStateStore.PK);
        if (attn == null || attn.s() == null || pk == null || pk.s() == null) {
            throw new PermanentFailureException("DynamoDB returned a last evaluated key without "
                    + DynamoDbStateStore.ATTENTION_ATTRIBUTE + " and " + DynamoDbStateStore.PK + ": "
                    + lastKey.keySet());
        }
        String text = attn.s() + "\n" + pk.s();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, AttributeValue> decodeCursor(String cursor) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a cursor of the attention index");
        }
        int nl = text.indexOf('\n');
        if (nl <= 0 || nl == text.length() - 1 || text.indexOf('\n', nl + 1) >= 0) {
            throw new IllegalArgumentException("not a cursor of the attention index");
        }
        return Map.of(DynamoDbStateStore.ATTENTION_ATTRIBUTE, AttributeValue.fromS(text.substring(0, nl)),
                DynamoDbStateStore.PK, AttributeValue.fromS(text.substring(nl + 1)));
    }

    @Override
    public String toString() {
        return "DynamoDbAttentionIndex[table=" + tableName + ", index=" + DynamoDbStateStore.ATTENTION_INDEX + "]";
    }

    /**
     * Builds a {@link DynamoDbAttentionIndex}.
     *
     * <pre>{@code
     * DynamoDbAttentionIndex index = DynamoDbAttentionIndex.builder().client(dynamo).tableName("actors").build();
     * }</pre>
     *
     * <p>Not thread-safe; use it from one thread, then share the index.
     */
    public static final class Builder {
        private DynamoDbClient client;
        private String tableName;

        private Builder() {
        }

        /** The client to use (required); the caller owns it and closes it. */
        public Builder client(DynamoDbClient client) {
            this.client = client;
            return this;
        }

        /** The store's table (required). */
        public Builder tableName(String tableName) {
            this.tableName = tableName;
            return this;
        }

        /**
         * The index reader.
         *
         * @throws ConfigurationException if the client or table name is missing or the name is invalid
         */
        public DynamoDbAttentionIndex build() {
            DynamoDbStateStore.requireClient("DynamoDbAttentionIndex", client);
            DynamoDbStateStore.requireTableName("DynamoDbAttentionIndex", tableName);
            return new DynamoDbAttentionIndex(this);
        }
    }
}
