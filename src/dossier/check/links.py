"""``dossier check --online``: reach every address, a few at a time, and remember the good ones for a day.

Invariant: only a complete success is cached; a link that failed or timed out is asked again next time.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from ..files import write_atomically
from ..i18n import _, decimal
from ..manifest import FieldPath

LINK_TIMEOUT = 10.0
LINK_WORKERS = 8
LINK_CACHE_DAYS = 1


@dataclass(frozen=True)
class Link:
    url: str
    field: FieldPath


def check_links(links: list[Link], *, timeout: float, cache_path: Path) -> list[tuple[Link, str]]:
    """Reach every address once (bounded concurrency); the ones that answered well are cached for a day."""
    cache = _read_cache(cache_path)
    now = time.time()
    fresh = {url for url, checked in cache.items() if now - checked < LINK_CACHE_DAYS * 86400}
    to_check = sorted({link.url for link in links if link.url.startswith("http") and link.url not in fresh})
    results = reach_all(to_check, timeout)
    for url, problem in results.items():
        if problem is None:
            cache[url] = now
    if results:
        write_atomically(cache_path, json.dumps(cache, indent=1, sort_keys=True).encode())
    return [(link, f"{link.url}: {results[link.url]}") for link in links if results.get(link.url)]


def reach_all(urls: list[str], timeout: float, workers: int = LINK_WORKERS) -> dict[str, str | None]:
    """Each address's problem (None: it answered well), ``workers`` at a time, each within ``timeout`` in all.

    urllib's timeout bounds each socket operation, not the request: a server that trickles
    its headers would hold a link for minutes. Each request runs in a daemon thread that is
    abandoned at its deadline (its late answer is ignored, so never cached).
    """
    results: dict[str, str | None] = {}
    done = threading.Condition()
    running: dict[str, float] = {}  # url → deadline
    waiting = list(reversed(urls))

    def work(url: str) -> None:
        problem = _reach(url, timeout)
        with done:
            if url in running:  # not abandoned meanwhile
                results[url] = problem
                del running[url]
                done.notify()

    with done:
        while waiting or running:
            while waiting and len(running) < workers:
                url = waiting.pop()
                running[url] = time.monotonic() + timeout
                threading.Thread(target=work, args=(url,), name="dossier-link-check", daemon=True).start()
            done.wait(timeout=max(0.0, min(running.values()) - time.monotonic()))
            now = time.monotonic()
            for url in [url for url, deadline in running.items() if deadline <= now]:
                del running[url]
                results[url] = _no_answer(timeout)
    return results


def _reach(url: str, timeout: float) -> str | None:
    """None when the address answers with success (after redirects), else what went wrong."""
    headers = {"User-Agent": "dossier-link-check/1.0"}
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                if response.status < 400:
                    return None
        except urllib.error.HTTPError as exc:
            if method == "HEAD" and exc.code in {403, 405, 501}:
                continue  # some servers refuse HEAD: ask again with GET
            return _("broken link: the server answers {code} {reason}").format(code=exc.code, reason=exc.reason)
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError) or "timed out" in str(reason):
                return _no_answer(timeout)
            return _("unreachable: {reason}").format(reason=reason)
    return _("broken link")


def _no_answer(timeout: float) -> str:
    return _("no answer within {seconds} s").format(seconds=decimal(timeout, None))


def _read_cache(path: Path) -> dict[str, float]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): float(v) for k, v in data.items()} if isinstance(data, dict) else {}
