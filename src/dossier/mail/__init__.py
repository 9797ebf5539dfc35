"""Mail a numéro to the partners: personalised messages, a dry run by default, sent once each.

The order of a sending run is what makes it safe to interrupt:

- everything is checked (settings, partner list, templates rendered for every partner,
  attachment size, the PDF rebuilt if stale) before the first connection (``mailing``);
- each message is recorded in the ledger the moment the server accepts it (``send``,
  ``ledger``);
- a rerun sends only to the partners the ledger does not list as sent: after a crash,
  a Ctrl-C or a lost connection, the same command sends exactly the rest.
- a partner on the suppression list is never sent a numéro (``--test`` aside): skipped
  and counted by reason.

The modules, by responsibility:

========================  ==========================================================
``partners``              the partner list (CSV or YAML), every problem with its line
``templates``             subject, text and HTML templates and their overrides
``compose``               one partner's message as sent, the PDF encoded once
``wire``                  its bytes, assembled directly (headers folded, quoted-printable)
``signing``               DKIM signatures (mail.dkim) and List-Id
``mailing``               ``prepare_mailing``: the checks before anything is sent
``send`` / ``delivery``   the sending run / one message with its retries and outcome
``recording``             the ledger's records committed while the next message goes
``smtp``                  the server's settings (environment) and the connection
``ledger``                who was sent which numéro, and the one-sender lock
``reports``               dry run, sending summary, ``--status``
``suppression``           the suppression list (in the ledger's file): never mailed again
``tokens``                per-recipient unsubscribe tokens (DOSSIER_SECRET), VERP addresses
``manage``                ``unsubscribe``, ``resubscribe``, ``suppressed``
``unsubscribe``           one-click unsubscribe: link tokens, the WSGI endpoint, the import
``doctor``                ``dossier doctor``: the sender domain's SPF, DKIM and DMARC
``inbox``                 ``dossier inbox``: the mailbox's bounces and requests, applied
========================  ==========================================================
"""

from __future__ import annotations

from .compose import Attachment, Composer, OutgoingMessage, Sender, SommairePart, sommaire
from .mailing import MAX_ATTACHMENT, Mailing, pdf_is_stale, prepare_mailing, resolve_ledger_path
from .reports import DeliveryEvent, DryRunReport, SendReport, StatusReport, delivery_status, write_dry_run
from .send import SendFailures, SendStopped, send_mailing, send_test
from .templates import MailTemplates, setting_node

__all__ = [
    "MAX_ATTACHMENT",
    "Attachment",
    "Composer",
    "DeliveryEvent",
    "DryRunReport",
    "MailTemplates",
    "Mailing",
    "OutgoingMessage",
    "SendFailures",
    "SendReport",
    "SendStopped",
    "Sender",
    "SommairePart",
    "StatusReport",
    "delivery_status",
    "pdf_is_stale",
    "prepare_mailing",
    "resolve_ledger_path",
    "send_mailing",
    "send_test",
    "setting_node",
    "sommaire",
    "write_dry_run",
]
