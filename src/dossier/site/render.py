"""The site's pages from its own Jinja2 templates (package data), with the print's filters.

Invariants: every address a page writes inside the site is relative to that page, so the
site works from any folder of a server and opened from disk; absolute addresses appear
only in canonical and Open Graph tags, and only when ``site_url`` is set.
"""

from __future__ import annotations

import jinja2

from ..files import format_size_fr
from ..press.render import render_template, template_environment
from ..project import Project


def site_environment(project: Project) -> jinja2.Environment:
    """The print's environment (filters md, french, fr_date…) reading the site's templates."""
    env = template_environment(project)
    env.loader = jinja2.PackageLoader("dossier.site", "templates")
    env.filters["size_fr"] = format_size_fr
    return env


def render_page(project: Project, env: jinja2.Environment, name: str, **context: object) -> str:
    return render_template(project, env, name, **context)

