import os

SECRET_KEY = os.environ["SECRET_KEY"]
PASSWORD_RESET_TIMEOUT = 3600
AUTH_PASSWORD_VALIDATORS = []
DB_PASSWORD_FILE = "/run/secrets/db_password"
basicAuthPassword = 'ME_CONFIG_BASICAUTH_PASSWORD'
ENV_TO_OPTION = {"MAILDEV_WEB_PASS": "webPass"}
LABELS = {"password": "Password", "new_password": "Enter a new password"}
TOKEN = os.environ.get("TOKEN", "")
