"""How numéros are mailed: publication.yaml's ``mail:`` (or a numéro's ``publication: mail:``)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, PositiveInt

from ..i18n import N_
from .addresses import EmailAddress, TemplateSource, dns_name, file_name, one_line, unsubscribe_url_template
from .fields import Strict


class DkimSettings(Strict):
    __doc__ = N_("DKIM signing of the messages: the selector and domain of the public key published in DNS "
                 "(selector._domainkey.domain), and the private key's file, kept outside the project folder "
                 "(DOSSIER_DKIM_KEY may name it instead).")

    selector: Annotated[str, AfterValidator(dns_name)]
    domain: Annotated[str, AfterValidator(dns_name)]
    key_file: Annotated[str, AfterValidator(one_line)] | None = None


class MailSettings(Strict):
    __doc__ = N_("How numéros are mailed to the partners: publication.yaml's mail:, or a numéro's publication: mail:. "
                 "subject, text and html replace the templates in templates/mail/ (Jinja2 source).")

    from_name: Annotated[str, AfterValidator(one_line)] | None = None  # default: publisher_short or publisher
    from_address: EmailAddress | None = None
    reply_to: EmailAddress | None = None
    unsubscribe_mailto: EmailAddress | None = None  # default: reply_to, else from_address
    bounce_address: EmailAddress | None = None  # envelope sender, made per recipient (VERP): bounces+jean=example.org@…
    unsubscribe_url: Annotated[str, AfterValidator(unsubscribe_url_template)] | None = None  # with {{ unsubscribe_token }}
    subject: TemplateSource | None = None
    text: TemplateSource | None = None
    html: TemplateSource | None = None
    attachment_name: Annotated[str, AfterValidator(file_name)] | None = None
    rate: PositiveInt | None = None  # messages per minute; --rate overrides
    ledger: Annotated[str, AfterValidator(one_line)] | None = None  # from the project root
    dkim: DkimSettings | None = None  # sign the messages (mail/signing.py)
