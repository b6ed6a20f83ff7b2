"""An event listener written with supervisor's own childutils, subscribed to PROCESS_HEALTH: one line per event,
processname eventname probe from_health, then the body (the outcome that decided it)."""
import sys
from supervisor import childutils

out = open(sys.argv[1], 'a', buffering=1)
while True:
    headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
    assert int(headers['len']) == len(payload.encode('utf-8')), (headers, payload)
    h, data = childutils.eventdata(payload)
    out.write('%s %s %s %s pid=%s %s\n' % (h['processname'], headers['eventname'], h['probe'], h['from_health'],
                                          h['pid'], data))
    childutils.listener.ok(sys.stdout)
