"""The field types of mail settings and partner lists: e-mail addresses, one-line texts, template sources."""

from __future__ import annotations

import re
from typing import Annotated

import jinja2
from jinja2 import meta
from pydantic import AfterValidator

from ..i18n import _

# An address as a mail server accepts it without SMTPUTF8: local@domain.tld, ASCII only.
_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


def email_address(value: str) -> str:
    """A bare email address, stripped; ValueError saying what is wrong otherwise."""
    address = value.strip()
    shown = address.encode("unicode_escape").decode("ascii") if re.search(r"[\r\n\t]", address) else address
    if not address:
        raise ValueError(_("empty: write an address such as name@example.org"))
    if "<" in address or re.search(r"\s", address):
        raise ValueError(_("'{value}' is not a bare address: write only name@example.org, without name or spaces").format(
            value=shown))
    if not _ADDRESS.fullmatch(address):
        raise ValueError(_("'{value}' is not an email address: write it as name@example.org").format(value=shown))
    # RFC 5321's limits: servers refuse longer addresses (and file names are made from them).
    if len(address.rpartition("@")[0]) > 64 or len(address) > 254:
        raise ValueError(_("'{value}…' is too long for an email address (at most 64 characters before the @, 254 in all)")
                         .format(value=shown[:40]))
    return address


def _template_source(value: str) -> str:
    # Syntax errors surface when the manifest is loaded, at the field's line.
    try:
        jinja2.Environment().parse(value)
    except jinja2.TemplateSyntaxError as exc:
        message = _("template syntax error on its line {line}: {error}").format(line=exc.lineno, error=exc.message)
        raise ValueError(message) from None
    if not value.strip():
        raise ValueError(_("must not be empty"))
    return value


def one_line(value: str) -> str:
    value = " ".join(str(value).split())
    if not value:
        raise ValueError(_("must not be empty"))
    return value


def https_template(value: str) -> str:
    if not value.strip().startswith("https://"):
        raise ValueError(_("'{value}' is not an https address: mail clients only use https:// links here").format(
            value=value.strip()))
    return _template_source(value.strip())


def unsubscribe_url_template(value: str) -> str:
    """An https link template that never carries the partner's address (or anything of theirs): the token does."""
    value = https_template(value)
    names = meta.find_undeclared_variables(jinja2.Environment().parse(value))
    if "partner" in names:
        raise ValueError(_("uses the partner's fields: a link must never carry an address (anyone could unsubscribe "
                           "anyone with it); use the token, e.g. https://example.org/desabonnement?t={{ unsubscribe_token }}"))
    return value


_DNS_NAME = re.compile(r"(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?")


def dns_name(value: str) -> str:
    """A DNS name in ASCII (a domain, or a DKIM selector): labels of letters, digits, - and _."""
    name = value.strip().rstrip(".").lower()
    if not _DNS_NAME.fullmatch(name) or len(name) > 253:
        raise ValueError(_("'{value}' is not a DNS name: write it as example.org (ASCII letters, digits, - and .)").format(
            value=value.strip()))
    return name


def file_name(value: str) -> str:
    if "/" in value or "\\" in value or not value.lower().endswith(".pdf"):
        raise ValueError(_("'{value}' is not a file name ending in .pdf, such as dossier-special-03.pdf").format(value=value))
    return one_line(value)


EmailAddress = Annotated[str, AfterValidator(email_address)]
TemplateSource = Annotated[str, AfterValidator(_template_source)]
