"""The mail's templates: subject, text and HTML, from templates/mail/ or their overrides in the manifests.

A template mistake is a one-line error at its file and line: in templates/mail/, or in
the YAML file where an override (``mail.subject``, ``mail.text``, …) is written.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import jinja2
import yaml
from jinja2 import meta

from ..errors import DossierError
from ..files import display_path
from ..i18n import _
from ..manifest.model import MailSettings
from ..press.render import template_environment, template_frame
from ..project import Project
from .partners import Partner

TEMPLATE_FILES = {"subject": "mail/subject.txt.j2", "text": "mail/body.txt.j2", "html": "mail/body.html.j2"}
STYLESHEET = "mail/newsletter.css"  # the HTML part's styles, a Jinja2 template of the colours
OVERRIDE_PREFIX = "<mail."  # the file name Jinja gives an override's frames: <mail.text>
TOKEN_VARIABLE = "unsubscribe_token"  # the one-click link's token (mail/unsubscribe/links.py), per partner and numéro


@dataclass(frozen=True)
class MessageTexts:
    subject: str
    text: str
    html: str
    unsubscribe_url: str | None
    one_click: bool = False  # the link is our endpoint's (it carries unsubscribe_token): RFC 8058 one-click POST


# Every kind of line break and plain space, folded to one space in the subject; not the no-break
# spaces of French typography.
_LINE_SPACE = re.compile(r"[ \t\r\n\x0b\x0c\x1c-\x1f\x85\u2028\u2029]+")


class MailTemplates:
    """Subject, text and HTML templates: templates/mail/ or their overrides in the manifests."""

    def __init__(self, project: Project, manifest: Path, settings: MailSettings, columns: Sequence[str], shown_list: str):
        self.project = project
        self.manifest = manifest
        self.columns = tuple(columns)
        self.shown_list = shown_list
        self.overrides = {
            key: source
            for key, source in {
                "subject": settings.subject, "text": settings.text, "html": settings.html,
                "unsubscribe_url": settings.unsubscribe_url,
            }.items()
            if source is not None
        }
        self.text_env = self._environment(autoescape=False)
        self.html_env = self._environment(autoescape=True)
        url = self.overrides.get("unsubscribe_url")
        # Only a link that carries the token can be honoured in one click by our endpoint (mail.unsubscribe).
        self.one_click = url is not None and TOKEN_VARIABLE in meta.find_undeclared_variables(self.text_env.parse(url))

    def _environment(self, *, autoescape: bool) -> jinja2.Environment:
        env = template_environment(self.project, autoescape=autoescape)

        def inline(name: str) -> tuple[str, str, Callable[[], bool]] | None:
            key = name.removeprefix("mail:")
            if name.startswith("mail:") and key in self.overrides:
                return self.overrides[key], f"{OVERRIDE_PREFIX}{key}>", lambda: True
            return None

        assert env.loader is not None
        env.loader = jinja2.ChoiceLoader([jinja2.FunctionLoader(inline), env.loader])
        return env

    def _name(self, key: str) -> str:
        return f"mail:{key}" if key in self.overrides else TEMPLATE_FILES[key]

    def render(self, partner: Partner, **context: object) -> MessageTexts:
        """Everything the message to ``partner`` says; DossierError (file:line) for a template mistake."""
        context = {"partner": partner, **context}
        unsubscribe_url = None
        if self.one_click and not context.get(TOKEN_VARIABLE):
            raise DossierError(_("{where}: uses {token}, which is made with DOSSIER_SECRET: set it (the secret the "
                                 "unsubscribe endpoint checks the links with)").format(
                where=self._override_location("unsubscribe_url", 1), token=TOKEN_VARIABLE))
        if "unsubscribe_url" in self.overrides:
            unsubscribe_url = self._render(self.text_env, "mail:unsubscribe_url", context).strip()
            if re.search(r"\s", unsubscribe_url) or not unsubscribe_url.startswith("https://"):
                where = self._override_location("unsubscribe_url", 1)
                raise DossierError(_("{where}: gives '{url}', not an https address: use | urlencode for partner fields "
                                     "in the address").format(where=where, url=unsubscribe_url))
        context["unsubscribe_url"] = unsubscribe_url
        subject = _LINE_SPACE.sub(" ", self._render(self.text_env, self._name("subject"), context)).strip()
        if not subject:
            raise DossierError(_("{where}: the subject is empty").format(where=self._where_template(self._name("subject"), 1)))
        text = self._render(self.text_env, self._name("text"), context)
        html = self._render(self.html_env, self._name("html"), context)
        return MessageTexts(subject, text.strip("\n") + "\n", html, unsubscribe_url, self.one_click)

    def stylesheet(self, **colours: object) -> str:
        """templates/mail/newsletter.css rendered with the publication's colours."""
        return self._render(self.text_env, STYLESHEET, colours)

    def _render(self, env: jinja2.Environment, name: str, context: dict[str, object]) -> str:
        try:
            return env.get_template(name).render(context)
        except jinja2.TemplateNotFound as exc:
            raise DossierError(_("{file}: template not found: restore it from the repository").format(
                file=f"templates/{exc.name}")) from None
        except jinja2.TemplateSyntaxError as exc:
            where = self._where_file(exc.filename, exc.lineno) if exc.filename else name
            raise DossierError(_("{where}: template syntax error: {error}").format(where=where, error=exc.message)) from None
        except (jinja2.TemplateError, TypeError, ValueError, AttributeError) as exc:
            where = self._where_traceback(sys.exc_info()[2]) or name
            raise DossierError(_("{where}: template error: {error}").format(where=where, error=self._explain(exc))) from None

    def _explain(self, exc: Exception) -> str:
        message = getattr(exc, "message", None) or str(exc)
        missing = re.search(r"Partner object' has no attribute '([^']+)'", message)
        if missing:
            return _("no column '{column}' in {list} (its columns: {columns}): add the column or correct the template").format(
                column=missing[1], list=self.shown_list, columns=", ".join(self.columns))
        return message

    def _where_traceback(self, tb: TracebackType | None) -> str:
        frame = template_frame(tb, (OVERRIDE_PREFIX, str(self.project.templates_dir)))
        return self._where_file(*frame) if frame else ""

    def _where_file(self, filename: str, line: int | None) -> str:
        if filename.startswith(OVERRIDE_PREFIX):
            return self._override_location(filename[len(OVERRIDE_PREFIX):-1], line or 1)
        return f"{display_path(Path(filename), self.project.root)}:{line or 0}"

    def _where_template(self, name: str, line: int) -> str:
        if name.startswith("mail:"):
            return self._override_location(name.removeprefix("mail:"), line)
        return f"templates/{name}:{line}"

    def _override_location(self, key: str, template_line: int) -> str:
        shown, node = setting_node(self.project, self.manifest, key)
        if node is None:
            return f"{shown}: mail.{key}"
        value = node[1]
        # A block scalar (|, >) starts on the line after its key; a plain one on the key's line.
        first = value.start_mark.line + (2 if value.style in {"|", ">"} else 1)
        return f"{shown}:{first + template_line - 1}: mail.{key}"


def setting_node(project: Project, manifest: Path, key: str | None) -> tuple[str, tuple[yaml.Node, yaml.Node] | None]:
    """Where a mail setting is written: the numéro's ``publication: mail:``, else publication.yaml's ``mail:``.

    Returns the file as shown and the (key, value) nodes; ``key=None`` finds the ``mail:`` mapping itself.
    """
    candidates = ((manifest, ("publication", "mail")), (project.publication_file, ("mail",)))
    for path, prefix in candidates:
        keys = (*prefix, key) if key else prefix
        found = _find_node(path, keys)
        if found is not None:
            return display_path(path, project.root), found
    return display_path(project.publication_file, project.root), None


def _find_node(path: Path, keys: Sequence[str]) -> tuple[yaml.Node, yaml.Node] | None:
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    pair = None
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            return None
        pair = next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)
        if pair is None:
            return None
        node = pair[1]
    return pair


