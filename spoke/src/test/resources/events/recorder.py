"""An event listener written with supervisor's own childutils: records what it receives, one line per event,
without the parts that differ between runs (pids, serials, times). Rejects the first REMOTE_COMMUNICATION once
(answers FAIL) to check that the event is delivered again."""
import sys
from supervisor import childutils

out = open(sys.argv[1], 'a', buffering=1)
rejected = False
while True:
    headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
    name = headers['eventname']
    assert int(headers['len']) == len(payload.encode('utf-8')), (headers, payload)
    if name.startswith('PROCESS_STATE'):
        h = childutils.get_headers(payload)
        extra = ' '.join('%s=%s' % (k, h[k]) for k in ('from_state', 'expected', 'tries') if k in h)
        out.write('%s %s %s\n' % (h['processname'], name, extra))
    elif name.startswith('PROCESS_LOG') or name.startswith('PROCESS_COMMUNICATION'):
        h, data = childutils.eventdata(payload)
        out.write('%s %s %r\n' % (h['processname'], name, data))
    elif name == 'REMOTE_COMMUNICATION':
        h, data = childutils.eventdata(payload)
        if not rejected:
            rejected = True
            out.write('remote %s rejected-once type=%s %r\n' % (name, h['type'], data))
            childutils.listener.fail(sys.stdout)
            continue
        out.write('remote %s type=%s %r\n' % (name, h['type'], data))
    elif name.startswith('PROCESS_GROUP'):
        h, data = childutils.eventdata(payload)
        out.write('group %s %s\n' % (name, h.get('groupname') or payload.strip()))
    else:
        out.write('supervisor %s\n' % name)
    childutils.listener.ok(sys.stdout)
