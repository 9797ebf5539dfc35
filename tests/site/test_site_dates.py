"""No invented date: a numéro's date comes from its manifest or from another numéro's "(Re)lire"; without one,
the site, its feed and sitemap leave it out (read back with feedparser) and `dossier check` asks for it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser

from conftest import complete_sample, run
from site_support import SITE_URL, set_site_url
from test_site_output import set_date

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def dates_in_site(site: Path) -> tuple[dict[str, str], dict[str, str | None]]:
    """Each feed entry's updated time by its link, and each sitemap address's lastmod (None: none)."""
    feed = feedparser.parse((site / "feed.xml").read_bytes()) if (site / "feed.xml").exists() else None
    if feed is not None:
        assert not feed.bozo, feed.get("bozo_exception")
    entries = {entry.link: entry.updated for entry in feed.entries} if feed else {}
    sitemap = ET.parse(site / "sitemap.xml").getroot()
    lastmods = {url.find(f"{SITEMAP}loc").text: getattr(url.find(f"{SITEMAP}lastmod"), "text", None)
                for url in sitemap.iter(f"{SITEMAP}url")}
    return entries, lastmods


def test_a_date_given_by_a_later_numeros_relire_is_used(mini_project: Path) -> None:
    set_site_url(mini_project)
    set_date(mini_project, 1, None)
    fourth = set_date(mini_project, 4, "2024-06-20")
    fourth.write_text(fourth.read_text(encoding="utf-8").replace(
        "practices:", "back_issues:\n  - number: 1\n    date: 2024-05-06\npractices:"), encoding="utf-8")
    result = run("site")
    assert result.exit_code == 0, result.output
    site = mini_project / "output/site"
    entries, lastmods = dates_in_site(site)
    assert entries == {f"{SITE_URL}04/": "2024-06-20T00:00:00Z", f"{SITE_URL}01/": "2024-05-06T00:00:00Z"}
    assert "feed.xml" not in result.stderr, "every numéro has a day: none left out"
    assert lastmods == {SITE_URL: "2024-06-20", f"{SITE_URL}04/": "2024-06-20", f"{SITE_URL}01/": "2024-05-06"}
    assert "2000" not in (site / "feed.xml").read_text(encoding="utf-8")
    assert "6\u00a0mai 2024" in (site / "01/index.html").read_text(encoding="utf-8")
    assert "6\u00a0mai 2024" in (site / "index.html").read_text(encoding="utf-8")
    assert "issues/01/issue.yaml" not in run("check", "1").output, "a date the project knows is enough"


def test_a_numero_nobody_dates_is_left_undated(mini_project: Path) -> None:
    set_site_url(mini_project)
    set_date(mini_project, 1, None)
    result = run("site")
    assert result.exit_code == 0, result.output
    assert "n°1" in result.stderr and "feed.xml" in result.stderr
    site = mini_project / "output/site"
    assert not (site / "feed.xml").exists(), "Atom needs an <updated>: no feed rather than a made-up date"
    entries, lastmods = dates_in_site(site)
    assert entries == {} and lastmods == {SITE_URL: None, f"{SITE_URL}01/": None}
    for page in ("index.html", "01/index.html", "recherche.html"):
        assert "application/atom+xml" not in (site / page).read_text(encoding="utf-8")
    checked = run("check", "1")
    assert "issues/01/issue.yaml:" in checked.output and "YYYY-MM-DD" in checked.output


def test_the_sample_lacks_a_date_and_three_addresses(project: Path) -> None:
    """What the seed does not give, check asks for: n°3's date, and the url of three back-page actions."""
    result = run("check", "3")
    lines = result.stdout.splitlines()
    labels = [n for n, line in enumerate((project / "publication.yaml").read_text(encoding="utf-8").splitlines(), 1)
              if line.lstrip().removeprefix("- ").startswith("label: ")]
    assert len(labels) == 3
    assert [line.split(": ", 1)[0] for line in lines] == [
        "issues/03/issue.yaml:5", *(f"publication.yaml:{n}" for n in labels)]
    assert "YYYY-MM-DD" in lines[0] and all("has no url" in line for line in lines[1:])
    complete_sample(project)
    assert run("check", "3").stdout == ""
