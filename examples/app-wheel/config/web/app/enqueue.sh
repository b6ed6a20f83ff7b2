# POST /jobs: queues the request body as a job for the queue workers (written aside, then renamed into place)
mkdir -p /data/queue/new
id="$(date +%s)-$$"
head -c "${CONTENT_LENGTH:-0}" > "/data/queue/.$id" && mv "/data/queue/.$id" "/data/queue/new/$id.job"
printf 'Content-Type: text/plain\r\n\r\n'
echo "queued $id"
