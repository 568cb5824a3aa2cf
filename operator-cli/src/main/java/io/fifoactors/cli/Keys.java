package io.fifoactors.cli;

import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.runtime.MessageKeys;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * The message keys that authenticate wake and unpark: from {@code --message-keys-file}, from
 * {@code --message-keys-secret-id} (Secrets Manager), or from the environment variable {@code FA_MESSAGE_KEYS}, in
 * the form {@link MessageKeys#parse} reads. Errors never show a secret. Stateless.
 */
final class Keys {
    static final String ENV = "FA_MESSAGE_KEYS";

    private Keys() {
    }

    static MessageKeys load(RootCommand root) {
        if (root.messageKeysFile != null && root.messageKeysSecretId != null) {
            throw new UsageException("give either --message-keys-file or --message-keys-secret-id, not both");
        }
        String spec;
        String from;
        if (root.messageKeysFile != null) {
            from = "file " + root.messageKeysFile;
            try {
                spec = Files.readString(root.messageKeysFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UsageException("cannot read the message keys " + from + ": " + e.getClass().getSimpleName());
            }
        } else if (root.messageKeysSecretId != null) {
            from = "secret " + root.messageKeysSecretId;
            GetSecretValueResponse r;
            try {
                r = root.aws().secrets().getSecretValue(b -> b.secretId(root.messageKeysSecretId));
            } catch (SdkException e) {
                throw new CliFailure("cannot read the message keys from " + from + ": " + Errors.describe(e));
            }
            spec = r.secretString() != null ? r.secretString()
                    : r.secretBinary() == null ? "" : r.secretBinary().asUtf8String();
        } else if (root.env.get(ENV) != null && !root.env.get(ENV).isBlank()) {
            from = "environment variable " + ENV;
            spec = root.env.get(ENV);
        } else {
            throw new UsageException("wake and unpark are authenticated with the consumers' message keys: give"
                    + " --message-keys-file PATH or --message-keys-secret-id ID, or set " + ENV);
        }
        try {
            return MessageKeys.parse(spec.trim());
        } catch (ConfigurationException e) {
            // MessageKeys' messages name no secret
            throw new UsageException("the message keys from " + from + " are not valid: " + e.getMessage());
        }
    }
}
