ARG BASE=radial-base:latest
FROM ${BASE}
# ctl's class-data-sharing archive: every HEALTHCHECK is a ctl run
RUN /opt/jre/bin/java -XX:ArchiveClassesAtExit=/opt/radial/ctl.jsa -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -cp "/opt/radial/ctl/target/radial-ctl-0.1.0-SNAPSHOT.jar:/opt/radial/ctl/target/lib/*" dev.radial.ctl.CtlMain \
    --cds-training >/dev/null 2>&1; test -f /opt/radial/ctl.jsa
ENV RADIAL_CONFIG_ROOT=/config RADIAL_LOG_ROOT=/log RADIAL_RUN_ROOT=/run RADIAL_DATA_ROOT=/data
WORKDIR /data
# Radial mode: SPOKE_NAME names the group this container runs; arguments after "--" run instead
ENTRYPOINT ["/usr/bin/spoke"]
# healthy when every program of the spoke's own group is running (ctl exits 3 otherwise, 4 if unreachable)
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ctl status "$SPOKE_NAME:*" >/dev/null || ctl status "$SPOKE_NAME-group:*" >/dev/null
STOPSIGNAL SIGTERM
