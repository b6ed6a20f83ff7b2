"""Runs Debian's supervisor end-to-end suite (supervisor/tests/test_end_to_end.py), unchanged, against a server.

    /usr/bin/python3 radial_e2e.py --mode MODE --out RESULT [--spoke CMD] [--ctl CMD] [--pidproxy CMD]

MODE is one of
  supervisord  the baseline: the suite as Debian ships it (real supervisord, supervisorctl, pidproxy);
  spoke        every `python -m supervisor.supervisord ARGS` the suite spawns runs `SPOKE ARGS` instead,
               `-m supervisor.pidproxy` runs PIDPROXY; supervisorctl stays Python's;
  spoke-ctl    as spoke, and `-m supervisor.supervisorctl ARGS` runs `CTL ARGS`.
CMD is a path to an executable (a launcher script). Only the command pexpect spawns is changed: the suite's
files, fixtures and expectations are Debian's, read from the installed package.

A test that fails is run once more (the suite is timing-sensitive on a loaded machine). RESULT gets one line
per test, "name<TAB>outcome<TAB>attempts" (outcome: pass, fail, error or skip); RESULT.details the traceback
of each test's last failure.
After every test each process it spawned is sent SIGINT (the suite's own cleanup), waited for, and killed
with its process group if it outlives a deadline, so no server of one test is left holding the next one's
socket.
"""
import argparse
import os
import signal
import sys
import time
import unittest

os.environ['END_TO_END'] = '1'  # the suite only defines its tests when this is set
import pexpect  # noqa: E402  (after END_TO_END, as the suite itself does)

_original_spawn = pexpect.spawn
_spawned = []


def _redirect(mode, targets, command, args):
    """The (command, args) to run instead of what the suite asked for."""
    if command != sys.executable or len(args) < 2 or args[0] != '-m':
        return command, args
    module, rest = args[1], list(args[2:])
    if mode in ('spoke', 'spoke-ctl'):
        if module == 'supervisor.supervisord':
            return targets['spoke'], rest
        if module == 'supervisor.pidproxy' and targets.get('pidproxy'):
            return targets['pidproxy'], rest
    if mode == 'spoke-ctl' and module == 'supervisor.supervisorctl':
        return targets['ctl'], rest
    return command, args


def restore_signals():
    """Children of a shell's background job inherit SIGINT and SIGQUIT ignored; the suite stops every server
    with SIGINT, so its children must get the default disposition (Python's own handler is reset by exec)."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)


def install(mode, targets):
    class RedirectingSpawn(_original_spawn):
        def __init__(self, command, args=(), *a, **kw):
            command, args = _redirect(mode, targets, command, list(args))
            super().__init__(command, args, *a, **kw)
            _spawned.append(self)
    pexpect.spawn = RedirectingSpawn


def _reap_spawned(deadline_seconds=20):
    """Waits for every process the last test spawned to exit; kills the stragglers' process groups."""
    children = list(_spawned)
    _spawned.clear()
    for child in children:
        if child.isalive():
            try:
                child.kill(signal.SIGINT)
            except OSError:
                pass
    end = time.monotonic() + deadline_seconds
    for child in children:
        while child.isalive() and time.monotonic() < end:
            time.sleep(0.05)
        if child.isalive():
            try:
                os.killpg(child.pid, signal.SIGKILL)  # pexpect children lead their own session and group
            except OSError:
                pass
        try:
            child.close(force=True)
        except Exception:
            pass


class _Result(unittest.TestResult):
    def __init__(self):
        super().__init__()
        self.outcomes = {}

    def stopTest(self, test):
        super().stopTest(test)
        _reap_spawned()

    def addSuccess(self, test):
        self.outcomes[test.id()] = ('pass', '')

    def addFailure(self, test, err):
        self.outcomes[test.id()] = ('fail', self._exc_info_to_string(err, test))

    def addError(self, test, err):
        self.outcomes[test.id()] = ('error', self._exc_info_to_string(err, test))

    def addSkip(self, test, reason):
        self.outcomes[test.id()] = ('skip', reason)


def _tests(names):
    from supervisor.tests import test_end_to_end
    suite = unittest.defaultTestLoader.loadTestsFromModule(test_end_to_end)
    flat = []

    def walk(s):
        for t in s:
            if isinstance(t, unittest.TestSuite):
                walk(t)
            else:
                flat.append(t)
    walk(suite)
    if names:
        flat = [t for t in flat if t.id().rsplit('.', 1)[-1] in names]
    return flat


def _run_one(test):
    result = _Result()
    test(result)
    return result.outcomes.get(test.id(), ('error', 'no outcome reported'))


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--mode', required=True, choices=['supervisord', 'spoke', 'spoke-ctl'])
    p.add_argument('--out', required=True)
    p.add_argument('--spoke')
    p.add_argument('--ctl')
    p.add_argument('--pidproxy')
    p.add_argument('tests', nargs='*', help='test method names (default: all)')
    a = p.parse_args()
    if a.mode != 'supervisord' and not a.spoke:
        p.error('--spoke is required in mode ' + a.mode)
    if a.mode == 'spoke-ctl' and not a.ctl:
        p.error('--ctl is required in mode spoke-ctl')
    restore_signals()
    install(a.mode, {'spoke': a.spoke, 'ctl': a.ctl, 'pidproxy': a.pidproxy})
    results = {}
    for test in _tests(set(a.tests)):
        attempts = 0
        while True:
            attempts += 1
            started = time.monotonic()
            outcome, detail = _run_one(test)
            took = time.monotonic() - started
            print('%s %s %s (%.1f s, attempt %d)' % (a.mode, test.id().rsplit('.', 1)[-1], outcome, took, attempts),
                  flush=True)
            if outcome in ('pass', 'skip') or attempts == 2:
                break
        results[test.id()] = {'outcome': outcome, 'attempts': attempts, 'detail': detail}
    with open(a.out, 'w') as f:
        for tid, r in sorted(results.items()):
            f.write('%s\t%s\t%d\n' % (tid.rsplit('.', 1)[-1], r['outcome'], r['attempts']))
    with open(a.out + '.details', 'w') as f:
        for tid, r in sorted(results.items()):
            if r['detail']:
                f.write('==== %s (%s)\n%s\n' % (tid.rsplit('.', 1)[-1], r['outcome'], r['detail']))
    passed = sum(1 for r in results.values() if r['outcome'] == 'pass')
    print('%s: %d passed, %d failed' % (a.mode, passed, len(results) - passed), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
