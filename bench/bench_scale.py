"""Benchmark: a large generated numéro (200 initiatives with photos, about 60 pages) against the sample.

Prints, for each build (run in its own process): pages, seconds, seconds per page, peak
memory and PDF size. Targets: time per page no worse than the sample's (with photos), peak
memory under 400 MB. Every build runs with --force (a second, unchanged build would print nothing).

Run from the project folder:  .venv/bin/python bench/bench_scale.py [--initiatives 200]
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFilter

from sample import copy_sample  # bench/sample.py


def photo(path: Path, seed: int, size: tuple[int, int] = (3000, 2000)) -> None:
    """A photo-like JPEG: noise under blurred shapes compresses like a real photo."""
    rng = random.Random(seed)
    width, height = size
    image = Image.effect_noise((width // 4, height // 4), 40).convert("RGB").resize(size)
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randrange(50, 400)
        draw.ellipse((x, y, x + r, y + r), fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    image.filter(ImageFilter.GaussianBlur(2)).save(path, quality=90)


def add_photos_to_sample(root: Path, photos: list[Path]) -> None:
    manifest = root / "issues/03/issue.yaml"
    count = 0

    def add(match: re.Match) -> str:
        nonlocal count
        shutil.copy(photos[count % len(photos)], root / f"issues/03/photo{count}.jpg")
        count += 1
        return match.group(0) + f"        image: photo{count - 1}.jpg\n        alt: Photo {count}\n"

    manifest.write_text(re.sub(r"      - title: .*\n", add, manifest.read_text(encoding="utf-8")), encoding="utf-8")


def generate_large(root: Path, initiatives: int, photos: list[Path]) -> None:
    """issues/90: the sample's initiatives, repeated with photos until there are ``initiatives``."""
    sample = yaml.safe_load((root / "issues/03/issue.yaml").read_text(encoding="utf-8"))
    source = [i for theme in sample["practices"] for i in theme["initiatives"]]
    folder = root / "issues/90"
    folder.mkdir()
    themes = []
    for n in range(initiatives):
        if n % 25 == 0:
            themes.append({"theme": f"Thème {len(themes) + 1}", "initiatives": []})
        initiative = dict(source[n % len(source)])
        initiative.pop("image", None)
        initiative.pop("alt", None)
        initiative["title"] = f"{initiative['title']} ({n + 1})"
        shutil.copy(photos[n % len(photos)], folder / f"photo{n}.jpg")
        initiative["image"] = f"photo{n}.jpg"
        initiative["alt"] = f"Photo de l'initiative {n + 1}"
        themes[-1]["initiatives"].append(initiative)
    manifest = {**sample, "number": 90, "practices": themes}
    (folder / "issue.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _rss_kb(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(match[1]) if match else 0


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and its children (a build and its print worker), from /proc."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return _rss_kb(pid) + sum(_rss_kb(int(child)) for child in children)


def timed_build(root: Path, number: str) -> tuple[float, float, int, int]:
    """Build in a child process: seconds, peak memory (MB: the build and its print worker together,
    sampled every 10 ms), pages, PDF bytes."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        command = [sys.executable, "-m", "dossier", "build", number, "--force"]
        process = subprocess.Popen(command, cwd=root, stdout=out, stderr=err)
        peak = 0
        while process.poll() is None:
            peak = max(peak, _tree_rss_kb(process.pid))
            time.sleep(0.01)
        elapsed = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if process.returncode != 0:
        raise SystemExit(stderr)
    pdf = root / stdout.splitlines()[-1]
    pages = int(re.match(r"(\d+) pages", stderr.splitlines()[-1])[1])
    return elapsed, peak / 1024, pages, pdf.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--initiatives", type=int, default=200)
    parser.add_argument("--distinct-photos", type=int, default=20, help="photos generated, then copied to every card")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        photos = []
        for n in range(args.distinct_photos):
            photos.append(work / f"source{n}.jpg")
            photo(photos[-1], n)
        plain = copy_sample(work / "plain")
        illustrated = copy_sample(work / "illustrated")
        add_photos_to_sample(illustrated, photos)
        generate_large(illustrated, args.initiatives, photos)

        rows = [
            ("sample n°3, no photos", *_build_twice(plain, "3")),
            ("sample n°3, 30 photos", *_build_twice(illustrated, "3")),
            (f"generated, {args.initiatives} photos", *_build_twice(illustrated, "90")),
        ]
    print(f"{'build':28}{'pages':>6}{'s':>8}{'s/page':>8}{'peak MB':>9}{'PDF MB':>8}")
    for label, seconds, peak, pages, size in rows:
        print(f"{label:28}{pages:6d}{seconds:8.2f}{seconds / pages:8.3f}{peak:9.0f}{size / 1e6:8.2f}")
    ratio = (rows[2][1] / rows[2][3]) / (rows[1][1] / rows[1][3])
    print(f"time per page, large / sample with photos: {ratio:.2f}× (target ≤ 1×); "
          f"peak memory {rows[2][2]:.0f} MB (target < 400 MB)")


def _build_twice(root: Path, number: str) -> tuple[float, float, int, int]:
    timed_build(root, number)  # warm the file cache; the second run is the one reported
    return timed_build(root, number)


if __name__ == "__main__":
    main()
