"""Every XML the site writes (feed.xml, sitemap.xml) is well-formed whatever the manifest's text.

The validator refuses the characters XML cannot hold (tests/manifest/hostile/xml_illegal.yaml);
everything else it lets through — markup, entities, CDATA ends, astral characters, NEL, line and
paragraph separators — must come out of the feed as the text it was.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run
from dossier.manifest import load_issue
from dossier.manifest.characters import NOT_XML
from dossier.project import Project
from dossier.site.feeds import Listed, write_feed, write_sitemap
from site_support import SITE_URL, set_site_url

ATOM = "{http://www.w3.org/2005/Atom}"
# Text the validator lets through, each piece a way to break a hand-written XML file.
HOSTILE = ("</title><script>alert(1)</script> &amp; &#xFFFE; &lt; ]]> <![CDATA[ x ]]> \"'\u00a0«\u202fé\u202f» "
           "\u2028\u2029\U0001f600 \U0010fffd \ue000 \u202e \ufeff")


def test_hostile_text_that_validates_gives_well_formed_feed_and_sitemap(mini_project: Path) -> None:
    manifest = mini_project / "issues/01/issue.yaml"
    text = manifest.read_text(encoding="utf-8")
    quoted = HOSTILE.replace("\\", "\\\\").replace('"', '\\"')
    manifest.write_text(text.replace('subtitle: "Numéro d\'essai : quatre pages"', f'subtitle: "{quoted}"')
                        .replace("date: 2024-03\n", "date: 2024-03-05\n")  # dated to the day: in the feed
                        .replace("theme: Essais", f'theme: "{quoted}\\x85fin"'), encoding="utf-8")
    set_site_url(mini_project)
    assert run("validate", "1").exit_code == 0
    result = run("site")
    assert result.exit_code == 0, result.output
    site = mini_project / "output/site"
    feed = ET.parse(site / "feed.xml").getroot()  # raises on an ill-formed file
    (entry,) = feed.iter(f"{ATOM}entry")
    summary = entry.find(f"{ATOM}summary").text
    # As typeset (French spaces before ";", line separators made spaces), but every piece of markup as text.
    for piece in ("</title><script>alert(1)</script> &amp\u202f; &#xFFFE\u202f;", "]]> <![CDATA[ x ]]>", "\U0001f600",
                  "\U0010fffd \ue000 \u202e \ufeff fin"):
        assert piece in summary
    urls = ET.parse(site / "sitemap.xml").getroot()
    assert len(urls) == 2


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=40))
def test_the_feed_is_well_formed_whatever_the_text(mini_project: Path, tmp_path_factory, text: str) -> None:
    """A second net: even text that never passed the validator (U+FFFE, lone surrogates, controls) writes well-formed XML."""
    issue = load_issue(Project.find(mini_project), mini_project / "issues/01/issue.yaml")
    publication = issue.publication.model_copy(update={"series": text, "publisher": text})
    issue = issue.model_copy(update={"subtitle": text, "practices": [], "publication": publication})
    stage = tmp_path_factory.mktemp("stage")
    listed = [Listed(issue, dt.date(2024, 3, 5), 1000)]
    assert write_feed(stage, SITE_URL, listed)
    write_sitemap(stage, SITE_URL, listed)
    feed = ET.parse(stage / "feed.xml").getroot()
    ET.parse(stage / "sitemap.xml")
    kept = NOT_XML.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    assert feed.find(f"{ATOM}author/{ATOM}name").text == (kept or None)
    assert feed.find(f"{ATOM}entry/{ATOM}summary").text == (kept or None)
