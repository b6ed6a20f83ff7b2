package dev.radial.ctl;

import dev.radial.common.testing.Reference;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The two supervisorctl implementations under test, run as real separate processes. */
enum Client {
    SUPERVISORCTL, CTL;

    List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        if (this == SUPERVISORCTL) {
            cmd.add(Reference.SUPERVISORCTL.toString());
        } else {
            cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-cp",
                    System.getProperty("java.class.path"), CtlMain.class.getName()));
        }
        cmd.addAll(List.of(args));
        return cmd;
    }

    Reference.Run run(Path config, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("-c", config.toString()));
        all.addAll(List.of(args));
        return Reference.run(command(all.toArray(String[]::new)), null, config.getParent(), 60);
    }

    Reference.Run runWith(Map<String, String> env, Path dir, String... args) throws IOException, InterruptedException {
        return Reference.run(command(args), env, dir, 60);
    }
}
