"""The ways to narrow the list of stories, as links: every choice is one tap, with or without
JavaScript, and every link keeps the other filters.

Kinds of care and outcomes are rows of chips; clinics are listed under their region inside one
disclosure, so that "group therapy at my clinic" takes three taps from the home page: the
chip, the clinic list, the clinic.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext

from testimonials.filter_params import CARE_NAMES
from testimonials.public import labels
from testimonials.public.listing import OUTCOME_NAMES, Filters
from testimonials.public.queries import RegionGroup
from testimonials.public.web import listing_href


def build(filters: Filters, path: str, groups: list[RegionGroup],
          themes: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    """Everything the filter panel and the summary of active filters show (`themes`: each
    theme's slug and name in the reader's language)."""
    place = _place(filters, groups)
    care, outcome = labels.words(labels.CARE_TYPE), labels.words(labels.OUTCOME)
    theme_names = dict(themes or [])
    return {
        "themes": _chips(filters, path, "theme", {slug: slug for slug in theme_names},
                         theme_names, filters.theme, gettext("Any theme")) if themes else [],
        "theme_label": theme_names.get(filters.theme or "", gettext("Any theme")),
        "care": _chips(filters, path, "care", CARE_NAMES, care, filters.care,
                       gettext("Any kind of care")),
        "outcome": _chips(filters, path, "outcome", OUTCOME_NAMES, outcome,
                          filters.outcome, gettext("Any outcome")),
        "outcome_label": (outcome[filters.outcome] if filters.outcome
                          else gettext("Any outcome")),
        "place_label": place or gettext("All clinics"),
        "all_places_href": listing_href(path, filters, region=None, facility=None),
        "regions": [_region(filters, path, group) for group in groups],
        "active": _active(filters, path, place, theme_names),
        "clear_href": path,
        "hidden": [(k, v) for k, v in filters.params().items() if k != "q"],
    }


def _chips(filters: Filters, path: str, key: str, names: dict[str, Any],
           words: dict[Any, Any], current: Any, everything: str) -> list[dict[str, Any]]:
    chips = [{"label": everything, "href": listing_href(path, filters, **{key: None}),
              "current": current is None}]
    for name, member in names.items():
        chips.append({"label": words[member],
                      "href": listing_href(path, filters, **{key: name}),
                      "current": current == member})
    return chips


def _region(filters: Filters, path: str, group: RegionGroup) -> dict[str, Any]:
    in_region = filters.region in (group.slug, str(group.id))
    return {
        "name": group.name,
        "href": listing_href(path, filters, region=group.slug, facility=None),
        "current": in_region and filters.facility is None,
        "facilities": [
            {"name": place.name, "city": place.city, "current": filters.facility == place.id,
             "href": listing_href(path, filters, facility=str(place.id), region=None)}
            for place in group.facilities
        ],
    }


def _place(filters: Filters, groups: list[RegionGroup]) -> str | None:
    """The name of the clinic or region the list is narrowed to, if any."""
    for group in groups:
        if filters.facility is None and filters.region in (group.slug, str(group.id)):
            return group.name
        for place in group.facilities:
            if place.id == filters.facility:
                return place.name
    if filters.facility is not None or filters.region is not None:
        return gettext("A clinic or region we do not know")
    return None


def _active(filters: Filters, path: str, place: str | None,
            theme_names: dict[str, str]) -> list[dict[str, str]]:
    """Each filter in force, with a link that removes it."""
    active = []
    if filters.q:
        active.append({"label": gettext("Words: %(q)s", q=filters.q),
                       "href": listing_href(path, filters, q=None)})
    if place:
        active.append({"label": place,
                       "href": listing_href(path, filters, region=None, facility=None)})
    if filters.care is not None:
        active.append({"label": str(labels.CARE_TYPE[filters.care]),
                       "href": listing_href(path, filters, care=None)})
    if filters.outcome is not None:
        active.append({"label": str(labels.OUTCOME[filters.outcome]),
                       "href": listing_href(path, filters, outcome=None)})
    if filters.theme is not None:
        active.append({"label": theme_names.get(filters.theme, filters.theme),
                       "href": listing_href(path, filters, theme=None)})
    return active
