from flask import Flask

app = Flask(__name__)

if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)

# The tests' config is the default one.
CONFIG = "tests/fixtures/server-config.json"
