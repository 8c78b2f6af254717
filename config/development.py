# `make run`: a local machine, one process, the SQLite file in instance/.
SECRET_KEY = "development-only-not-secret"
# Demo sign-in works without a second factor here only; the sign-in page says so.
TOTP_REQUIRED = False
TEMPLATES_AUTO_RELOAD = True
