# The test suite: each test gets its own database (see tests/conftest.py).
TESTING = True
SECRET_KEY = "testing-only-not-secret"
# Tests that check CSRF and limits switch them back on.
WTF_CSRF_ENABLED = False
RATELIMIT_ENABLED = False
# Tests see every change at once; the page cache has tests of its own that turn it on.
PAGE_CACHE = False
# Hundreds of sign-ins: argon2 at its real cost took much of the suite's time (one test checks it).
PASSWORD_HASH_PROFILE = "cheap-for-tests"
# The test client's host; the browser tests' servers listen on 127.0.0.1.
SITE_URL = "http://localhost"
TRUSTED_HOSTS = ["127.0.0.1"]
