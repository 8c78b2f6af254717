"""The report for officials and press: a place's figures as its release publishes them, the
stories moderators picked (shareable ones only), and the standalone file of `export report`."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.models import Account, Facility, ReportPick
from testimonials.services import report_picks, submissions
from testimonials.stats.place_report import Place
from testimonials.vocab import CareType, Role, Status, WaitKind, WaitState
from tests import builders, snapshots

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


class Cells(HTMLParser):
    """The key-figures table as {series: {field: text}}, read from the page as a reader sees it."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, dict[str, str]] = {}
        self._series: str | None = None
        self._field: str | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "tr" and found.get("data-series"):
            self._series = found["data-series"]
            self.rows[self._series] = {}
        elif self._series and found.get("data-field"):
            self._field = found["data-field"]
            self.rows[self._series][self._field] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._field = None
        if tag == "tr":
            self._series = None

    def handle_data(self, data: str) -> None:
        if self._series and self._field:
            self.rows[self._series][self._field] += data


def number_in(text: str) -> int | None:
    found = re.search(r"[0-9][0-9,.\u00a0 ]*", text)
    return int(re.sub(r"[^0-9]", "", found.group(0))) if found else None


# Built once per worker and kind of database, then copied into each later test's fresh
# database (tests/snapshots.py): the 53 stories and the release cut over them were most of
# these tests' time (issue 19). Each test still gets a database of its own holding exactly
# what the build leaves, and rows loaded by its own session.
_BUILT: dict[str, snapshots.Snapshot] = {}
PLACES = {"big": ("Big Clinic", "Oakland", "East Bay"),
          "small": ("Small Clinic", "Berkeley", "East Bay")}


@pytest.fixture
def places(app: Flask, session: Session) -> dict[str, Facility]:
    snapshots.built_once(app.extensions["waitline.engine"], _BUILT, lambda: _build(app, session))
    session.expire_all()
    named = {row.name: row for row in session.scalars(select(Facility))}
    found = {key: named[name] for key, (name, *_where) in PLACES.items()}
    session.commit()  # as the build ends: no transaction open, the rows read afresh
    return found


def _build(app: Flask, session: Session) -> None:
    big, small = (builders.facility(session, *where) for where in PLACES.values())
    for number in range(50):
        builders.submission(
            session, status=Status.APPROVED, place=big, consent_share=number % 3 == 0,
            # At least STATS_MIN_CELL answers within the standard of 14 days and beyond it:
            # fewer on either side and the release withholds the share (finding 5).
            waits={WaitKind.FIRST_RETURN: (WaitState.ENDED, 3 + number),
                   WaitKind.INTAKE: (WaitState.WAITING if number % 4 else WaitState.ENDED,
                                     3 + number)})
    for number in range(3):
        builders.submission(session, status=Status.APPROVED, place=small,
                            care_types=int(CareType.GROUP),
                            waits={WaitKind.PSYCHIATRY: (WaitState.ENDED, 40 + number)})
    session.commit()
    # The report's layout and figures, not their protection: without the audit (on by
    # default), which would withhold the figures of a clinic where most chose statistics only.
    app.config["STATS_PROTECTION_AUDIT"] = False
    builders.release(app)


def test_a_facility_report_shows_the_numbers_of_that_facility_in_its_release(
        client: FlaskClient, places: dict[str, Facility]) -> None:
    big = places["big"]
    page = client.get(f"/stats/report?facility={big.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    data = client.get(f"/stats/releases/1.json?facility={big.id}").get_json()
    cells = Cells()
    cells.feed(html)
    compared = 0
    for wait in data["waits"]:
        group = wait["group"]
        if group["suppressed"] or not group["count"]:
            assert wait["series"] not in cells.rows
            continue
        row = cells.rows[wait["series"]]
        figures = group["figures"]
        assert number_in(row["count"]) == group["count"]
        for field in ("median", "p90"):
            value = figures["percentiles"][field]
            assert number_in(row[field]) == (value["days"] if value["days"] is not None
                                             else value["more_than"]), field
        for field in ("share_gave_up", "share_over_standard"):
            if figures[field] is None:  # withheld: it would give a withheld count back
                assert "%" not in row[field], (field, row[field])
            else:
                assert number_in(row[field]) == round(figures[field] * 100), field
        assert number_in(row["n_over_standard"]) == figures["n_over_standard"]
        compared += 1
    assert compared >= 2, [(w['series'], w['group']['suppressed'], w['group']['count']) for w in data['waits']]  # noqa: E501
    assert "Big Clinic" in html and "East Bay" in html and "release 1" in html


def test_the_region_report_lists_its_facilities_as_the_release_does(
        client: FlaskClient, places: dict[str, Facility]) -> None:
    big = places["big"]
    html = client.get(f"/stats/report?region={big.region_id}").get_data(as_text=True)
    data = client.get(f"/stats/releases/1.json?region={big.region_id}").get_json()
    series = re.search(r'<table class="within" data-series="([a-z_]+)"', html).group(1)
    wait = next(w for w in data["waits"] if w["series"] == series)
    facilities = next(b for b in wait["group"]["breakdowns"] if b["name"] == "facility")
    rows = dict(re.findall(r'<tr data-key="([^"]+)">\s*<th scope="row">[^<]*</th>\s*'
                           r'<td data-field="count">([^<]*)</td>', html))
    shown = [g for g in facilities["groups"] if not g["suppressed"] and g["count"]]
    assert shown and {g["key"] for g in shown} == set(rows)
    for group in shown:
        assert number_in(rows[group["key"]]) == group["count"]


def test_a_hidden_group_is_named_in_one_line_without_figures(
        client: FlaskClient, places: dict[str, Facility]) -> None:
    html = client.get(f"/stats/report?facility={places['small'].id}").get_data(as_text=True)
    assert "Not shown here, to protect privacy" in html
    assert 'data-series="psychiatry"' not in html
    data = client.get(f"/stats.json?facility={places['small'].id}").get_json()
    assert [w for w in data["waits"] if w["series"] == "psychiatry"][0]["group"]["suppressed"]


def test_the_site_and_region_reports_and_an_earlier_release_have_their_addresses(
        client: FlaskClient, places: dict[str, Facility]) -> None:
    assert client.get("/stats/report").status_code == 200
    assert client.get("/stats/report?region=east-bay").status_code == 200
    assert client.get(f"/stats/report?region={places['big'].region_id}").status_code == 200
    page = client.get("/stats/releases/1/report?lang=es")
    assert page.status_code == 200
    assert 'lang="es"' in page.get_data(as_text=True)
    assert "Informe" in page.get_data(as_text=True)


@pytest.mark.parametrize("query", ["facility=99999", "region=nowhere", "facility=abc",
                                   "facility=1&care=group"])
def test_a_place_we_do_not_have_gets_a_reason_not_a_report(
        client: FlaskClient, places: dict[str, Facility], query: str) -> None:
    response = client.get(f"/stats/report?{query}")
    assert response.status_code in (400, 404)
    assert "<h1" in response.get_data(as_text=True)
    # The print header and the share image refuse the same place the same way.
    for address in ("/stats/releases/1/report.css", "/stats/releases/1/report.png"):
        refused = client.get(f"{address}?{query}")
        assert refused.status_code == response.status_code
        assert refused.mimetype == "text/html" and "<h1" in refused.get_data(as_text=True)
    for address in ("report", "report.css", "report.png"):
        assert client.get(f"/stats/releases/7/{address}").status_code == 404


def test_the_report_has_share_tags_and_a_print_header_of_its_own(
        client: FlaskClient, places: dict[str, Facility]) -> None:
    big = places["big"]
    html = client.get(f"/stats/report?facility={big.id}").get_data(as_text=True)
    for tag in ('property="og:title"', 'property="og:description"', 'property="og:image"',
                'name="twitter:card" content="summary_large_image"'):
        assert tag in html
    description = re.search(r'property="og:description" content="([^"]+)"', html).group(1)
    assert "legal standard" in description
    css = client.get(f"/stats/releases/1/report.css?facility={big.id}")
    assert css.status_code == 200 and css.mimetype == "text/css"
    text = css.get_data(as_text=True)
    assert "@top-left" in text and "counter(pages)" in text and "</" not in text


def test_the_release_page_links_to_the_report_of_its_place(
        client: FlaskClient, places: dict[str, Facility]) -> None:
    big = places["big"]
    html = client.get(f"/stats?facility={big.id}").get_data(as_text=True)
    assert f'href="/stats/releases/1/report?facility={big.id}"' in html


def _moderator(session: Session) -> Account:
    account = Account(email="picker@example.org", role=Role.MODERATOR, password_hash="x",
                      active=True)
    session.add(account)
    session.flush()
    return account


def test_only_published_stories_shared_with_officials_can_be_picked(
        app: Flask, session: Session, places: dict[str, Facility]) -> None:
    big = places["big"]
    moderator = _moderator(session)
    place = Place("facility", big.id)
    private = builders.submission(session, status=Status.APPROVED, place=big,
                                  consent_share=False)
    pending = builders.submission(session, place=big, consent_share=True)
    for story in (private, pending):
        with pytest.raises(report_picks.PickRefused):
            report_picks.pick(session, place, story.id, moderator, NOW)
    elsewhere = builders.submission(session, status=Status.APPROVED, place=places["small"],
                                    consent_share=True)
    with pytest.raises(report_picks.PickRefused, match="elsewhere"):
        report_picks.pick(session, place, elsewhere.id, moderator, NOW)
    shared = report_picks.candidates(session, place)
    assert shared and all(s.submission_id not in (private.id, pending.id) for s in shared)


def test_a_withdrawn_story_leaves_every_report(
        app: Flask, client: FlaskClient, session: Session, places: dict[str, Facility]) -> None:
    big = places["big"]
    moderator = _moderator(session)
    story = builders.submission(session, status=Status.APPROVED, place=big, consent_share=True,
                                public_title="The long wait for Ana's therapist",
                                display_name="Ana Secretname")
    for place in (Place("site"), Place("region", big.region_id), Place("facility", big.id)):
        report_picks.pick(session, place, story.id, moderator, NOW)
    session.commit()
    for query in ("", f"?region={big.region_id}", f"?facility={big.id}"):
        html = client.get(f"/stats/report{query}").get_data(as_text=True)
        assert "The long wait for Ana&#39;s therapist" in html
        assert "Secretname" not in html
    submissions.withdraw(session, session.get(type(story), story.id), NOW)
    session.commit()
    for query in ("", f"?region={big.region_id}", f"?facility={big.id}"):
        html = client.get(f"/stats/report{query}").get_data(as_text=True)
        assert "Ana&#39;s therapist" not in html
    assert session.query(ReportPick).count() == 3  # inert, not shown


def test_export_report_writes_a_standalone_file(
        runner: FlaskCliRunner, places: dict[str, Facility], tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "report.html"
    result = runner.invoke(args=["export", "report", "--place", f"facility:{places['big'].id}",
                                 "-o", str(target)])
    assert result.exit_code == 0, result.output
    html = target.read_text(encoding="utf-8")
    assert "<style>" in html and "@top-left" in html and "Big Clinic" in html
    # Nothing to fetch: no stylesheet, script or image is loaded from anywhere.
    assert not re.search(r'<link[^>]+rel="stylesheet"|<script|<img|url\(', html)
    assert 'rel="icon" href="data:,"' in html
    bad = runner.invoke(args=["export", "report", "--place", "county:3", "-o", str(target)])
    assert bad.exit_code != 0 and "--place" in bad.output
    missing = runner.invoke(args=["export", "report", "--place", "facility:99999",
                                  "-o", str(tmp_path / "none.html")])
    assert missing.exit_code != 0 and "404" in missing.output


def bounds(text: str) -> str:
    """An interval's text without its "95% CI" (which holds a number of its own)."""
    return re.sub(r"^\s*95% CI", "", text)


def test_each_figure_of_the_report_has_the_interval_the_release_publishes(
        client: FlaskClient, places: dict[str, Facility]) -> None:
    big = places["big"]
    cells = Cells()
    cells.feed(client.get(f"/stats/report?facility={big.id}").get_data(as_text=True))
    data = client.get(f"/stats/releases/1.json?facility={big.id}").get_json()
    checked = 0
    for wait in data["waits"]:
        if wait["series"] not in cells.rows:
            continue
        row, intervals = cells.rows[wait["series"]], wait["group"]["figures"]["intervals"]
        for field, name in (("median_ci", "median"), ("p90_ci", "p90")):
            interval = intervals[name]
            if interval["low"] is None or interval["high"] is None:
                assert field not in row or "more than" in row[field]
                continue
            low, high = re.findall(r"[0-9]+", bounds(row[field]))[:2]
            assert (int(low), int(high)) == (interval["low"], interval["high"]), field
        share = intervals["share_over_standard"]
        if share["low"] is not None and share["high"] is not None:
            low, high = re.findall(r"[0-9]+", bounds(row["share_over_standard_ci"]))
            assert (int(low), int(high)) == (round(share["low"] * 100), round(share["high"] * 100))
            checked += 1
        n = wait["group"]["figures"]["n_in_estimate"]
        if n < wait["group"]["count"]:
            assert number_in(row["n_in_estimate"]) == n
    assert checked >= 1


def test_each_report_shares_a_card_of_its_own_headline(
        client: FlaskClient, places: dict[str, Facility]) -> None:
    import io

    from PIL import Image

    big = places["big"]
    html = client.get(f"/stats/report?facility={big.id}").get_data(as_text=True)
    image = re.search(r'property="og:image" content="([^"]+)"', html).group(1)
    assert image.endswith(f"/stats/releases/1/report.png?facility={big.id}")
    assert f'name="twitter:image" content="{image}"' in html
    alt = re.search(r'property="og:image:alt" content="([^"]+)"', html).group(1)
    headline = re.search(r'<p class="headline">([^<]+)</p>', html).group(1)
    assert alt == headline and "95% CI" in headline
    card = client.get(image.split("://", 1)[1].split("/", 1)[1].join(["/", ""]))
    assert card.status_code == 200 and card.mimetype == "image/png"
    assert Image.open(io.BytesIO(card.data)).size == (1200, 630)
    site = client.get("/stats/releases/1/report.png")
    assert site.status_code == 200 and site.data != card.data  # another place, another card
    assert client.get("/stats/releases/1/report.png?facility=99999").status_code == 404
    assert client.get("/stats/releases/9/report.png").status_code == 404


def test_picked_stories_are_grouped_by_their_themes(
        app: Flask, client: FlaskClient, session: Session, places: dict[str, Facility]) -> None:
    from testimonials.models import SubmissionTheme, Theme

    big = places["big"]
    moderator = _moderator(session)
    place = Place("facility", big.id)
    themes = {theme.slug: theme for theme in session.query(Theme)}  # seeded, or not
    for slug, english, spanish in (("medication-gap", "Medication gap", "Sin medicación"),
                                   ("cancelled-appointment", "Cancelled appointment",
                                    "Cita cancelada")):
        if slug not in themes:
            themes[slug] = Theme(slug=slug, name_en=english, name_es=spanish)
            session.add(themes[slug])
    session.flush()
    gap, cancelled = themes["medication-gap"], themes["cancelled-appointment"]
    assert (gap.name_en, gap.name_es) == ("Medication gap", "Sin medicación")
    stories = [builders.submission(session, status=Status.APPROVED, place=big,
                                   consent_share=True, public_title=f"Story {letter}")
               for letter in "ABCD"]
    tags = {0: [gap], 1: [cancelled], 2: [cancelled, gap]}
    for index, story in enumerate(stories):
        report_picks.pick(session, place, story.id, moderator, NOW)
        for theme in tags.get(index, []):
            session.add(SubmissionTheme(submission_id=story.id, theme_id=theme.id))
    session.commit()
    html = client.get(f"/stats/report?facility={big.id}").get_data(as_text=True)
    order = re.findall(r'<h3 class="theme">([^<]+)</h3>|<h4>(Story [A-D])</h4>', html)
    assert [a or b for a, b in order] == [
        "Medication gap", "Story A", "Story C", "Cancelled appointment", "Story B",
        "Other stories", "Story D"]
    spanish = client.get(f"/stats/report?facility={big.id}&lang=es").get_data(as_text=True)
    assert '<h3 class="theme">Sin medicación</h3>' in spanish
    assert '<h3 class="theme">Otras historias</h3>' in spanish


def test_a_share_the_release_withholds_is_said_withheld_not_unestimated(
        app: Flask, client: FlaskClient, session: Session) -> None:
    """A share over the standard withheld to protect people is said to be withheld (as the
    release's reason says), not "not estimated"; a share the data cannot reach still is."""
    builders.lone_clinic_withheld(app, session)
    data = client.get("/stats/releases/1.json").get_json()
    figures = {wait["series"]: wait["group"]["figures"] for wait in data["waits"]}
    withheld, unreached = figures["first_return"], figures["intake"]
    assert withheld["share_over_standard"] is None and withheld["n_over_standard"] is None
    assert withheld["intervals"]["share_over_standard"]["withheld"] == "extreme"
    assert withheld["intervals"]["p90"]["withheld"] == "extreme"  # among the 4 longest
    assert unreached["share_over_standard"] is None
    assert unreached["intervals"]["share_over_standard"]["withheld"] is None
    for language, (said_withheld, not_estimated) in {
            "en": ("withheld to protect privacy", "not estimated"),
            "es": ("no se publica, para proteger la privacidad", "sin estimación")}.items():
        cells = Cells()
        cells.feed(client.get(f"/stats/report?lang={language}").get_data(as_text=True))
        rows = cells.rows
        assert rows["first_return"]["share_over_standard"].strip() == said_withheld, language
        assert rows["first_return"]["p90"].strip() == said_withheld, language
        assert rows["intake"]["share_over_standard"].strip() == not_estimated, language


# Held figures: release 1 shows two clinics; three people join the first (its groups move by a
# few and release 2 hides them) and fifteen the other; release 2. The first clinic's report of
# release 2 gives release 1's figures, apart and marked as of release 1 (as /stats does).
class HeldCells(Cells):
    """The held tables' rows as {series or key: {field: text}} (`data-held-series`,
    `data-held-key`): what the report gives as an earlier release's."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        held = found.get("data-held-series") or found.get("data-held-key")
        if tag == "tr" and held:
            self._series = held
            self.rows[held] = {}
        elif self._series and found.get("data-field"):
            self._field = found["data-field"]
            self.rows[self._series][self._field] = ""


def _people(session: Session, place: Facility, count: int, first: int = 0) -> None:
    # Enough on each side of the standard for a release to give the share over it (the
    # headline, whose wait the places within are of).
    for number in range(first, first + count):
        builders.submission(session, status=Status.APPROVED, place=place,
                            waits=builders.intake_ended(number))
    session.commit()


@pytest.fixture
def held(app: Flask, session: Session) -> dict[str, Facility]:
    big, far = builders.a_few_joined(app, session)
    return {"big": big, "far": far}


def _intake(doc: dict) -> dict:  # type: ignore[type-arg]
    return next(w["group"] for w in doc["waits"] if w["series"] == "intake")


def test_a_wait_hidden_in_release_2_is_given_release_1s_figures_marked_as_of_release_1(
        client: FlaskClient, held: dict[str, Facility]) -> None:
    big = held["big"]
    facility = f"?facility={big.id}"
    shown = _intake(client.get(f"/stats/releases/1.json{facility}").get_json())
    now = _intake(client.get(f"/stats/releases/2.json{facility}").get_json())
    assert now["suppressed"] and now["held"]["release"] == 1  # the case this test is about
    html = client.get(f"/stats/report{facility}").get_data(as_text=True)
    assert "release 2" in html
    # Never as a current figure: not in this release's table, not the headline, not "hidden".
    current = Cells()
    current.feed(html)
    assert "intake" not in current.rows
    assert '<p class="headline">' not in html
    assert "Not shown here, to protect privacy" not in html
    # Apart, in the muted table of an earlier release's figures, each row marked and linked.
    rows = HeldCells()
    rows.feed(html)
    row = rows.rows["intake"]
    assert 'class="key-figures held-figures"' in html
    assert "Hidden in this release: as the latest earlier release that showed them" in html
    assert row["as_of"].strip().startswith("as of release 1, ")
    assert f'<a href="http://localhost/stats/releases/1{facility}">as of release 1, ' in html
    figures = shown["figures"]
    assert number_in(row["count"]) == shown["count"] == 30
    assert number_in(row["median"]) == figures["percentiles"]["median"]["days"]
    assert number_in(row["p90"]) == figures["percentiles"]["p90"]["days"]
    if figures["share_over_standard"] is not None:
        assert number_in(row["share_over_standard"]) == round(figures["share_over_standard"]
                                                              * 100)
    # The people counted: hidden now, given as release 1 counted them, marked the same way.
    people = client.get(f"/stats/releases/1.json{facility}").get_json()["respondents"]
    assert f"An earlier release counted {people['count']} people here" in html
    assert "People counted here:" not in html
    spanish = client.get(f"/stats/report{facility}&lang=es").get_data(as_text=True)
    assert "según la edición 1, " in spanish and "Una edición anterior contó aquí" in spanish
    assert "publicación" not in spanish  # one word for a release on one page
    # Release 1's own report gives them as its current figures, nothing held.
    first = client.get(f"/stats/releases/1/report{facility}").get_data(as_text=True)
    assert "held-figures" not in first
    current = Cells()
    current.feed(first)
    assert number_in(current.rows["intake"]["count"]) == 30


def test_the_places_within_list_a_held_place_apart_after_the_shown_ones(
        app: Flask, client: FlaskClient, session: Session, held: dict[str, Facility]) -> None:
    # Two more regions for release 3: one that grows past its move (shown again), one too
    # small ever to be shown (hidden, and held by no release).
    _people(session, builders.facility(session, "North Clinic", "Eureka", "North Coast"), 40)
    _people(session, builders.facility(session, "Tiny Clinic", "Bishop", "Sierra"), 3)
    _people(session, held["far"], 12, first=55)
    assert builders.release(app) == 3
    html = client.get("/stats/report").get_data(as_text=True)
    doc = client.get("/stats/releases/3.json").get_json()
    regions = next(b for b in _intake(doc)["breakdowns"] if b["name"] == "region")["groups"]
    shown = {g["key"] for g in regions if not g["suppressed"] and g["count"]}
    kept = {g["key"]: g["held"] for g in regions if g["suppressed"] and g.get("held")}
    rest = [g["key"] for g in regions if g["suppressed"] and not g.get("held")]
    assert shown and kept and rest, regions  # each kind, or the test proves nothing
    current = re.search(r'<table class="within" .*?</table>', html, re.S).group(0)
    apart = re.search(r'<table class="within held-figures" .*?</table>', html, re.S).group(0)
    assert html.index(current) < html.index(apart)  # after the shown ones
    assert set(re.findall(r'<tr data-key="([^"]+)"', current)) == shown
    rows = HeldCells()
    rows.feed(apart)
    assert set(rows.rows) == set(kept)
    for key, earlier in kept.items():
        assert number_in(rows.rows[key]["count"]) == earlier["count"]
        assert rows.rows[key]["as_of"].strip().startswith(f"as of release {earlier['release']}, ")
        assert f'<a href="http://localhost/stats/releases/{earlier["release"]}">as of release' \
            in apart
    assert "hidden in this release, as the latest earlier release that showed them" in apart
    # The count of hidden regions counts only those with no earlier figures.
    assert f"{len(rest)} more region{'s are' if len(rest) > 1 else ' is'} not shown" in html


def test_export_report_gives_the_held_figures_with_their_release(
        runner: FlaskCliRunner, held: dict[str, Facility], tmp_path) -> None:  # type: ignore[no-untyped-def]
    big = held["big"]
    target = tmp_path / "report.html"
    result = runner.invoke(args=["export", "report", "--place", f"facility:{big.id}",
                                 "-o", str(target)])
    assert result.exit_code == 0, result.output
    html = target.read_text(encoding="utf-8")
    rows = HeldCells()
    rows.feed(html)
    assert number_in(rows.rows["intake"]["count"]) == 30
    assert f'<a href="http://localhost/stats/releases/1?facility={big.id}">as of release 1, ' \
        in html
    current = Cells()
    current.feed(html)
    assert "intake" not in current.rows
