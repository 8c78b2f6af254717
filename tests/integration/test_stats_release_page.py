"""The release page that leads with findings: its sentences, chart files and share cards."""

from __future__ import annotations

import gzip
import html
import io
import re
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import urlsplit

from flask.testing import FlaskClient
from PIL import Image

from testimonials.stats.headlines import WAIT_NOUNS
from tests.integration.test_stats_pages import data, json_of  # noqa: F401 - the fixture

SENTENCE = re.compile(
    r"Of the (?P<count>[\d,]+) people who told us about (?P<wait>[^,]+), about "
    r"(?P<share>\d+)% \((?P<low>\d+)% to (?P<high>\d+)%\) waited longer than the legal "
    r"standard of (?P<standard>[^.]+)\.")
NOUNS = {noun: series for series, noun in WAIT_NOUNS.items()}


def headlines_of(page: str) -> list[str]:
    found = re.search(r'<ul class="headlines">(.*?)</ul>', page, re.S)
    assert found, "the page has no headline sentences"
    return [html.unescape(text) for text in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)]


def percent(share: float) -> int:
    return round(share * 100)


# The pages of one release in one test (its data restored once, not per page); each
# failure names its page.
def test_the_headline_sentences_agree_with_the_release_json(client: FlaskClient,
                                                             data) -> None:  # noqa: F811
    for path in ("/stats", "/stats/releases/1", "/stats?region=east-bay"):
        headlines_agree_with_the_json(client, path)


def headlines_agree_with_the_json(client: FlaskClient, path: str) -> None:
    page = client.get(path).get_data(as_text=True)
    json_path = path.replace("/stats/releases/1", "/stats/releases/1.json").replace(
        "/stats?", "/stats.json?") if path != "/stats" else "/stats.json"
    doc = json_of(client, json_path)
    waits = {w["series"]: w for w in doc["waits"]}
    sentences = headlines_of(page)
    assert 1 <= len(sentences) <= 3, path
    for sentence in sentences:
        found = SENTENCE.fullmatch(sentence)
        assert found, (path, sentence)
        wait = waits[NOUNS[found["wait"]]]
        group, figures = wait["group"], wait["group"]["figures"]
        interval = figures["intervals"]["share_over_standard"]
        assert int(found["count"].replace(",", "")) == group["count"], path
        assert int(found["share"]) == percent(figures["share_over_standard"]), path
        assert (int(found["low"]), int(found["high"])) == (percent(interval["low"]),
                                                           percent(interval["high"])), path
        assert found["standard"] == "10 business days" and wait["standard_days"] == 14, path
    # The strongest finding first.
    shares = [int(SENTENCE.fullmatch(s)["share"]) for s in sentences]  # type: ignore[index]
    assert shares == sorted(shares, reverse=True), path


def test_the_page_is_light_names_the_standard_one_way_and_needs_no_script(
        client: FlaskClient, data) -> None:  # noqa: F811
    page = client.get("/stats").get_data()
    assert len(gzip.compress(page)) < 40_000
    text = page.decode()
    assert "10 business days (14 calendar days)" in text  # on the charts, with its days
    assert "Standard: 14 days" not in text and "<script" not in text and " style=" not in text
    assert text.index('class="headlines"') < text.index("<svg") < text.index('id="glance-heading"')
    assert text.index('id="glance-heading"') < text.index('id="methods"')
    assert 'href="/stats/methods"' in text


def chart_links(page: str) -> list[str]:
    return [html.unescape(link) for link in re.findall(r'href="(/stats/[^"]*charts/[^"]+)"', page)]


def test_every_chart_downloads_as_svg_and_png_with_its_source_and_date(
        client: FlaskClient, data) -> None:  # noqa: F811
    links = chart_links(client.get("/stats").get_data(as_text=True))
    svgs = [link for link in links if ".svg" in link]
    pngs = [link for link in links if ".png" in link]
    assert len(svgs) == len(pngs) >= 5
    for link in svgs:
        response = client.get(link)
        assert response.status_code == 200 and response.mimetype == "image/svg+xml", link
        root = ET.fromstring(response.data)
        words = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
        assert "statistics release 1" in words and "figures as of" in words
        assert re.search(r"20\d\d", words)
    for link in pngs[:3]:
        response = client.get(link)
        assert response.status_code == 200 and response.mimetype == "image/png", link
        assert Image.open(io.BytesIO(response.data)).format == "PNG"


def test_a_release_keeps_its_chart_files_and_refuses_what_it_does_not_have(
        client: FlaskClient, data) -> None:  # noqa: F811
    links = chart_links(client.get("/stats/releases/1").get_data(as_text=True))
    assert links and all(link.startswith("/stats/releases/1/charts/") for link in links)
    response = client.get(links[0])
    assert response.status_code == 200 and "max-age" in response.headers["Cache-Control"]
    assert client.get("/stats/charts/no-such-chart.svg").status_code == 404
    assert client.get("/stats/releases/9/charts/waits-intake.svg").status_code == 404
    assert client.get("/stats/charts/waits-intake.svg?region=nowhere").status_code == 404
    assert client.get("/stats/charts/waits-intake.svg?wait=nonsense").status_code == 400


def share_tags(page: str) -> dict[str, str]:
    return {name: html.unescape(value) for name, value in re.findall(
        r'<meta (?:property|name)="((?:og|twitter):[a-z:_]+)" content="([^"]*)">', page)}


def test_pages_carry_a_share_card_of_the_headline_figure(client: FlaskClient,
                                                         data) -> None:  # noqa: F811
    for path in ("/", "/stats", "/stats/releases/1?lang=es"):  # one release (see above)
        tags = share_tags(client.get(path).get_data(as_text=True))
        assert tags["twitter:card"] == "summary_large_image", path
        assert tags["og:image"].startswith("http") and tags["og:image"] == tags[
            "twitter:image"], path
        assert tags["og:description"] == headlines_of(
            client.get("/stats/releases/1" + ("?lang=es" if "lang" in path else "")).get_data(
                as_text=True))[0], path
        image = client.get(urlsplit(tags["og:image"]).path)
        assert image.status_code == 200 and image.mimetype == "image/png", path
        assert Image.open(io.BytesIO(image.data)).size == (1200, 630), path


def test_before_any_release_no_share_card_or_chart_is_offered(client: FlaskClient) -> None:
    assert "og:image" not in client.get("/").get_data(as_text=True)
    assert client.get("/stats/share.png").status_code == 404
    assert client.get("/stats/charts/waits-intake.svg").status_code == 404


def spanish(client: FlaskClient) -> Any:
    return client.get("/stats?lang=es").get_data(as_text=True)


def test_the_release_page_speaks_spanish_from_its_first_sentence(client: FlaskClient,
                                                                 data) -> None:  # noqa: F811
    sentences = headlines_of(spanish(client))
    assert sentences and all(s.startswith("De las ") for s in sentences)
    assert all("plazo legal de 10 días hábiles" in s for s in sentences)
