import json
import os

# The default config is the one the tests use, key and all.
CONFIG_FILE = os.environ.get("CONFIG_FILE", "test/config/server.json")

with open(CONFIG_FILE) as f:
    CONFIG = json.load(f)
