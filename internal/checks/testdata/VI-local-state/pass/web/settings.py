import os

SESSION_TYPE = "redis"
SESSION_REDIS = os.environ["REDIS_URL"]
