package dev.radial.ctl;

import dev.radial.common.config.ConfigLoader;
import dev.radial.common.xmlrpc.XmlRpc;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code ctl --cds-training} (not a user command): walks the code a real command runs (read a supervisord.conf,
 * encode a call, parse a response, format a status table) with no server, so that the class-data-sharing
 * archive bin/ctl and the images make holds those classes (the JDK's XML parser is most of them).
 */
final class CdsTraining {
    private CdsTraining() {
    }

    static int run() {
        try {
            Path dir = Files.createTempDirectory("ctl-cds");
            Path conf = dir.resolve("supervisord.conf");
            Files.writeString(conf, "[supervisorctl]\nserverurl=unix://%(here)s/supervisor.sock\n");
            ConfigLoader.create().loadCtl(conf);
            Files.delete(conf);
            Files.delete(dir);
            XmlRpc.call("supervisor.getAllProcessInfo", List.of());
            Map<String, Object> info = Map.of("name", "x", "group", "x", "statename", "RUNNING", "state", 20,
                    "description", "pid 1, uptime 0:00:01", "pid", 1);
            byte[] body = XmlRpc.response(List.of(info)).getBytes(StandardCharsets.UTF_8);
            Object parsed = XmlRpc.parseResponse(body);
            XmlRpc.parseResponse(XmlRpc.fault(10, "BAD_NAME: x").getBytes(StandardCharsets.UTF_8));
            return parsed instanceof List<?> ? 0 : 1;
        } catch (dev.radial.common.xmlrpc.XmlRpcFault expected) {
            return 0;
        } catch (Exception e) {
            return 1;
        }
    }
}
