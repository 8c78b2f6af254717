"""The patients' blueprint: the form, the receipt and the private status page /my/<token>."""

from typing import Any

from flask import Blueprint, Response, request

from testimonials.share import logs

bp = Blueprint("share", __name__)
bp.record_once(lambda _state: logs.install())


@bp.after_request
def never_cache(response: Response) -> Response:
    # Stories, e-mails and receipt links must not stay in a shared computer's cache.
    response.headers["Cache-Control"] = "no-store"
    if _private():
        # A receipt link is a key to one person's story: no search engine lists it.
        response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.context_processor
def robots() -> dict[str, Any]:
    """`robots_noindex` for base.html: the <meta> twin of the X-Robots-Tag header."""
    return {"robots_noindex": _private()}


def _private() -> bool:
    return request.path.startswith("/my/")


# Routes register on import.
from testimonials.share import journey, mine, send_link, views  # noqa: E402,F401
