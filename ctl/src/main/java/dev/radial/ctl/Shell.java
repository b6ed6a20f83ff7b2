package dev.radial.ctl;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Predicate;

/**
 * supervisorctl's interactive shell: runs "status" first, then reads command lines after a "name> " prompt
 * until quit, exit or end of input. With a history file, every line entered is appended to it.
 */
final class Shell {
    private final String prompt;
    private final Path historyFile;
    private final BufferedReader in;

    Shell(String prompt, Path historyFile, BufferedReader in) {
        this.prompt = prompt + "> ";
        this.historyFile = historyFile;
        this.in = in;
    }

    /** {@code onecmd} runs one line and answers true when the shell should end. */
    void run(Predicate<String> onecmd) {
        if (onecmd.test("status")) {
            return;
        }
        while (true) {
            System.out.print(prompt);
            System.out.flush();
            String line;
            try {
                line = in.readLine();
            } catch (IOException e) {
                line = null;
            }
            if (line == null) {
                onecmd.test("EOF");
                return;
            }
            remember(line);
            if (onecmd.test(line)) {
                return;
            }
        }
    }

    private void remember(String line) {
        if (historyFile == null || line.isBlank()) {
            return;
        }
        try {
            Files.writeString(historyFile, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            // supervisorctl ignores history file errors too
        }
    }
}
