# A queue worker: takes each job from /data/queue/new by renaming it (two workers never get the same job),
# "processes" it, appends the result to /data/queue/done.log. Stops between jobs on TERM.
set -u
mkdir -p /data/queue/new /data/queue/taken
trap 'echo "$WORKER: stopping"; exit 0' TERM
echo "$WORKER: ready (pid $$)"
while true; do
  for job in /data/queue/new/*.job; do
    [ -e "$job" ] || continue
    mine="/data/queue/taken/$(basename "$job").$WORKER"
    mv "$job" "$mine" 2>/dev/null || continue
    echo "$(basename "$job" .job) $(cat "$mine") by $WORKER" >> /data/queue/done.log
    echo "$WORKER: done $(basename "$job")"
    rm -f "$mine"
  done
  sleep 1 & wait $!
done
