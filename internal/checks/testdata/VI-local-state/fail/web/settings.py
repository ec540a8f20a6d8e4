SESSION_TYPE = "filesystem"
SESSION_FILE_DIR = "/tmp/sessions"
