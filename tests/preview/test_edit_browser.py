"""The editing view (/edit) driven by a real Chromium: a whole numéro made through the forms only.

From `dossier new`, in French as editors see it: two themes, five initiatives, one photo sent
from the form, two initiatives reordered and one moved to the other theme, saved. The file keeps
its comments, validates, and prints the same PDF as the same content written by hand.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pypdfium2
import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from browser import chromium_browser  # noqa: F401 - the browser fixture
from conftest import as_current_folder, copy_project, run
from dossier.preview import PreviewServer
from dossier.project import Project

TIMEOUT_MS = 60_000
expect.set_options(timeout=TIMEOUT_MS)

# The numéro the forms write; HAND_WRITTEN is the same content as an editor would type it.
HAND_WRITTEN = """number: 4
title: Dossier spécial
subtitle: "Villes en mouvement : mobilités et culture"
date: 2026-05-04
edito: |-
  Un premier paragraphe, *en italique*.

  Un second, avec un [lien](https://example.org/).
back_issues:
  - number: 1
    date: 2020-04-03
  - number: 2
    date: 2020-04-17
  - number: 3
practices:
  - theme: Mobilités
    initiatives:
      - title: "Festival : la musique sans voiture"
        place: Lyon
        porteurs: [Ville de Lyon]
        text: Un festival sans voitures.
      - title: "La campagne #MATOURNÉE"
        porteurs: [Bouge ton coq]
        text: Une campagne de financement.
  - theme: Culture
    colour: "#2e7d32"
    initiatives:
      - title: Musées ouverts
        porteurs: [Ville de Nantes]
        text: Des musées ouverts le soir.
      - title: "yes"
        porteurs: [Région Sud]
        text: Un titre qui ressemble à un booléen.
      - title: Pistes cyclables provisoires
        porteurs: [Métropole de Lyon]
        text: Des pistes tracées en une nuit.
        image: pistes-cyclables.jpg
        alt: Une piste cyclable jaune sur une avenue
resources: []
readings: []
pages: [chaire, master2]
"""


@pytest.fixture
def scaffolded(tmp_path: Path, french: None) -> Iterator[Path]:
    with as_current_folder(copy_project(tmp_path / "forms")) as root:
        assert run("new").exit_code == 0
        yield root


def photo(path: Path) -> Path:
    Image.new("RGB", (1800, 1200), (200, 170, 40)).save(path, "JPEG", quality=85)
    return path


def open_editor(browser: Browser, server: PreviewServer, width: int = 1280) -> Page:
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(server.edit_url)
    expect(page.locator("form.numero fieldset").first).to_be_visible()
    return page


def fill_card(page: Page, theme: int, card: int, title: str, porteur: str, text: str) -> None:
    prefix = f"#f-practices-{theme}-initiatives-{card}"
    page.fill(f"{prefix}-title", title)
    page.fill(f"{prefix}-porteurs-0", porteur)
    page.fill(f"{prefix}-text", text)


def button(page: Page, name: str):  # noqa: ANN201 - a Locator
    return page.get_by_role("button", name=name, exact=True)


def test_a_whole_numero_made_through_the_forms(browser: Browser, scaffolded: Path, tmp_path: Path):
    manifest = scaffolded / "issues/04/issue.yaml"
    comments = [line for line in manifest.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    project = Project(scaffolded)
    with PreviewServer(project, manifest, port=0) as server:
        page = open_editor(browser, server)
        page.fill("#f-subtitle", "Villes en mouvement : mobilités et culture")
        page.fill("#f-date", "2026-05-04")
        page.fill("#f-edito", "Un premier paragraphe, *en italique*.\n\nUn second, avec un [lien](https://example.org/).")
        button(page, "Supprimer — Thème 4 « Culture - événementiel »").click()
        button(page, "Supprimer — Thème 3 « Tourisme »").click()
        page.fill("#f-practices-0-theme", "Mobilités")
        page.fill("#f-practices-1-theme", "Culture")
        page.fill("#f-practices-1-colour", "#2e7d32")
        fill_card(page, 0, 0, "Festival : la musique sans voiture", "Ville de Lyon", "Un festival sans voitures.")
        page.fill("#f-practices-0-initiatives-0-place", "Lyon")
        page.get_by_role("button", name="Ajouter une initiative").first.click()
        fill_card(page, 0, 1, "Pistes cyclables provisoires", "Métropole de Lyon", "Des pistes tracées en une nuit.")
        page.set_input_files("#f-practices-0-initiatives-1-image-file", str(photo(tmp_path / "Pistes cyclables (1).JPG")))
        alt = page.locator("#f-practices-0-initiatives-1-alt")
        expect(alt).to_be_focused()  # the alt text is asked for at once
        expect(page.locator("#f-practices-0-initiatives-1-image")).to_have_value("pistes-cyclables-1.jpg")
        alt.fill("Une piste cyclable jaune sur une avenue")
        page.get_by_role("button", name="Ajouter une initiative").first.click()
        fill_card(page, 0, 2, "La campagne #MATOURNÉE", "Bouge ton coq", "Une campagne de financement.")
        fill_card(page, 1, 0, "Musées ouverts", "Ville de Nantes", "Des musées ouverts le soir.")
        page.get_by_role("button", name="Ajouter une initiative").nth(1).click()
        fill_card(page, 1, 1, "yes", "Région Sud", "Un titre qui ressemble à un booléen.")
        # Reorder two initiatives, then move one to the other theme.
        button(page, "Monter — Initiative 3 « La campagne #MATOURNÉE »").click()
        page.get_by_label("Thème de destination — Initiative 3 « Pistes cyclables provisoires »").select_option("1")
        button(page, "Déplacer vers le thème — Initiative 3 « Pistes cyclables provisoires »").click()
        page.get_by_role("button", name="Enregistrer", exact=True).click()
        expect(page.locator(".status")).to_have_text("Enregistré.")
        expect(page.locator(".problems h2")).to_have_text("Aucune erreur : le numéro est valide.")
        page.screenshot(path=str(tmp_path / "edit-desktop.png"), full_page=True)
        page.context.close()

    text = manifest.read_text(encoding="utf-8")
    assert [line for line in text.splitlines() if line.startswith("#")] == comments  # every comment line kept
    assert "        # place: Montréal" in text  # the first card's hints moved with it
    assert (scaffolded / "issues/04/pistes-cyclables-1.jpg").is_file()
    assert run("validate", "4").exit_code == 0

    by_hand = copy_project(tmp_path / "by-hand")
    (by_hand / "issues/04").mkdir()
    (by_hand / "issues/04/issue.yaml").write_text(
        HAND_WRITTEN.replace("pistes-cyclables.jpg", "pistes-cyclables-1.jpg"), encoding="utf-8")
    shutil.copy(scaffolded / "issues/04/pistes-cyclables-1.jpg", by_hand / "issues/04/")
    assert run("build", "4").exit_code == 0
    with as_current_folder(by_hand):
        assert run("build", "4").exit_code == 0
    forms_pdf, hand_pdf = (root / "output/dossier-special-04.pdf" for root in (scaffolded, by_hand))
    assert pdf_text(forms_pdf) == pdf_text(hand_pdf)
    assert page_images(forms_pdf) == page_images(hand_pdf)


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def page_images(path: Path) -> list[bytes]:
    document = pypdfium2.PdfDocument(path)
    images = []
    for index in range(len(document)):
        out = io.BytesIO()
        document[index].render(scale=0.5).to_pil().save(out, "PNG")
        images.append(out.getvalue())
    document.close()
    return images


@pytest.fixture
def n3_server(tmp_path: Path) -> Iterator[PreviewServer]:
    project = Project(copy_project(tmp_path / "n3"))
    with PreviewServer(project, project.manifest_for("3"), port=0) as server:
        yield server


def test_saving_n3_unchanged_keeps_its_bytes_and_one_title_changes_one_line(browser: Browser, n3_server: PreviewServer):
    manifest = n3_server.session.manifest
    before = manifest.read_bytes()
    page = open_editor(browser, n3_server)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".status")).to_have_text("Saved.")
    assert manifest.read_bytes() == before
    page.fill("#f-practices-1-initiatives-0-title", "Festival : la musique sans voiture")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".status")).to_have_text("Saved.")
    old, new = before.decode("utf-8").splitlines(), manifest.read_text(encoding="utf-8").splitlines()
    assert [(a, b) for a, b in zip(old, new, strict=True) if a != b] == [
        ("      - title: Plateforme numérique d'entraide", '      - title: "Festival : la musique sans voiture"')]
    page.context.close()


def test_a_change_on_disk_in_the_same_line_is_refused_and_nothing_is_lost(browser: Browser, n3_server: PreviewServer):
    manifest = n3_server.session.manifest
    page = open_editor(browser, n3_server)
    page.fill("#f-subtitle", "Notre sous-titre")
    page.fill("#f-practices-0-theme", "Économie")
    theirs = manifest.read_text(encoding="utf-8").replace(
        'subtitle: "Territoires, gestion de crise & résilience | COVID-19"', "subtitle: Leur sous-titre")
    manifest.write_text(theirs, encoding="utf-8")
    page.get_by_role("button", name="Save", exact=True).click()
    conflict = page.locator(".conflict")
    expect(conflict).to_be_visible()
    expect(conflict.locator(".ours")).to_contain_text('subtitle: "Notre sous-titre"')
    expect(conflict.locator(".disk")).to_contain_text("subtitle: Leur sous-titre")
    assert manifest.read_text(encoding="utf-8") == theirs  # nothing written
    history = n3_server.session.project.root / ".dossier/history/03"
    refused = [path.read_text(encoding="utf-8") for path in history.glob("*-refused.yaml")]
    assert len(refused) == 1 and "theme: Économie" in refused[0]  # our edits are kept
    # A change on disk elsewhere in the file is merged with ours.
    page.get_by_role("button", name="Load the file on disk (your changes stay in the history)").click()
    expect(conflict).to_be_hidden()
    expect(page.locator("#f-subtitle")).to_have_value("Leur sous-titre")
    page.fill("#f-practices-0-theme", "Économie")
    manifest.write_text(theirs.replace("title: Dossier spécial", "title: Dossier très spécial"), encoding="utf-8")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".status")).to_have_text("Saved, merged with the change made on disk.")
    text = manifest.read_text(encoding="utf-8")
    assert "title: Dossier très spécial" in text and "  - theme: Économie" in text and "subtitle: Leur sous-titre" in text
    # One click restores the version before the merge.
    page.get_by_role("button", name="Restore").first.click()
    expect(page.locator("#f-practices-0-theme")).to_have_value("Développement économique")
    page.context.close()


def test_the_editing_view_passes_axe_at_phone_and_desktop_widths(browser: Browser, n3_server: PreviewServer):
    for width in (390, 1280):
        page = open_editor(browser, n3_server, width)
        expect(page.locator("body")).to_have_attribute("data-checked", "yes")  # check's remarks have come in
        results = Axe().run(page)
        serious = [f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:3]}"
                   for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
        assert serious == []
        width_used = page.evaluate("document.documentElement.scrollWidth")
        assert width_used <= width, "the form scrolls sideways"
        page.screenshot(path=str(n3_server.session.project.root / f"edit-{width}.png"), full_page=True)
        page.context.close()
