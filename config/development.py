# `make run`: a local machine, one process, the SQLite file in instance/.
SECRET_KEY = "development-only-not-secret"
# Demo sign-in works without a second factor here only; the sign-in page says so.
TOTP_REQUIRED = False
TEMPLATES_AUTO_RELOAD = True
# `make run` serves here; set SITE_URL (and TRUSTED_HOSTS) to reach it under another name.
SITE_URL = "http://127.0.0.1:5000"
TRUSTED_HOSTS = ["localhost"]
