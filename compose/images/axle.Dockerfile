ARG BASE=radial-base:latest
FROM ${BASE}
# An axle only holds a data volume; it idles until stopped, and stops at once (busybox sleep dies of TERM
# as PID 1 only through the shell's trap: Radial's idle keep-alive ignored TERM, defect 5).
ENTRYPOINT ["/bin/sh", "-c", "trap 'exit 0' TERM INT; while true; do sleep 3600 & wait $!; done"]
