import logging
import os
import sys


def setup(app):
    if os.environ.get("LOG_TO_STDOUT"):
        app.logger.addHandler(logging.StreamHandler(sys.stdout))
