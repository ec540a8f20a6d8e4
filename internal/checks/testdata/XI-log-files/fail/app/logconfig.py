import logging

logging.basicConfig(filename="/var/log/app/app.log", level=logging.INFO)
