package dev.radial.common.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code shlex.shlex} in non-POSIX mode, as supervisord 4.2 uses it for {@code environment=}
 * (datatypes.dict_of_key_value_pairs). Quoted tokens keep their quotes; the caller strips them. Reproduces
 * the documented quirks on purpose: {@code A=x y} gives {@code x}, {@code A=$HOME} gives {@code $}.
 */
final class PyShlex {
    private static final String WORDCHARS = "abcdfeghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"
            + "ßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞ" + "/.+-():";
    private static final String WHITESPACE = " \t\r\n";
    private static final String QUOTES = "'\"";

    private PyShlex() {
    }

    static List<String> tokens(String s) throws IllegalArgumentException {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (true) {
            StringBuilder token = new StringBuilder();
            char state = ' ';
            boolean done = false;
            while (!done) {
                char c = i < n ? s.charAt(i) : 0;
                boolean eof = i >= n;
                if (state == ' ') {
                    if (eof) {
                        done = true;
                    } else if (WHITESPACE.indexOf(c) >= 0) {
                        i++;
                        if (token.length() > 0) {
                            done = true;
                        }
                    } else if (c == '#') {
                        i = skipLine(s, i);
                    } else if (WORDCHARS.indexOf(c) >= 0) {
                        token.append(c);
                        state = 'a';
                        i++;
                    } else if (QUOTES.indexOf(c) >= 0) {
                        token.append(c);
                        state = c;
                        i++;
                    } else {
                        token.append(c);
                        i++;
                        done = true;
                    }
                } else if (state == '\'' || state == '"') {
                    if (eof) {
                        throw new IllegalArgumentException("No closing quotation");
                    }
                    token.append(c);
                    i++;
                    if (c == state) {
                        done = true;
                    }
                } else { // 'a': inside a word
                    if (eof) {
                        done = true;
                    } else if (WHITESPACE.indexOf(c) >= 0) {
                        i++;
                        done = true;
                    } else if (c == '#') {
                        i = skipLine(s, i);
                    } else if (WORDCHARS.indexOf(c) >= 0 || QUOTES.indexOf(c) >= 0) {
                        token.append(c);
                        i++;
                    } else {
                        done = true; // push back: the char starts the next token
                    }
                }
            }
            if (token.length() == 0) {
                return out;
            }
            out.add(token.toString());
        }
    }

    private static int skipLine(String s, int i) {
        int nl = s.indexOf('\n', i);
        return nl < 0 ? s.length() : nl + 1;
    }

    /** dict_of_key_value_pairs: {@code KEY=val,KEY2="v,2"}; tokens are read in fours (key, =, value, comma). */
    static Map<String, String> keyValuePairs(String arg) {
        List<String> tokens = tokens(arg);
        Map<String, String> d = new LinkedHashMap<>();
        for (int i = 0; i < tokens.size(); i += 4) {
            if (i + 3 > tokens.size() || !tokens.get(i + 1).equals("=")) {
                throw new IllegalArgumentException("Unexpected end of key/value pairs in value '" + arg + "'");
            }
            d.put(tokens.get(i), stripQuotes(tokens.get(i + 2)));
        }
        return d;
    }

    private static String stripQuotes(String v) {
        int b = 0;
        int e = v.length();
        while (b < e && QUOTES.indexOf(v.charAt(b)) >= 0) {
            b++;
        }
        while (e > b && QUOTES.indexOf(v.charAt(e - 1)) >= 0) {
            e--;
        }
        return v.substring(b, e);
    }
}
