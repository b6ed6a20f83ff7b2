# The scheduled job: every REPORT_SECONDS, how many jobs are done, into /data/report.txt (replaced whole)
set -u
trap 'exit 0' TERM
while true; do
  n="$(cat /data/queue/done.log 2>/dev/null | wc -l)"
  echo "jobs done: $n at $(date -u +%H:%M:%S)" > /data/report.txt.new && mv /data/report.txt.new /data/report.txt
  echo "report: $n jobs done"
  sleep "$REPORT_SECONDS" & wait $!
done
