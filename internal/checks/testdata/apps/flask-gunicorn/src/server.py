"""The web app."""
import logging

from flask import Flask

import config
import logconfig

logconfig.setup()
log = logging.getLogger(__name__)
app = Flask(__name__)


@app.route("/")
def index():
    log.info("index, database %s", config.DATABASE_URL.split("://")[0])
    return "Hello"
