import logging

from flask import Flask

app = Flask(__name__)
log = logging.getLogger(__name__)


@app.route("/")
def index():
    log.info("index called")
    return "hi"
