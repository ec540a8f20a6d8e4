"""Logging to stdout, at the level the environment sets."""
import logging
import sys

import config


def setup():
    logging.basicConfig(stream=sys.stdout, level=config.LOG_LEVEL,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
