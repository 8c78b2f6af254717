"""The licences the site publishes its figures and stories under, by SPDX identifier.

Chosen in configuration (STATS_LICENCE, STORIES_LICENCE); every page, download and API
document that carries figures or stories names its licence through `stats()` or `stories()`.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app


@dataclass(frozen=True, slots=True)
class Licence:
    spdx: str  # "CC-BY-4.0"
    name: str  # "Creative Commons Attribution 4.0 International"
    url: str

    def as_dict(self) -> dict[str, str]:
        """The Frictionless data package's shape: name, title, path."""
        return {"name": self.spdx, "title": self.name, "path": self.url}


KNOWN: dict[str, Licence] = {
    licence.spdx: licence
    for licence in (
        Licence("CC-BY-4.0", "Creative Commons Attribution 4.0 International",
                "https://creativecommons.org/licenses/by/4.0/"),
        Licence("CC-BY-SA-4.0", "Creative Commons Attribution-ShareAlike 4.0 International",
                "https://creativecommons.org/licenses/by-sa/4.0/"),
        Licence("CC-BY-NC-4.0", "Creative Commons Attribution-NonCommercial 4.0 International",
                "https://creativecommons.org/licenses/by-nc/4.0/"),
        Licence("CC-BY-NC-ND-4.0",
                "Creative Commons Attribution-NonCommercial-NoDerivatives 4.0 International",
                "https://creativecommons.org/licenses/by-nc-nd/4.0/"),
        Licence("CC0-1.0", "Creative Commons Zero v1.0 Universal",
                "https://creativecommons.org/publicdomain/zero/1.0/"),
        Licence("ODbL-1.0", "Open Data Commons Open Database License v1.0",
                "https://opendatacommons.org/licenses/odbl/1-0/"),
    )
}


def by_id(spdx: str) -> Licence:
    """The licence named by `spdx`; configuration checks refuse an unknown one at start."""
    return KNOWN[spdx]


def stats() -> Licence:
    return by_id(current_app.config["STATS_LICENCE"])


def stories() -> Licence:
    return by_id(current_app.config["STORIES_LICENCE"])
