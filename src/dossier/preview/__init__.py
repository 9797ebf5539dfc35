"""Preview a numéro in the browser while it is written (``dossier preview``).

A small HTTP server on loopback serves the HTML draft at ``/`` (the newsletter at ``/mail``,
the web edition at ``/web``) and the numéro's assets,
watches the files the numéro is made of, and rebuilds on every change; the open tab
hears of new drafts through server-sent events (``/events``) and reloads itself. After
each good rebuild a background thread prints the real PDF and renders its pages, shown
in a side panel and at ``/pages``. As ``mkdocs serve`` does, a failed build shows its
errors and the server goes on.

The rooms, one way (each imports only those above it):
- ``pages``: printed pages as JPEG images (pypdfium2) and their URLs;
- ``watch``: a polling watcher over a list of files, calling back on a change;
- ``session``: the draft, its errors, its pages and the rebuild/print threads' state (no HTTP);
- ``documents``: the HTML sent (draft + client, errors, /pages) from ``static/`` files;
- ``site``: what a browser may get from a session, the asset allow-list included; the
  newsletter (``/mail``) and the web edition (``/web``) from one public function of each
  feature, ``mail.preview.newsletter_preview`` and ``site.preview.web_preview`` (imported on request);
- ``http``: the server and handler over any ``Site`` (testable with a fake request);
- ``server``: ``PreviewServer`` and ``serve_preview``, which tie them together.

Invariants:
- What the numéro is made of is ``Project.sources(issue)`` (of the last good draft, so
  its files are still watched while the manifest has errors) plus its folder's assets.
- The draft comes first and its pages follow; a newer save supersedes a print queued or
  in progress. Nothing is written to ``output/``.
- Safe by default: loopback only, loopback Host names only (DNS rebinding), and only the
  draft, ``styles/``, the numéro's folder and the images it prints are served; anything
  else (the manifest, a path climbing out) is a 404.
- ``stop()`` (and Ctrl-C) joins every thread it started, after a print in progress.
"""

from .server import PreviewServer, serve_preview

__all__ = ["PreviewServer", "serve_preview"]
