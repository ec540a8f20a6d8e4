"""The app's configuration: every setting from the environment, with a default."""
import os

DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///app.db")
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
