"""The patients' blueprint: the form, the receipt and the private status page /my/<token>."""

from flask import Blueprint, Response

from testimonials.share import logs

bp = Blueprint("share", __name__)
bp.record_once(lambda _state: logs.install())


@bp.after_request
def never_cache(response: Response) -> Response:
    # Stories, e-mails and receipt links must not stay in a shared computer's cache.
    response.headers["Cache-Control"] = "no-store"
    return response


# Routes register on import.
from testimonials.share import journey, mine, send_link, views  # noqa: E402,F401
