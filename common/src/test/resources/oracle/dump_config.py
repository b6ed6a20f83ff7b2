"""Print what supervisord 4.2.5's own parser understood of a config, as canonical JSON.

Run with Debian's /usr/bin/python3 (the one that can import the `supervisor` package):
    dump_config.py /path/to/supervisord.conf
Prints {"ok": true, "config": {...}} or {"ok": false, "error": "..."}; the shape matches
dev.radial.common.config.ConfigDump.
"""
import json
import os
import sys

from supervisor.datatypes import Automatic, RestartUnconditionally, RestartWhenExitUnexpected
from supervisor.loggers import LevelsByDescription
from supervisor.options import ServerOptions, normalize_path, EventListenerPoolConfig, FastCGIGroupConfig

LEVELS = {v: k for k, v in vars(LevelsByDescription).items() if not k.startswith('_')}


def logfile(v):
    if v is Automatic:
        return 'AUTO'
    return v


def autorestart(v):
    if v is RestartUnconditionally:
        return 'true'
    if v is RestartWhenExitUnexpected:
        return 'unexpected'
    return 'false'


def process(p):
    d = {
        'name': p.name, 'command': p.command, 'directory': p.directory, 'umask': p.umask,
        'priority': p.priority, 'autostart': p.autostart, 'autorestart': autorestart(p.autorestart),
        'startsecs': p.startsecs, 'startretries': p.startretries, 'uid': p.uid,
        'stopsignal': p.stopsignal, 'stopwaitsecs': p.stopwaitsecs, 'stopasgroup': p.stopasgroup,
        'killasgroup': p.killasgroup, 'exitcodes': list(p.exitcodes), 'redirect_stderr': p.redirect_stderr,
        'environment': p.environment, 'serverurl': p.serverurl,
    }
    for ch in ('stdout', 'stderr'):
        d[ch + '_logfile'] = logfile(getattr(p, ch + '_logfile'))
        for k in ('logfile_maxbytes', 'logfile_backups', 'capture_maxbytes', 'events_enabled', 'syslog'):
            d['%s_%s' % (ch, k)] = getattr(p, '%s_%s' % (ch, k))
    return d


def group(g):
    kind = 'process'
    d = {'name': g.name, 'priority': g.priority}
    if isinstance(g, EventListenerPoolConfig):
        kind = 'eventlistener'
        d['buffer_size'] = g.buffer_size
        from supervisor.events import EventTypes
        names = {v: k for k, v in vars(EventTypes).items() if isinstance(v, type)}
        d['events'] = sorted(names[e] for e in g.pool_events)
    elif isinstance(g, FastCGIGroupConfig):
        kind = 'fcgi'
    d['kind'] = kind
    d['processes'] = [process(p) for p in g.process_configs]
    return d


def server(s):
    if s['family'] == 2:  # AF_INET
        d = {'family': 'inet', 'host': s['host'], 'port': s['port']}
    else:
        d = {'family': 'unix', 'file': s['file'], 'chmod': s['chmod'], 'chown': list(s['chown'])}
    d['username'] = s['username']
    d['password'] = s['password']
    return d


def main(path):
    opts = ServerOptions()
    opts.configfile = path
    opts.here = os.path.abspath(os.path.dirname(path))
    try:
        sect = opts.read_config(path)
    except Exception as e:  # supervisord exits 2 on any of these
        return {'ok': False, 'error': '%s: %s' % (type(e).__name__, e)}
    sd = {
        'logfile': sect.logfile if sect.logfile == 'syslog' else normalize_path(sect.logfile),
        'logfile_maxbytes': sect.logfile_maxbytes, 'logfile_backups': sect.logfile_backups,
        'loglevel': LEVELS[sect.loglevel], 'pidfile': normalize_path(sect.pidfile), 'umask': sect.umask,
        'nodaemon': bool(sect.nodaemon), 'silent': bool(sect.silent), 'minfds': sect.minfds,
        'minprocs': sect.minprocs, 'nocleanup': bool(sect.nocleanup), 'childlogdir': sect.childlogdir,
        'user': sect.user, 'directory': sect.directory, 'strip_ansi': bool(sect.strip_ansi),
        'environment': sect.environment, 'identifier': sect.identifier,
    }
    return {'ok': True, 'config': {'supervisord': sd, 'groups': [group(g) for g in sect.process_group_configs],
                                   'servers': [server(s) for s in sect.server_configs]}}


if __name__ == '__main__':
    sys.stdout.write(json.dumps(main(sys.argv[1]), sort_keys=True, separators=(',', ':')))
