package dev.radial.common.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Linux signal names and numbers, as Python's signal module knows them (supervisord's signal_number). */
public final class Signals {
    private static final Map<String, Integer> BY_NAME = new LinkedHashMap<>();
    private static final Map<Integer, String> BY_NUMBER = new LinkedHashMap<>();

    static {
        String[] names = {"HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
            "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ",
            "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"};
        for (int i = 0; i < names.length; i++) {
            BY_NAME.put("SIG" + names[i], i + 1);
            BY_NUMBER.put(i + 1, names[i]);
        }
        BY_NAME.put("SIGIOT", 6);
        BY_NAME.put("SIGCLD", 17);
        BY_NAME.put("SIGPOLL", 29);
        BY_NAME.put("SIGRTMIN", 34);
        BY_NAME.put("SIGRTMAX", 64);
        BY_NUMBER.put(34, "RTMIN");
        BY_NUMBER.put(64, "RTMAX");
    }

    private Signals() {
    }

    /**
     * supervisord's signal_number: a number, or a name with or without SIG, any case. Python's SIGNUMS
     * also holds 0, 1 and 2 through SIG_DFL/SIG_IGN/SIG_SETMASK, so "0" is accepted, as there.
     */
    public static int parse(String value) {
        int num;
        String v = value.strip();
        try {
            num = Values.pyInt(v);
        } catch (NumberFormatException e) {
            String name = v.toUpperCase(Locale.ROOT);
            if (!name.startsWith("SIG")) {
                name = "SIG" + name;
            }
            Integer n = BY_NAME.get(name);
            if (n == null) {
                throw new IllegalArgumentException("value '" + value + "' is not a valid signal name");
            }
            num = n;
        }
        if (num != 0 && !BY_NUMBER.containsKey(num)) {
            throw new IllegalArgumentException("value '" + value + "' is not a valid signal number");
        }
        return num;
    }

    /** "TERM" for 15, as supervisord's signame() without the SIG prefix. */
    public static String name(int signal) {
        String n = BY_NUMBER.get(signal);
        return n != null ? n : "signal " + signal;
    }
}
