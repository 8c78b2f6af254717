"""The licences, for the licence line of the stories and statistics pages.

Rendered by templates/_licence.html.
"""

from __future__ import annotations

from typing import Any

from testimonials import licences
from testimonials.public import bp


@bp.app_context_processor
def licence_context() -> dict[str, Any]:
    return {"stats_licence": licences.stats, "stories_licence": licences.stories}
