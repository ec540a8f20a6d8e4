import os

# Start with SQLite; switch to PostgreSQL or MySQL for production.
DB_URL = "sqlite:///state.sqlite"
