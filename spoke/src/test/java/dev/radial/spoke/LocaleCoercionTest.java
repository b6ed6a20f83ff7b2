package dev.radial.spoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When the spoke re-executes itself with LC_CTYPE=C.UTF-8, and with what (the end-to-end run is ChildEnvironmentTest). */
class LocaleCoercionTest {
    @Test
    void coercesLikePythonOnlyWhenTheJvmGotAnAsciiLocaleAndLcAllIsEmpty() {
        assertTrue(LocaleCoercion.needed("ANSI_X3.4-1968", Map.of()));
        assertTrue(LocaleCoercion.needed("ANSI_X3.4-1968", Map.of("LANG", "xx_YY.UTF-8", "LC_ALL", "")));
        assertFalse(LocaleCoercion.needed("UTF-8", Map.of()), "a UTF-8 locale is left alone");
        assertFalse(LocaleCoercion.needed("ANSI_X3.4-1968", Map.of("LC_ALL", "C")), "LC_ALL wins, as in Python");
        assertFalse(LocaleCoercion.needed("ANSI_X3.4-1968", Map.of("PYTHONCOERCECLOCALE", "0")));
    }

    @Test
    void theEnvironmentIsKeptAsReceivedWithLcCtypeReplaced() {
        assertEquals(List.of("PATH=/bin", "LANG=C", "WEIRD=a=b", "LC_CTYPE=C.UTF-8"),
                LocaleCoercion.coercedEnvironment(List.of("PATH=/bin", "LC_CTYPE=C", "LANG=C", "WEIRD=a=b")));
        assertEquals(List.of("LC_CTYPE=C.UTF-8"), LocaleCoercion.coercedEnvironment(List.of()));
    }
}
