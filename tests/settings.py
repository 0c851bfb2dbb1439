"""Test settings: the development settings with test-only defaults.

Each test process (and each pytest-xdist worker) uses its own Redis database, counting down from 15,
so tests never meet the queue of a running ``make run``. Celery workers started by the integration
tests import this same module, so they see the same Redis database and file storage.
"""

import os
import re

os.environ.setdefault("DJANGO_ENV", "development")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("ENABLE_DEMO_LOGINS", "true")
os.environ.setdefault("ENABLE_DEMO_PLUGINS", "true")

from justis.settings import *  # noqa: E402, F403
from justis.settings import BASE_DIR, CACHES, REDIS_URL, STORAGES  # noqa: E402

_worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
TEST_WORKER_INDEX = int(_worker[2:]) if _worker.startswith("gw") else 0

# Redis has 16 databases: test process gwN uses 15 - N; 0 is development's and 12 the benchmark's.
if not 0 <= TEST_WORKER_INDEX <= 11:
    raise RuntimeError(f"PYTEST_XDIST_WORKER={_worker}: use gw0 to gw11 (each gets Redis database 15 - N).")
REDIS_URL = re.sub(r"/\d+$", "", REDIS_URL.rstrip("/")) + f"/{15 - TEST_WORKER_INDEX}"
CELERY_BROKER_URL = REDIS_URL
CACHES["default"]["LOCATION"] = REDIS_URL

PRIVATE_MEDIA_ROOT = BASE_DIR / ".local" / "test-private" / _worker
STORAGES["private"]["OPTIONS"]["location"] = str(PRIVATE_MEDIA_ROOT)
STORAGES["privates"]["OPTIONS"]["location"] = str(PRIVATE_MEDIA_ROOT / "config")

STATUS_SNAPSHOT_FILE = BASE_DIR / ".local" / "test-status" / f"{_worker}.json"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Drills wait for a breaker's probe: a short cool-down keeps them fast.
BREAKER_COOLDOWN_SECONDS = float(os.environ.get("BREAKER_COOLDOWN_SECONDS", "2"))
