package dev.radial.common.util;

import java.util.regex.Pattern;

/** Hiding the secrets text can carry before it is logged, shown or returned in an error. */
public final class Redact {
    /** The password part of a URL's user info, {@code scheme://user:secret@host}, up to the authority's last {@code @}. */
    private static final Pattern URL_PASSWORD = Pattern.compile("(?<=://)([^/@:\\s]*):[^/\\s]*@");

    private Redact() {
    }

    /** {@code https://user:secret@host/x} becomes {@code https://user:***@host/x}, wherever it is in text. */
    public static String urlPasswords(String text) {
        return text == null ? null : URL_PASSWORD.matcher(text).replaceAll("$1:***@");
    }
}
