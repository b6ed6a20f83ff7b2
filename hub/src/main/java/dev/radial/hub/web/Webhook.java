package dev.radial.hub.web;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Push notifications: GitHub and Gitea sign the body with HMAC-SHA256 ({@code X-Hub-Signature-256: sha256=<hex>},
 * Gitea also {@code X-Gitea-Signature: <hex>}); GitLab sends the shared secret as {@code X-Gitlab-Token}.
 * Anything unsigned or forged is refused. Comparisons are constant-time.
 */
public final class Webhook {
    private final byte[] secret;

    public Webhook(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** True when the request proves knowledge of the secret. Header names are lower-case. */
    public boolean verify(Map<String, String> headers, byte[] body) {
        String sig = headers.get("x-hub-signature-256");
        if (sig != null && sig.startsWith("sha256=")) {
            return equal(sig.substring(7), hmac(body));
        }
        String gitea = headers.get("x-gitea-signature");
        if (gitea != null) {
            return equal(gitea, hmac(body));
        }
        String token = headers.get("x-gitlab-token");
        if (token != null) {
            return MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), secret);
        }
        return false;
    }

    String hmac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean equal(String given, String expected) {
        return MessageDigest.isEqual(given.strip().toLowerCase().getBytes(StandardCharsets.US_ASCII),
                expected.getBytes(StandardCharsets.US_ASCII));
    }
}
