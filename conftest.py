import os

import pytest

os.environ.setdefault("ZHENGGAI_TESTING", "true")
# Playwright's sync API runs an event loop in the test thread; the ORM calls are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    """Every test stores uploads, and keeps temporary files and locks, in a directory of its own
    (the SQLite and PostgreSQL tiers of one run share the data directory otherwise)."""
    settings.DATA_DIR = tmp_path / "data"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }


@pytest.fixture
def world(db):
    from zhenggai.testing import make_world

    return make_world()
