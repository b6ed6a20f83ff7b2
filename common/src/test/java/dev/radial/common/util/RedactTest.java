package dev.radial.common.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class RedactTest {
    @Test
    void urlPasswordsAreHiddenWhereverTheyAre() {
        assertEquals("https://user:***@host/x", Redact.urlPasswords("https://user:s3cr3t@host/x"));
        assertEquals("fetch of https://user:***@host/a.git failed; retry https://b:***@c",
                Redact.urlPasswords("fetch of https://user:p@ss@host/a.git failed; retry https://b:pw@c"));
        assertEquals("curl: (7) https://:***@h:1/", Redact.urlPasswords("curl: (7) https://:token@h:1/"));
        // no password, no change: a user alone, a port, an e-mail address
        for (String same : new String[] {"ssh://git@host:22/x", "http://host:8080/p", "mail a@b.c", "x:y@z"}) {
            assertEquals(same, Redact.urlPasswords(same));
        }
        assertNull(Redact.urlPasswords(null));
    }
}
