# Defaults shared by every environment. Any upper-case name here can be overridden by an
# environment variable of the same name (see testimonials/configuration.py for the parsing).

SITE_NAME = "Waitline"
# Who runs this instance: shown on the home page and in the footer.
ORGANISATION = "a patients' and clinicians' campaign for timely mental-health care"
CONTACT_EMAIL = "hello@example.org"
# The public address, e.g. https://waitline.example.org: makes links in e-mails absolute.
SITE_URL = ""

SECRET_KEY = None  # required; development and testing set their own
DATABASE_URL = None  # None means SQLite at instance/waitline.db
# Per worker. A sync worker serves one request at a time and holds at most two connections
# (the request's session, and the sign-in lookup's own); the rest is headroom. Keep workers x
# (pool + overflow) under PostgreSQL's max_connections: config/gunicorn.py checks it at start.
DB_POOL_SIZE = 2
DB_MAX_OVERFLOW = 3
SQLITE_BUSY_TIMEOUT_MS = 10000

LANGUAGES = ["en", "es"]
BABEL_DEFAULT_LOCALE = "en"
BABEL_DEFAULT_TIMEZONE = "America/Los_Angeles"

# Rate limits (Flask-Limiter). Storage is shared by all workers when it names Redis.
RATELIMIT_ENABLED = True
RATELIMIT_STORAGE_URI = "memory://"
SUBMIT_RATE_LIMIT = "5 per hour"
TOKEN_LOOKUP_RATE_LIMIT = "30 per hour"
SIGN_IN_RATE_LIMIT = "10 per 15 minutes"
# Number of reverse proxies in front of the app whose X-Forwarded-For is believed.
TRUSTED_PROXIES = 0

# Rendered public pages, reused while the content version is unchanged (testimonials/pagecache.py).
PAGE_CACHE = True
# How often a worker rereads the content version: other workers see a change within this.
PAGE_CACHE_RECHECK_SECONDS = 0.5

# Per-process cache of slow-changing public figures (published count, facility list), seconds.
PUBLIC_CACHE_SECONDS = 60

# Statistics (SPEC section 5).
STATS_MIN_CELL = 11
# When `flask stats release` (run it from cron, say hourly) cuts a release: daily, weekly,
# monthly, or manual (only with --force or from /admin/). Figures change only at a release.
STATS_RELEASE_SCHEDULE = "weekly"
# The protection-interval audit (testimonials/stats/protection.py): no hidden count may be
# narrowed by a reader to fewer values than STATS_PROTECTION_WIDTH (0: STATS_MIN_CELL).
# Off by default until it is fast enough: on the demo set (2,000 stories) its largest linked
# system (5,000 hidden counts) takes minutes of linear programs (issue 14).
STATS_PROTECTION_AUDIT = False
STATS_PROTECTION_WIDTH = 0
MAX_WAIT_DAYS = 730
# California timely-access standards: 28 CCR 1300.67.2.2, Health and Safety Code 1367.03.
WAIT_STANDARDS = {
    "intake": {"business_days": 10},
    "first_return": {"business_days": 10},
    "between_returns": {"business_days": 10},
    "psychiatry": {"business_days": 15},
    "urgent": {"hours": 48},
}
# The law behind WAIT_STANDARDS, quoted on the patient's complaint summary.
STANDARDS_CITATION = "28 CCR 1300.67.2.2; California Health and Safety Code 1367.03"
REGULATOR = {
    "name": "DMHC Help Center",
    "phone": "1-888-466-2219",
    "url": "https://www.healthhelp.ca.gov",
}
CRISIS_LINE = {"name": "988 Suicide & Crisis Lifeline", "number": "988"}

# Retention (SPEC section 6), in days.
RETAIN_REJECTED_DAYS = 90
RETAIN_CONTACT_EMAIL_DAYS = 90

# Moderator sessions.
SESSION_IDLE_MINUTES = 30
TOTP_REQUIRED = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = False
SESSION_COOKIE_NAME = "waitline_session"
HSTS_SECONDS = 0

# Mail (moderator alerts). Without SMTP_HOST, mail goes to the log (never with story text).
SMTP_HOST = ""
SMTP_PORT = 587
SMTP_USERNAME = ""
SMTP_PASSWORD = ""
MAIL_FROM = "Waitline <no-reply@example.org>"

# Forms: a token that expires only costs the patient a re-submit; the form comes back filled.
WTF_CSRF_TIME_LIMIT = 6 * 3600
MAX_CONTENT_LENGTH = 256 * 1024

# The benchmark's ceiling route (bench/ turns it on; never in production).
BENCH_ROUTES = False

# Demo accounts created by `flask demo load`.
DEMO_MODERATOR_EMAIL = "moderator@example.org"
DEMO_ADMIN_EMAIL = "admin@example.org"
DEMO_PASSWORD = "waitline-demo-2026"
