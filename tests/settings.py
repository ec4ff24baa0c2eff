"""Settings for the test suite: the service's own, with a throwaway secret.

DATABASE_URL and REDIS_URL, when set, point the tests at PostgreSQL and Redis.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
# DEBUG is off in the tests, as in production, where ALLOWED_HOSTS is required.
os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1")

from pinsite.settings import *  # noqa: F403
