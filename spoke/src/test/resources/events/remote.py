"""Sends a REMOTE_COMMUNICATION event through supervisord's XML-RPC API on a unix socket."""
import sys
from supervisor.compat import xmlrpclib
from supervisor.xmlrpc import SupervisorTransport
proxy = xmlrpclib.ServerProxy('http://127.0.0.1', transport=SupervisorTransport(None, None, 'unix://' + sys.argv[1]))
proxy.supervisor.sendRemoteCommEvent(sys.argv[2], sys.argv[3])
