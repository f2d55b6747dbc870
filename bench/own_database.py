"""The environment of a bench's child process with a database of the bench's own: a SQLite file
under the bench's data directory, or, when DATABASE_URL names a PostgreSQL server, a database of
its own name on it, made when missing (and then seeded; kept and reused on a server that stays).
Imported by the benches that seed once and reuse (they run as scripts from this folder)."""

import os
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def postgres_database(url: str, name: str) -> str:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if found.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')
    return parts._replace(path=f"/{name}").geturl()


def child_env(data: Path, database: str) -> dict:
    """The child's environment: the data directory `data`, and the PostgreSQL database
    `database` when DATABASE_URL is set."""
    env = dict(os.environ)
    if env.get("DATABASE_URL"):
        env["DATABASE_URL"] = postgres_database(env["DATABASE_URL"], database)
    env.update(
        ZHENGGAI_DATA_DIR=str(data),
        ZHENGGAI_DEMO="true",
        DJANGO_SETTINGS_MODULE="zhenggai.settings",
        PYTHONPATH=str(ROOT),
    )
    return env
