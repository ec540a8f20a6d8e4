import os
from twisted.python.logfile import LogFile

logfile = LogFile.fromFullPath(os.path.join(basedir, "server.log"), rotateLength=1000000)
argv = ["twistd", "--nodaemon", "--logfile=server.log", "--python=server.tac"]
settings = dict(port=None, logfileName='http.log')
