import os

import dj_database_url

DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
CACHE_URL = os.environ.get("CACHE_URL", "sqlite:///cache.db")
