"""The public pages through the test client: list, filters, cursors, one story, the feed."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

import pytest
from flask.testing import FlaskClient
from public_library import SECRETS, T0, Library, publish
from sqlalchemy.orm import Session

from testimonials.models import Setting
from testimonials.vocab import CareType, WaitKind, WaitState

STORY_LINK = re.compile(r'href="/stories/(\d+)"')
OLDER = re.compile(r'rel="next" href="([^"]+)"')
NEWER = re.compile(r'rel="prev" href="([^"]+)"')


def listed(page: str) -> list[int]:
    return [int(found) for found in STORY_LINK.findall(page)]


def unescape(href: str) -> str:
    return href.replace("&amp;", "&")


def test_stories_are_newest_first_twenty_a_page(client: FlaskClient, library: Library) -> None:
    page = client.get("/stories").get_data(as_text=True)
    assert listed(page) == library.published[:20]
    assert not NEWER.search(page)
    older = OLDER.search(page)
    assert older
    second = client.get(unescape(older.group(1))).get_data(as_text=True)
    assert listed(second) == library.published[20:]
    assert not OLDER.search(second)
    # Back again through "newer": the same first page, ties on the time broken by id.
    newer = NEWER.search(second)
    assert newer
    assert listed(client.get(unescape(newer.group(1))).get_data(as_text=True)) == \
        library.published[:20]


def test_pages_never_use_offset(client: FlaskClient, library: Library) -> None:
    page = client.get("/stories").get_data(as_text=True)
    assert "offset" not in page and "page=" not in page
    assert re.search(r"before=[A-Za-z0-9_-]+", page)


@pytest.mark.parametrize("query,expected", [
    ("care=group", lambda lib, ids: ids["group"]),
    ("facility={oakland}", lambda lib, ids: ids["oakland"]),
    ("region=east-bay", lambda lib, ids: ids["east_bay"]),
    ("region={east_bay_id}", lambda lib, ids: ids["east_bay"]),
    ("care=group&facility={oakland}", lambda lib, ids: lib.group_at_oakland),
    ("outcome=got_worse&region=central-valley", lambda lib, ids: ids["worse_fresno"]),
    ("care=child&care_unknown=1", lambda lib, ids: ids["child"]),
])
def test_filters_combine(client: FlaskClient, session: Session, library: Library,
                         query: str, expected) -> None:  # type: ignore[no-untyped-def]
    from testimonials.models import Submission

    rows = {row.id: row for row in session.query(Submission).filter(
        Submission.id.in_(library.published))}
    newest = library.published

    def where(test) -> list[int]:  # type: ignore[no-untyped-def]
        return [i for i in newest if test(rows[i])][:20]

    ids = {
        "group": where(lambda r: r.care_types & CareType.GROUP),
        "child": where(lambda r: r.care_types & CareType.CHILD),
        "oakland": where(lambda r: r.facility_id == library.oakland.id),
        "east_bay": where(lambda r: r.facility_id in (library.oakland.id, library.richmond.id)),
        "worse_fresno": where(lambda r: r.outcomes & 8 and r.facility_id == library.fresno.id),
    }
    url = "/stories?" + query.format(oakland=library.oakland.id,
                                     east_bay_id=library.oakland.region_id)
    response = client.get(url)
    assert response.status_code == 200
    assert listed(response.get_data(as_text=True)) == expected(library, ids)


def test_empty_results_say_so_and_suggest_widening(client: FlaskClient, library: Library) -> None:
    page = client.get(f"/stories?care=crisis&facility={library.fresno.id}").get_data(as_text=True)
    assert listed(page) == []
    assert "No stories match all of these choices." in page
    assert "Try removing one of them" in page
    # Each filter can be taken away with one link, and all at once.
    assert f'href="/stories?facility={library.fresno.id}"' in page
    assert 'href="/stories?care=crisis"' in page
    assert "Show all stories" in page


def test_unknown_facility_is_an_empty_list_not_an_error(client: FlaskClient,
                                                        library: Library) -> None:
    response = client.get("/stories?facility=999999")
    assert response.status_code == 200
    assert listed(response.get_data(as_text=True)) == []


@pytest.mark.parametrize("query", [
    "before=not-a-cursor", "after=%%%", "before=MTIz", "facility=abc", "facility=-1",
    "care=everything", "outcome=bored", "region=East%20Bay", "care=group&care=individual",
    "before=MTc2NzYwNTQwMDAwMDAwMC4x&after=MTc2NzYwNTQwMDAwMDAwMC4x",
])
def test_malformed_parameters_get_a_plain_400(client: FlaskClient, query: str) -> None:
    response = client.get(f"/stories?{query}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Traceback" not in page and "<h1>" in page


def test_filter_links_keep_the_other_filters(client: FlaskClient, library: Library) -> None:
    page = client.get("/stories?care=group&q=therapist").get_data(as_text=True)
    # The clinic links keep the kind of care and the words.
    assert f"/stories?care=group&amp;q=therapist&amp;facility={library.oakland.id}" in page
    # The kind-of-care chips keep the words.
    assert "/stories?care=individual&amp;q=therapist" in page
    # The language switch keeps everything.
    assert re.search(r'href="/stories\?[^"]*care=group[^"]*q=therapist[^"]*lang=es"', page) or \
        re.search(r'href="/stories\?[^"]*lang=es[^"]*"', page)
    switch = re.search(r'href="(/stories\?[^"]*lang=es[^"]*)"', page)
    assert switch and "care=group" in switch.group(1) and "q=therapist" in switch.group(1)


def test_one_story_shows_its_place_waits_standards_and_month(client: FlaskClient,
                                                             session: Session,
                                                             library: Library) -> None:
    row = publish(session, library.oakland, when=T0, title="I waited <3 months & cried",
                  story="I waited <3 months & cried. " * 4, care=CareType.GROUP,
                  waits={WaitKind.INTAKE: (WaitState.ENDED, 45),
                         WaitKind.FIRST_RETURN: (WaitState.WAITING, 9)})
    session.commit()
    response = client.get(f"/stories/{row.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h1 id=\"story-title\" lang=\"en\">I waited &lt;3 months &amp; cried</h1>" in page
    assert "Oakland Medical Center" in page and "East Bay" in page
    assert "May 2026" in page
    assert "45 days" in page and "longer than the legal standard" in page
    assert "still waiting after 9 days" in page
    assert "Legal standard: 10 business days" in page
    assert f'href="/stats?facility={library.oakland.id}"' in page
    assert "Group therapy" in page


def test_story_has_open_graph_and_twitter_card_with_absolute_urls(client: FlaskClient,
                                                                  library: Library) -> None:
    story_id = library.published[0]
    page = client.get(f"/stories/{story_id}").get_data(as_text=True)
    meta = dict(re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"', page))
    assert meta["og:url"] == f"http://localhost/stories/{story_id}"
    assert meta["og:image"].startswith("http://localhost/static/img/")
    assert meta["og:type"] == "article" and meta["og:title"] and meta["og:description"]
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["twitter:title"] == meta["og:title"]
    assert f'<link rel="canonical" href="http://localhost/stories/{story_id}">' in page


@pytest.mark.parametrize("which,status", [
    ("withdrawn", 410), ("unpublished", 410), ("rejected", 404), ("pending", 404),
])
def test_stories_not_public_are_gone_or_unknown(client: FlaskClient, library: Library,
                                                which: str, status: int) -> None:
    response = client.get(f"/stories/{getattr(library, which)}")
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert SECRETS["original"] not in page and "Read the stories" in page


@pytest.mark.parametrize("path", ["/stories/999999", "/stories/99999999999999999999",
                                  "/stories/0", "/stories/abc"])
def test_unknown_story_is_404(client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_public_pages_carry_no_private_field(client: FlaskClient, library: Library) -> None:
    pages = ["/", "/stories", "/stories?care=group", "/stories.atom",
             *[f"/stories/{i}" for i in library.published[:3]]]
    for path in pages:
        body = client.get(path).get_data(as_text=True)
        for name, secret in SECRETS.items():
            assert secret not in body, (path, name)
        assert "ORIGINAL-TITLE" not in body


def test_public_pages_set_no_cookie_unless_language_is_chosen(client: FlaskClient,
                                                              library: Library) -> None:
    for path in ("/", "/stories", f"/stories/{library.published[0]}", "/stories.atom"):
        assert "Set-Cookie" not in client.get(path).headers, path
    assert "lang=es" in client.get("/stories?lang=es").headers["Set-Cookie"]


def test_atom_feed_is_valid_and_escapes_everything(client: FlaskClient, session: Session,
                                                   library: Library) -> None:
    tricky = publish(session, library.fresno, when=T0.replace(year=2027),
                     title="<b>Bold</b> & \"quoted\" ]]>", story="<script>x</script> & more " * 5,
                     display_name=None)
    session.commit()
    response = client.get("/stories.atom")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.fromstring(response.data)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    for required in ("a:id", "a:title", "a:updated", "a:author/a:name"):
        assert root.find(required, ns) is not None, required
    assert root.find("a:link[@rel='self']", ns) is not None
    entries = root.findall("a:entry", ns)
    assert len(entries) == 26
    first = entries[0]
    for required in ("a:id", "a:title", "a:updated", "a:link[@rel='alternate']", "a:content",
                     "a:author/a:name"):
        assert first.find(required, ns) is not None, required
    assert first.find("a:title", ns).text == "<b>Bold</b> & \"quoted\" ]]>"  # type: ignore[union-attr]
    assert first.find("a:author/a:name", ns).text == "Anonymous"  # type: ignore[union-attr]
    assert first.find("a:id", ns).text == f"http://localhost/stories/{tricky.id}"  # type: ignore[union-attr]
    assert b"<script>" not in response.data


def test_atom_feed_takes_the_filters(client: FlaskClient, library: Library) -> None:
    root = ET.fromstring(client.get(f"/stories.atom?care=group&facility={library.oakland.id}").data)
    ids = [entry.findtext("{http://www.w3.org/2005/Atom}id") for entry in
           root.findall("{http://www.w3.org/2005/Atom}entry")]
    assert ids == [f"http://localhost/stories/{i}" for i in library.group_at_oakland]


def test_spanish_pages(client: FlaskClient, library: Library) -> None:
    headers = {"Accept-Language": "es-MX,es;q=0.9"}
    page = client.get("/stories?care=group", headers=headers).get_data(as_text=True)
    assert '<html lang="es">' in page
    assert "Historias" in page and "Terapia de grupo" in page
    story = client.get(f"/stories/{library.published[0]}", headers=headers).get_data(as_text=True)
    assert "Cuánto duraron las esperas" in story or "esperas" in story
    assert "días hábiles" in story
    assert "mayo de 2026" in story
    home = client.get("/", headers=headers).get_data(as_text=True)
    assert "Comparte tu historia" in home and "Historias recientes" in home


def test_home_shows_who_runs_it_figures_and_recent_stories(client: FlaskClient,
                                                           library: Library) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "is run by a patients&#39; and clinicians&#39; campaign" in page
    assert '<span class="figure-number">25</span>' in page
    assert "stories published" in page
    # Every story answered the return wait (60 days), none the first one: one median shows,
    # the other says why it does not.
    assert "Median wait for a first return visit" in page and "60 days" in page
    assert "Fewer than 11 answers so far" in page
    assert listed(page)[:3] == library.published[:3]
    assert 'href="/share"' in page


def test_home_says_fewer_than_eleven_when_there_are_few_answers(client: FlaskClient,
                                                                 session: Session) -> None:
    publish(session, None, when=T0)
    session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "Fewer than 11 answers so far" in page


def test_a_story_without_care_type_or_outcome_still_shows_its_date(client: FlaskClient,
                                                                   session: Session,
                                                                   library: Library) -> None:
    row = publish(session, library.oakland, when=T0, care=0, outcomes=0)
    session.commit()
    page = client.get(f"/stories/{row.id}").get_data(as_text=True)
    assert "<dt>Published</dt>" in page and "Kind of care" not in page


def test_home_names_the_minimum_group_size_admins_set(client: FlaskClient,
                                                      session: Session) -> None:
    session.add(Setting(key="STATS_MIN_CELL", value=20))
    session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "never show a group of fewer than 20 answers" in page
    assert "Fewer than 20 answers so far" in page
