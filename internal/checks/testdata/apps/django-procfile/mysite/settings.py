"""Settings, every one from the environment."""
import os

import dj_database_url

SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = os.environ.get("DEBUG") == "1"
DATABASES = {"default": dj_database_url.config(conn_max_age=600)}
CELERY_BROKER_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")
SESSION_ENGINE = "django.contrib.sessions.backends.db"
LOGGING = {
    "version": 1,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
