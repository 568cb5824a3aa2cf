package io.fifoactors.core;

import java.util.Objects;

/**
 * The identity of one actor: its type (which behaviour runs it) and its key (which instance). Maps one-to-one to
 * the mailbox group id {@code type + "/" + key}, which SQS accepts as a MessageGroupId: at most 128 characters,
 * each a printable ASCII character other than space.
 *
 * <pre>{@code
 * ActorId account = ActorId.of("account", "acc-42");
 * account.groupId();                       // "account/acc-42"
 * ActorId.fromGroupId("account/acc-42");   // equals account
 * }</pre>
 *
 * <p>Invalid types or keys are refused with {@link InvalidActorIdException}. Immutable and thread-safe.
 */
public final class ActorId implements Comparable<ActorId> {
    /** The longest group id SQS accepts. */
    public static final int MAX_GROUP_ID_LENGTH = 128;
    /** The longest actor type name. */
    private static final int MAX_TYPE_LENGTH = 40;

    private final String type;
    /** Cut from the group id on first use ({@link #fromGroupId} runs for every batch's actors; few read the key). */
    private String key;
    private final String groupId;

    private ActorId(String type, String key, String groupId) {
        this.type = type;
        this.key = key;
        this.groupId = groupId;
    }

    /** The actor of the given type and key; both are checked. */
    public static ActorId of(String type, String key) {
        checkType(type);
        Objects.requireNonNull(key, "key");
        checkKey(type, key, 0, key.length());
        return new ActorId(type, key, type + "/" + key);
    }

    /** Checks {@code text[from, to)} as the key of an actor of the (valid) type. */
    private static void checkKey(String type, String text, int from, int to) {
        int length = to - from;
        if (length == 0) {
            throw new InvalidActorIdException("actor key is empty (type " + type + ")");
        }
        int room = MAX_GROUP_ID_LENGTH - type.length() - 1;
        if (length > room) {
            throw new InvalidActorIdException("actor key of type " + type + " has " + length
                    + " characters; at most " + room + " fit in a 128-character group id");
        }
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                throw new InvalidActorIdException("actor key of type " + type + " has a character outside printable"
                        + " ASCII (code " + (int) c + " at index " + (i - from) + "); SQS group ids allow only those");
            }
        }
    }

    /**
     * The actor whose mailbox group id this is; the inverse of {@link #groupId()}. Keeps the given string as its
     * group id (equal to {@code type + "/" + key}), so that its cached hash code serves every lookup of the id.
     */
    public static ActorId fromGroupId(String groupId) {
        Objects.requireNonNull(groupId, "groupId");
        int slash = groupId.indexOf('/');
        if (slash <= 0) {
            throw new InvalidActorIdException("group id has no actor type prefix (expected type/key)");
        }
        String type = checkType(groupId.substring(0, slash));
        checkKey(type, groupId, slash + 1, groupId.length());
        return new ActorId(type, null, groupId);
    }

    /**
     * Whether {@code text} is the group id of an actor (what {@link #fromGroupId} accepts), checked without building
     * one: the runtime checks every actor-to-actor message's sender this way.
     */
    public static boolean isGroupId(String text) {
        int slash = text.indexOf('/');
        int n = text.length();
        if (slash <= 0 || n == slash + 1 || n > MAX_GROUP_ID_LENGTH || !isValidType(text, slash)) {
            return false;
        }
        for (int i = slash + 1; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    /** Checks an actor type name: a letter, then up to 39 letters, digits, '_' or '-'. */
    public static String checkType(String type) {
        Objects.requireNonNull(type, "type");
        if (!isValidType(type, type.length())) {
            throw new InvalidActorIdException("actor type '" + type
                    + "' must be a letter followed by up to 39 letters, digits, '_' or '-'");
        }
        return type;
    }

    /**
     * Whether the first {@code n} characters of {@code text} are {@code [A-Za-z][A-Za-z0-9_-]{0,39}}, checked by
     * hand: this runs for every message's sender.
     */
    private static boolean isValidType(String text, int n) {
        if (n == 0 || n > MAX_TYPE_LENGTH || !isAsciiLetter(text.charAt(0))) {
            return false;
        }
        for (int i = 1; i < n; i++) {
            char c = text.charAt(i);
            if (!isAsciiLetter(c) && (c < '0' || c > '9') && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    public String type() {
        return type;
    }

    public String key() {
        String k = key;
        if (k == null) {
            k = groupId.substring(type.length() + 1); // a racing second cut is equal: no lock needed
            key = k;
        }
        return k;
    }

    /** The mailbox group id, also the store's partition key. */
    public String groupId() {
        return groupId;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof ActorId other && groupId.equals(other.groupId);
    }

    @Override
    public int hashCode() {
        return groupId.hashCode();
    }

    @Override
    public int compareTo(ActorId o) {
        return groupId.compareTo(o.groupId);
    }

    @Override
    public String toString() {
        return groupId;
    }
}
