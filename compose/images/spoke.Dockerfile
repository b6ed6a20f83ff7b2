ARG BASE=radial-base:latest
FROM ${BASE}
# ctl's ahead-of-time cache (JEP 483/514/515), trained on a status run: every HEALTHCHECK is a ctl run. The
# flags are radial-launch's for ctl (a cache is only used by a JVM with the same GC and the same class path).
RUN /opt/jre/bin/java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xss512k \
    -Djdk.reflect.useNativeAccessorOnly=true -Djava.nio.channels.spi.SelectorProvider=sun.nio.ch.EPollSelectorProvider \
    -XX:AOTCacheOutput=/opt/radial/ctl.aot -Xlog:aot=off -Xlog:cds=off \
    -cp "/opt/radial/ctl/target/radial-ctl-0.1.0-SNAPSHOT.jar:/opt/radial/ctl/target/lib/*" dev.radial.ctl.CtlMain \
    --aot-training >/dev/null 2>&1; test -f /opt/radial/ctl.aot
# The spoke's ahead-of-time cache, trained by a real daemon run (100 programs, RPC calls, SIGTERM; it leaves no
# process behind): less anonymous memory per spoke (docs/benchmarks.md). The flags are radial-launch's daemon flags.
RUN /opt/jre/bin/java -XX:+UseSerialGC -Xms8m -Xmx128m -Xss512k -XX:TieredStopAtLevel=1 -XX:-UsePerfData \
    -XX:+UnlockDiagnosticVMOptions -XX:AsyncDeflationInterval=10000 -XX:GuaranteedSafepointInterval=0 \
    -XX:ServiceThreadCleanupInterval=10000 -XX:ArchiveRelocationMode=0 --enable-native-access=ALL-UNNAMED \
    -XX:AOTCacheOutput=/opt/radial/spoke.aot -Xlog:aot=off -Xlog:cds=off \
    -cp "/opt/radial/spoke/target/radial-spoke-0.1.0-SNAPSHOT.jar:/opt/radial/spoke/target/lib/*" dev.radial.spoke.SpokeMain \
    --aot-training >/dev/null 2>&1; test -f /opt/radial/spoke.aot
ENV RADIAL_CONFIG_ROOT=/config RADIAL_LOG_ROOT=/log RADIAL_RUN_ROOT=/run RADIAL_DATA_ROOT=/data
WORKDIR /data
# Radial mode: SPOKE_NAME names the group this container runs; arguments after "--" run instead
ENTRYPOINT ["/usr/bin/spoke"]
# healthy when every program of the spoke's own group is up and, if it has readiness/liveness probes, RUNNING
# with its probes healthy (ctl health exits 1 otherwise, also when the spoke does not answer)
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ctl health "$SPOKE_NAME:*" >/dev/null || ctl health "$SPOKE_NAME-group:*" >/dev/null
STOPSIGNAL SIGTERM
