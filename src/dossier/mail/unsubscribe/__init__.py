"""One-click unsubscribe (RFC 8058), honoured end to end: the link's token, the endpoint, the import.

- ``links``: the token a message's unsubscribe link carries, ``unsubscribe_token`` in the
  ``mail.unsubscribe_url`` template. It names the numéro and a keyed pseudonym of the
  partner, and is signed with DOSSIER_SECRET: it carries no address, cannot be forged
  or moved to another numéro, and the endpoint checks it without any partner list.
- ``app``: a small WSGI application (any WSGI server: waitress, gunicorn…). GET shows a
  confirmation page (French, accessible); POST with ``List-Unsubscribe=One-Click``, what
  mail providers send and what the page's button sends, records the request.
- ``requests``: the endpoint's file of requests, append-only, one JSON line each, safe
  with several server threads or processes writing at once.
- ``imports``: ``dossier import-unsubscribes FILE`` puts the requests on the suppression
  list, each only for a message the ledger records as sent, each once.
"""

from __future__ import annotations

from .links import LinkToken, link_token, parse_link_token

__all__ = ["LinkToken", "link_token", "parse_link_token"]
