import os

BROKER = os.environ.get("BROKER_URL", "amqp://guest@localhost//")
