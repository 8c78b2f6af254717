# The test suite: each test gets its own database (see tests/conftest.py).
TESTING = True
SECRET_KEY = "testing-only-not-secret"
# Tests that check CSRF and limits switch them back on.
WTF_CSRF_ENABLED = False
RATELIMIT_ENABLED = False
