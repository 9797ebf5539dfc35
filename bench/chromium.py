"""Debian's chromium as the benchmarks and the browser tests launch it: headless, no sandbox, nothing fetched
in the background (the machine's network is closed)."""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
