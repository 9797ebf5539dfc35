"""Finding WeasyPrint's native libraries (GLib, Pango, HarfBuzz, fontconfig) without a compiler.

WeasyPrint asks cffi for each library under several names, most of which do not exist on
Linux (``libpango-1.0-0``, ``pango-1.0-0``…). For every miss, ``ctypes.util.find_library``
runs ``ldconfig``, then ``gcc``, then ``ld``: about twenty subprocesses, 0.2 s of a 2 s build.

While WeasyPrint is imported, a name is looked up in ldconfig's cache only. Nothing that
could be loaded is lost: the name lists also hold the sonames (``libpango-1.0.so.0``) that
the dynamic loader opens itself, ``LD_LIBRARY_PATH`` included; and the lookup is restored
afterwards for everyone else.
"""

from __future__ import annotations

import ctypes.util
import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def quick_library_lookup() -> Iterator[None]:
    # A private helper of the standard library's Linux branch (Python 3.6 to 3.14): without it,
    # or elsewhere than Linux, the usual lookup stays.
    ldconfig_only = getattr(ctypes.util, "_findSoname_ldconfig", None)
    if not sys.platform.startswith("linux") or ldconfig_only is None:
        yield
        return
    original = ctypes.util.find_library
    ctypes.util.find_library = ldconfig_only
    try:
        yield
    finally:
        ctypes.util.find_library = original
