import os

SECRET_KEY = 'hunter2-real-key'
API_TOKEN = os.environ.get("API_TOKEN", "dev-token-1234")
SIGNING_SECRET = os.environ.get("SIGNING_SECRET") or "dev-signing-key"
ADMIN_PASSWORD = "changeme"
