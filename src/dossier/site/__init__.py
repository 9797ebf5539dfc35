"""``dossier site``: the numéros on screens, as a static site any web server can serve as it is.

The site, by default in output/site/:

==========================  ==================================================================
``index.html``              the archive: every numéro, newest first, with its cover (``archive``)
``NN/index.html``           a numéro's web edition, same content and order as the PDF (``edition``)
``NN/dossier-special-NN.pdf``  the PDF, built first when missing or stale
``NN/images/``              each image in the widths a screen needs, WebP (``images``)
``assets/``                 the stylesheet, the page script, the fonts as WOFF2 subsets (``fonts``)
``feed.xml``, ``sitemap.xml``  Atom feed; sitemap when ``site_url`` is set (``feeds``)
``.dossier-site.json``      what each numéro's folder was made from (``state``)
==========================  ==================================================================

Invariants, site-wide: every link inside the site is relative (it works from any folder of a
server and from disk); nothing is fetched from another host; the site is written into a
staged folder and swapped in whole (``folder``); an unchanged numéro is not rebuilt
(``state.edition_hash``: content hashes, never file times).
"""

from __future__ import annotations

from .publish import SiteReport, build_site

__all__ = ["SiteReport", "build_site"]
