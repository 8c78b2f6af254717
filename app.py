"""The WSGI entry point: `flask --app app …` and `gunicorn app:app`."""

from testimonials import create_app
from testimonials.configuration import ConfigurationError

try:
    app = create_app()
except ConfigurationError as error:
    # One line that says what to set, not a traceback through Flask's command loader.
    raise SystemExit(f"Waitline cannot start: {error}") from None
