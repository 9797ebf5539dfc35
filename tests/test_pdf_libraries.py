"""pdf/libraries.py: WeasyPrint's libraries are found from ldconfig's cache, and only during its import."""

from __future__ import annotations

import ctypes.util
import subprocess
import sys

import pytest

from dossier.press.pdf.libraries import quick_library_lookup

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the lookup is Linux's")


def test_the_lookup_answers_from_ldconfig_without_a_compiler(monkeypatch: pytest.MonkeyPatch) -> None:
    spawned: list[list[str]] = []
    real_popen = subprocess.Popen

    def recording_popen(args, *rest, **options):  # type: ignore[no-untyped-def]
        spawned.append(list(args))
        return real_popen(args, *rest, **options)

    monkeypatch.setattr(subprocess, "Popen", recording_popen)
    original = ctypes.util.find_library
    with quick_library_lookup():
        assert ctypes.util.find_library is not original
        assert ctypes.util.find_library("pango-1.0") == "libpango-1.0.so.0"
        assert ctypes.util.find_library("libpango-1.0-0") is None  # a name that does not exist
    assert ctypes.util.find_library is original
    assert spawned and all("ldconfig" in args[0] for args in spawned), spawned


def test_weasyprint_loads_every_library_it_can_use() -> None:
    # In a fresh interpreter: the libraries are looked up once, at WeasyPrint's first import.
    script = (
        "import dossier.press.pdf, weasyprint.text.ffi as ffi;"
        "print(all(lib is not None for lib in (ffi.gobject, ffi.pango, ffi.harfbuzz, ffi.fontconfig,"
        " ffi.pangoft2, ffi.harfbuzz_subset)))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True", result.stderr
