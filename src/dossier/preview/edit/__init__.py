"""The editing view of ``dossier preview`` (``/edit``): make a whole numéro in the browser, without writing YAML.

The rooms, one way:
- ``merge``: three-way merge of lines (a save and a change made on disk meanwhile);
- ``store``: the manifest's versions, saves (through ``manifest.roundtrip``), merges, history;
- ``upload``: a photo checked and stored beside the manifest under a clean name;
- ``guard``: the session's token and the same-origin rule for writes;
- ``words``: what the page says, from the catalog;
- ``api``: ``EditingDesk``, the HTTP answers over the above (the page is ``static/edit.html``,
  ``edit.js`` and ``edit.css``).
"""

from .api import EditingDesk

__all__ = ["EditingDesk"]
