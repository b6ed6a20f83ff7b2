ARG BASE=radial-base:latest
FROM ${BASE}
ENV RADIAL_CONFIG_ROOT=/config RADIAL_LOG_ROOT=/log RADIAL_RUN_ROOT=/run RADIAL_DATA_ROOT=/data \
    RADIAL_SKELETON=/opt/radial/config-skeleton HOME=/data
WORKDIR /data
VOLUME ["/config", "/log", "/run", "/data"]
ENTRYPOINT ["/usr/bin/hub"]
HEALTHCHECK --interval=10s --timeout=5s --start-period=120s --retries=3 \
  CMD wget -q -O /dev/null http://127.0.0.1:${HUB_HTTP_PORT:-8080}/healthz
STOPSIGNAL SIGTERM
