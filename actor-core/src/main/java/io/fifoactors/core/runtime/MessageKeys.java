package io.fifoactors.core.runtime;

import io.fifoactors.core.ConfigurationException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The secret keys that authenticate the runtime's own messages: actor-to-actor messages (their sender, sequence
 * and commit time), timer firings, wakes and unparks carry an HMAC-SHA256 tag made with the <em>current</em> key;
 * a received one is accepted if the tag matches the current or the <em>previous</em> key (so keys rotate without a
 * stop: deploy the new key as current with the old as previous everywhere, then drop the old). A producer that may
 * send to the queue but does not hold a key cannot forge a sender, a sequence number or a system message: such a
 * message is dead-lettered with the reason {@code unauthenticated}. Every consumer and operator tool of one queue
 * needs the same keys.
 *
 * <pre>{@code
 * MessageKeys keys = MessageKeys.parse(System.getenv("FA_MESSAGE_KEYS"));   // "k2:<base64>,k1:<base64>"
 * ActorSystem.builder().messageKeys(keys)...
 * }</pre>
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows a secret.
 */
public final class MessageKeys {
    /** The shortest secret accepted (256 bits). */
    public static final int MIN_SECRET_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";

    /** The bytes of the HMAC a tag keeps, and the characters of their unpadded Base64url form. */
    private static final int TAG_BYTES = 16;
    private static final int TAG_CHARS = 22;
    private static final Base64.Encoder TAG_ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final String currentId;
    private final Map<String, Mac> prototypes;
    /**
     * Each thread's own {@code Mac} per key, cloned once from the prototype: a {@code Mac} is not thread-safe, and
     * cloning one per tag (as before) cost a third of what signing allocated.
     */
    private final Map<String, ThreadLocal<Tagger>> perThread;

    private MessageKeys(String currentId, Map<String, Mac> prototypes) {
        this.currentId = currentId;
        this.prototypes = prototypes;
        Map<String, ThreadLocal<Tagger>> macs = new LinkedHashMap<>();
        for (Map.Entry<String, Mac> e : prototypes.entrySet()) {
            Mac proto = e.getValue();
            macs.put(e.getKey(), ThreadLocal.withInitial(() -> new Tagger(copy(proto))));
        }
        this.perThread = macs;
    }

    /** Keys with only a current key. */
    public static MessageKeys of(String keyId, byte[] secret) {
        Map<String, Mac> m = new LinkedHashMap<>();
        m.put(checkId(keyId), mac(keyId, secret));
        return new MessageKeys(keyId, m);
    }

    /** These keys with {@code keyId} accepted as the previous key (during a rotation). */
    public MessageKeys withPrevious(String keyId, byte[] secret) {
        if (keyId.equals(currentId)) {
            throw new ConfigurationException("the previous message key must have another id than the current one");
        }
        Map<String, Mac> m = new LinkedHashMap<>();
        m.put(currentId, prototypes.get(currentId));
        m.put(checkId(keyId), mac(keyId, secret));
        return new MessageKeys(currentId, m);
    }

    /**
     * Keys from their text form: {@code id:base64secret}, the current key first, optionally a comma and the previous
     * one. Ids are 1 to 16 letters, digits, '_' or '-'; secrets at least 32 bytes. A key given as
     * {@code base64secret} alone gets the id {@link #derivedId}: {@code "h"} and the first 8 hex digits of the
     * secret's SHA-256, the same for every party holding it. That is the form of a secret AWS Secrets Manager
     * generates ({@code GenerateSecretString} with {@code PasswordLength: 44} and {@code ExcludePunctuation}: 44
     * letters and digits are valid Base64 for 33 bytes, about 262 bits of entropy); rotate by storing
     * {@code "new,old"}, then {@code "new"}.
     *
     * <pre>{@code
     * MessageKeys.parse("k2:" + b64New + ",k1:" + b64Old);
     * MessageKeys.parse(generatedSecretString);          // id "h" + 8 hex digits
     * }</pre>
     *
     * @throws ConfigurationException with a message that names no secret
     */
    public static MessageKeys parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new ConfigurationException("message keys are empty: expected id:base64secret[,id:base64secret]");
        }
        List<String> parts = List.of(spec.trim().split(","));
        if (parts.size() > 2) {
            throw new ConfigurationException("message keys: at most two (current, previous), found " + parts.size());
        }
        MessageKeys keys = null;
        for (String p : parts) {
            int colon = p.indexOf(':');
            if (colon == 0) {
                throw new ConfigurationException("message keys: each key is id:base64secret or base64secret");
            }
            String given = colon < 0 ? null : p.substring(0, colon).trim();
            byte[] secret;
            try {
                secret = Base64.getDecoder().decode(p.substring(colon + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("message key " + (given == null ? "number " + (keys == null ? 1 : 2)
                        : checkId(given)) + " is not valid Base64");
            }
            String id = given == null ? derivedId(secret) : given;
            keys = keys == null ? of(id, secret) : keys.withPrevious(id, secret);
        }
        return keys;
    }

    /** The id of a key given without one: {@code "h"} and the first 8 hex digits of the secret's SHA-256. */
    public static String derivedId(byte[] secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret);
            return "h" + HexFormat.of().formatHex(digest, 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    /** A fresh random key (for tests, simulations and single-process use): every party must share the instance. */
    public static MessageKeys random() {
        byte[] secret = new byte[MIN_SECRET_BYTES];
        new SecureRandom().nextBytes(secret);
        return of("r" + HexFormat.of().formatHex(secret, 0, 4), secret);
    }

    /** A key derived from {@code seed}, for deterministic simulations only (never for production). */
    public static MessageKeys forSimulation(long seed) {
        try {
            byte[] secret = MessageDigest.getInstance("SHA-256")
                    .digest(("fifo-actors simulation key " + seed).getBytes(StandardCharsets.UTF_8));
            return of("sim", secret);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    /** The id of the key new tags are made with. */
    public String currentKeyId() {
        return currentId;
    }

    /** The tag of {@code data} under the current key: {@code keyId:base64url(first 16 bytes of the HMAC)}. */
    public String sign(byte[] data) {
        byte[] text = new byte[currentId.length() + 1 + TAG_CHARS];
        for (int i = 0; i < currentId.length(); i++) {
            text[i] = (byte) currentId.charAt(i); // ids are ASCII (checkId)
        }
        text[currentId.length()] = ':';
        byte[] tag = perThread.get(currentId).get().tag(data);
        System.arraycopy(tag, 0, text, currentId.length() + 1, TAG_CHARS);
        return new String(text, StandardCharsets.US_ASCII);
    }

    /** Whether {@code signature} (as {@link #sign} makes it) is a valid tag of {@code data} under a known key. */
    public Verification verify(byte[] data, String signature) {
        int colon = signature.indexOf(':');
        if (colon <= 0) {
            return Verification.MALFORMED;
        }
        ThreadLocal<Tagger> tagger = null;
        for (Map.Entry<String, ThreadLocal<Tagger>> e : perThread.entrySet()) {
            String id = e.getKey();
            if (id.length() == colon && signature.startsWith(id)) {
                tagger = e.getValue();
            }
        }
        if (tagger == null) {
            return Verification.UNKNOWN_KEY;
        }
        byte[] expected = tagger.get().tag(data);
        if (signature.length() - colon - 1 != TAG_CHARS) {
            return Verification.MISMATCH;
        }
        int diff = 0; // every character compared, whatever differs first: the time tells nothing about the tag
        for (int i = 0; i < TAG_CHARS; i++) {
            diff |= expected[i] ^ signature.charAt(colon + 1 + i);
        }
        return diff == 0 ? Verification.VALID : Verification.MISMATCH;
    }

    /** The result of {@link #verify}. */
    public enum Verification { VALID, MALFORMED, UNKNOWN_KEY, MISMATCH }

    /** The ids of the accepted keys, current first. */
    public List<String> keyIds() {
        return List.copyOf(prototypes.keySet());
    }

    /** The previous key's id, if one is accepted. */
    public Optional<String> previousKeyId() {
        return prototypes.keySet().stream().filter(k -> !k.equals(currentId)).findFirst();
    }

    @Override
    public String toString() {
        return "MessageKeys[current " + currentId + previousKeyId().map(p -> ", previous " + p).orElse("") + "]";
    }

    /** A thread's {@code Mac} for one key, with the buffers its tags are made in (confined to the thread). */
    private static final class Tagger {
        private final Mac mac;
        private final byte[] full;
        private final byte[] kept = new byte[TAG_BYTES];
        private final byte[] tag = new byte[TAG_CHARS];

        Tagger(Mac mac) {
            this.mac = mac;
            this.full = new byte[mac.getMacLength()];
        }

        /**
         * The tag of {@code data}: Base64url of the HMAC's first 16 bytes, unpadded, in this tagger's buffer (read it
         * before the next call); {@code doFinal} leaves the {@code Mac} ready for the next one.
         */
        byte[] tag(byte[] data) {
            mac.update(data);
            try {
                mac.doFinal(full, 0);
            } catch (javax.crypto.ShortBufferException e) {
                throw new IllegalStateException("HmacSHA256 gave a longer result than its length", e);
            }
            System.arraycopy(full, 0, kept, 0, TAG_BYTES);
            TAG_ENCODER.encode(kept, tag);
            return tag;
        }
    }

    private static Mac copy(Mac proto) {
        try {
            return (Mac) proto.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the platform's HmacSHA256 cannot be cloned", e);
        }
    }

    private static Mac mac(String keyId, byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < MIN_SECRET_BYTES) {
            throw new ConfigurationException("message key " + keyId + " has " + secret.length + " bytes; at least "
                    + MIN_SECRET_BYTES + " are required");
        }
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by the Java platform", e);
        }
    }

    private static String checkId(String id) {
        Objects.requireNonNull(id, "keyId");
        if (id.isEmpty() || id.length() > 16 || !id.chars().allMatch(c -> (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
            throw new ConfigurationException("a message key id has 1 to 16 letters, digits, '_' or '-'");
        }
        return id;
    }
}
