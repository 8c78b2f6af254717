# Defaults shared by every environment. Any upper-case name here can be overridden by an
# environment variable of the same name (see testimonials/configuration.py for the parsing).

# What the instance says about itself. Each is one text for every language, or texts by
# language ({"en": ..., "es": ...}; English is used where a language has none); as an
# environment variable, a plain text or that JSON object.
SITE_NAME = "Waitline"
# Who runs this instance, after "Waitline is run by": shown on the home page and in the footer.
ORGANISATION = {
    "en": "a patients' and clinicians' campaign for timely mental-health care",
    "es": "una campaña de pacientes y profesionales clínicos por la atención de salud mental "
          "a tiempo",
}
CONTACT_EMAIL = "hello@example.org"
# The trust pages (/about/...): why this site exists (one paragraph, shown as written), and a
# postal address for the contact page; empty means the default words and no address.
SITE_PURPOSE = ""
CONTACT_POSTAL = ""
# The public address, e.g. https://waitline.example.org (an origin: no path). Every absolute
# link (canonical, Open Graph, feeds, the API, receipts, invitations, e-mails) is built from
# it, never from the request's Host. Required in production.
SITE_URL = ""
# Host names the site answers to besides SITE_URL's (e.g. ["www.waitline.example.org"]);
# a request for any other host gets 400. Ports are not compared.
TRUSTED_HOSTS: list[str] = []

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
# Failed sign-ins (testimonials/moderate/throttle.py; shared through RATELIMIT_STORAGE_URI).
# Wrong passwords per account and address pair: a guesser is stopped at their own address.
SIGN_IN_RATE_LIMIT = "5 per 15 minutes"
# Wrong passwords per address, whatever the accounts tried.
SIGN_IN_ADDRESS_LIMIT = "30 per hour"
# Wrong passwords per account a day, from all addresses together, before each further one
# makes the account wait 1, 2, 4... up to SIGN_IN_ACCOUNT_MAX_DELAY seconds (never a lockout):
# at most 20 + 86400 / 60 = 1,460 password guesses a day against one account.
SIGN_IN_ACCOUNT_FREE = 20
SIGN_IN_ACCOUNT_MAX_DELAY = 60
# Wrong one-time codes per account (only someone with the password gets that far): the guess
# budget against the second factor. 10 a day, each with 3 chances in 10^6 (the current code
# and its neighbours are accepted): about 1 in 33,000 a day, 1% a year.
SIGN_IN_CODE_LIMIT = "10 per day"
# Posts refused before any work (a stale CSRF token, a field or body too large): past this,
# an address's posts are answered 429 before their body is read (testimonials/bounds.py).
REFUSED_POST_RATE_LIMIT = "20 per hour"
# Each client's allowance on /api/ (stated in RateLimit-* headers; a 429 says Retry-After).
API_RATE_LIMIT = "600 per minute"
# Number of reverse proxies in front of the app whose X-Forwarded-For is believed.
TRUSTED_PROXIES = 0

# Rendered public pages, reused while the generation is unchanged (testimonials/caching/).
PAGE_CACHE = True
# How often a worker rereads the generation: other workers see a change within this.
PAGE_CACHE_RECHECK_SECONDS = 0.5

# Statistics (SPEC section 5).
STATS_MIN_CELL = 11
# When `flask stats release` (run it from cron, say hourly) cuts a release: daily, weekly,
# monthly, or manual (only with --force or from /admin/). Figures change only at a release.
STATS_RELEASE_SCHEDULE = "weekly"
# The protection audit of every release (testimonials/stats/protection.py): no hidden count,
# of this release or an earlier one, may be narrowed by a reader who holds every release and
# every published story to fewer values than STATS_PROTECTION_WIDTH (0: the same as
# STATS_MIN_CELL), no count may move by 1 to STATS_MIN_CELL - 1 between two releases that
# show it, and a group with 1 to STATS_MIN_CELL - 1 people beyond its published stories shows
# its count without its figures (nor its place's outcome counts). False: small-cell and
# complementary suppression only (universe.hidden_keys), which does not protect against
# such a reader: switch it off only to compare. A first release takes seconds of CPU at every
# size (the audit keeps its verdicts across rounds: protection.py, "Speed"); a later one judges
# only itself when people only joined, and every release at a review (below).
STATS_PROTECTION_AUDIT = True
STATS_PROTECTION_WIDTH = 0
# Every this many releases the audit reviews the pattern of hidden counts (those that moved
# enough are shown again) and judges every earlier release again; between reviews it keeps
# the last pattern and judges only the new release, in seconds (protection.py, "Across
# releases"). 0: never (counts come back only after a withdrawal).
STATS_PATTERN_REVIEW_EVERY = 4
MAX_WAIT_DAYS = 730

# Licences of what the site publishes, as SPDX identifiers (testimonials/licences.py names the
# known ones). Figures: CC BY 4.0, so anyone may reuse them with credit. Stories: the patients'
# own words, shared for the campaign: reuse with credit, not for sale and not altered.
STATS_LICENCE = "CC-BY-4.0"
STORIES_LICENCE = "CC-BY-NC-ND-4.0"
# Where `flask export bulk` writes the bulk story files served at /data/ (None: instance/open-data).
OPEN_DATA_DIR = None
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
# How long opening an item keeps it one moderator's (testimonials/services/claims.py): others
# see "being reviewed by ..." and "next unclaimed item" passes it by until then.
MODERATION_CLAIM_MINUTES = 10

CRISIS_LINE = {"name": "988 Suicide & Crisis Lifeline", "number": "988"}

# Retention (SPEC section 6), in days.
RETAIN_REJECTED_DAYS = 90
RETAIN_CONTACT_EMAIL_DAYS = 90
# Unfinished story drafts (the journey at /share), erased this long after their last change.
DRAFT_RETENTION_HOURS = 24

# Password hashing parameters (testimonials/passwords.py); only the test suite may change them.
PASSWORD_HASH_PROFILE = "default"

# Moderator sessions.
SESSION_IDLE_MINUTES = 30
# However active, a session ends this long after it began (a new sign-in is needed).
SESSION_ABSOLUTE_HOURS = 12
TOTP_REQUIRED = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = False
SESSION_COOKIE_NAME = "waitline_session"
HSTS_SECONDS = 0

# Mail (moderator alerts). Without SMTP_HOST, mail goes to the log (never with story text).
SMTP_HOST = ""
# How the connection to SMTP_HOST is secured: "starttls" (upgrade a plain connection, usually
# port 587), "tls" (TLS from the first byte, usually 465) or "none" (a local relay, port 25;
# nothing is encrypted). Certificates are always verified, against SMTP_CA_FILE if set.
SMTP_SECURITY = "starttls"
SMTP_PORT = 0  # 0: the usual port for SMTP_SECURITY (587, 465 or 25)
SMTP_CA_FILE = ""
SMTP_USERNAME = ""
SMTP_PASSWORD = ""
MAIL_FROM = "Waitline <no-reply@example.org>"

# Forms: a token that expires only costs the patient a re-submit; the form comes back filled.
WTF_CSRF_TIME_LIMIT = 6 * 3600
# The largest body of any request; each view takes less (testimonials/bounds.py).
MAX_CONTENT_LENGTH = 256 * 1024

# The benchmark's ceiling route (bench/ turns it on; never in production).
BENCH_ROUTES = False

# Demo accounts created by `flask demo load`.
DEMO_MODERATOR_EMAIL = "moderator@example.org"
DEMO_ADMIN_EMAIL = "admin@example.org"
DEMO_PASSWORD = "waitline-demo-2026"
