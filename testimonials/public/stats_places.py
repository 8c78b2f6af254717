"""A facility asked for with a region it is not in: the statistics of the region, and why.

The filters' form offers a region and a facility side by side; without JavaScript a reader can
send a facility of another region. Rather than refuse (a 404 reads as "no such place"), the
page shows the region asked for and says where the facility is, with a link to it alone. The
view sends the reader to the region's address with `elsewhere=<facility id>`, which this
module turns into that notice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import url_for
from flask_babel import gettext

from testimonials.stats.filters import Places

ELSEWHERE = "elsewhere"

# (text, link to the facility alone, the link's words): hashable, for the page's cache key.
Notice = tuple[str, str, str]


def region_only(args: Mapping[str, str]) -> str:
    """The address of the region's statistics, remembering the facility that was not in it."""
    kept: dict[str, Any] = {key: value for key, value in args.items()
                            if key not in ("facility", ELSEWHERE)}
    kept[ELSEWHERE] = args.get("facility", "")
    return url_for("public.stats", **kept)


def elsewhere_notice(args: Mapping[str, str], known: Places) -> Notice | None:
    """What to tell a reader sent on by `region_only`, or None (nothing to explain)."""
    facility = known.facility(args.get(ELSEWHERE) or "")
    chosen = known.region(args.get("region") or "")
    if facility is None or chosen is None or facility.region_id == chosen.id:
        return None
    home = known.region_by_id(facility.region_id)
    text = gettext("%(facility)s is in %(its_region)s, not in %(region)s, so these are the "
                   "statistics for %(region)s.", facility=facility.name,
                   its_region=home.name if home else "?", region=chosen.name)
    # No care type with a facility: those statistics are not published (stats.filters).
    return (text, url_for("public.stats", facility=facility.id),
            gettext("See %(facility)s alone", facility=facility.name))
