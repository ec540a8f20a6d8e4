URL = "postgres://app:hunter2-real@db.internal/app"
