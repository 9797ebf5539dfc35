"""How numéros are mailed: publication.yaml's ``mail:`` (or a numéro's ``publication: mail:``)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, PositiveInt
from pydantic.json_schema import SkipJsonSchema

from ..i18n import N_, _
from .addresses import EmailAddress, TemplateSource, dns_name, file_name, one_line, unsubscribe_url_template
from .fields import Strict


class DkimSettings(Strict):
    __doc__ = N_("DKIM signing of the messages: the selector and domain of the public key published in DNS "
                 "(selector._domainkey.domain), and the private key's file, kept outside the project folder "
                 "(DOSSIER_DKIM_KEY may name it instead).")

    selector: Annotated[str, AfterValidator(dns_name)]
    domain: Annotated[str, AfterValidator(dns_name)]
    key_file: Annotated[str, AfterValidator(one_line)] | None = None


def _no_password(value: object) -> None:
    # Refused whatever it holds: the file is in the repository, read by everyone who clones it.
    raise ValueError(_("never write the password in a file of the repository: set DOSSIER_SMTP_PASSWORD in the "
                       "environment, or keep it in the system's keyring (see the guide)"))


def _no_imap_password(value: object) -> None:
    raise ValueError(_("never write the password in a file of the repository: set DOSSIER_IMAP_PASSWORD in the "
                       "environment, or keep it in the system's keyring (see the guide)"))


class SmtpSettings(Strict):
    __doc__ = N_("The server that sends the messages: host, port and security; the password is never written here "
                 "(DOSSIER_SMTP_PASSWORD, or the system's keyring). DOSSIER_SMTP_* variables override these.")

    host: Annotated[str, AfterValidator(one_line)] | None = None
    port: Annotated[int, Field(ge=1, le=65535)] | None = None  # default: 587 (starttls), 465 (ssl), 25 (none)
    security: Literal["starttls", "ssl", "none"] | None = None  # none: a relay on this machine only
    user: Annotated[str, AfterValidator(one_line)] | None = None
    cafile: Annotated[str, AfterValidator(one_line)] | None = None  # from the project root
    # Known only to be refused with its reason (an unknown key would get "unknown field"); not offered by the schema.
    password: SkipJsonSchema[Annotated[object, AfterValidator(_no_password)]] = None


class ImapSettings(Strict):
    __doc__ = N_("The Chaire's mailbox, which dossier inbox reads: host, port, security, user and folder; the password "
                 "is never written here (DOSSIER_IMAP_PASSWORD, or the system's keyring). DOSSIER_IMAP_* variables "
                 "override these.")

    host: Annotated[str, AfterValidator(one_line)] | None = None
    port: Annotated[int, Field(ge=1, le=65535)] | None = None  # default: 993 (ssl), 143 (starttls, none)
    security: Literal["ssl", "starttls", "none"] | None = None  # none: a server on this machine only
    user: Annotated[str, AfterValidator(one_line)] | None = None
    folder: Annotated[str, AfterValidator(one_line)] | None = None  # default: INBOX; --folder overrides
    cafile: Annotated[str, AfterValidator(one_line)] | None = None  # from the project root
    password: SkipJsonSchema[Annotated[object, AfterValidator(_no_imap_password)]] = None


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
    smtp: SmtpSettings | None = None
    imap: ImapSettings | None = None  # the mailbox dossier inbox reads (publication.yaml's only)
