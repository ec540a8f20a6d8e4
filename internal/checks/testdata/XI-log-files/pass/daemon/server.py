import sys
from twisted.python import log

log.startLogging(sys.stdout)
argv = ["twistd", "--nodaemon", "--logfile=-", "--python=server.tac"]
settings = dict(port=None, logfileName=None)
