package dev.radial.spoke.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/** supervisord's Basic auth: plain or {SHA} (hex SHA-1) password; decided from the headers alone. */
record Auth(String username, String password) {
    static final Map<String, String> CHALLENGE = Map.of("WWW-Authenticate", "Basic realm=\"default\"");

    boolean required() {
        return username != null;
    }

    boolean allows(Map<String, String> headers) {
        if (username == null) {
            return true;
        }
        String auth = headers.get("authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String user = decoded.substring(0, colon);
        String pass = decoded.substring(colon + 1);
        return MessageDigest.isEqual(user.getBytes(StandardCharsets.UTF_8), username.getBytes(StandardCharsets.UTF_8))
                && passwordMatches(pass);
    }

    private boolean passwordMatches(String given) {
        if (password.startsWith("{SHA}")) {
            try {
                byte[] sha = MessageDigest.getInstance("SHA-1").digest(given.getBytes(StandardCharsets.UTF_8));
                return MessageDigest.isEqual(HexFormat.of().formatHex(sha).getBytes(StandardCharsets.US_ASCII),
                        password.substring(5).toLowerCase().getBytes(StandardCharsets.US_ASCII));
            } catch (NoSuchAlgorithmException e) {
                return false;
            }
        }
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8));
    }
}
