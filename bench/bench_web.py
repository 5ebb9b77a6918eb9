"""Web app latency: p50/p95 of the library, search and reader pages under concurrent clients.

Builds (once, then reuses) a library of --works works by storing copies of the analysed
sample stories with varied metadata (titles, authors, fandoms, ratings, tags), so no
10,000 texts are analysed; serves it with uvicorn in a child process, as ``ficlens
serve`` does; then --clients concurrent clients request pages for --seconds and the
latency of each kind of page is reported.

    python bench/bench_web.py                       # 10,000 works, 20 clients
    python bench/bench_web.py --works 2000 --seconds 10
    python bench/bench_web.py --workers 2           # ficlens serve --workers 2
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import httpx2 as httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ficlens.library import Library, open_library  # noqa: E402
from ficlens.model import Analysis  # noqa: E402
from ficlens.pipeline import Pipeline  # noqa: E402
from ficlens.read import Loaded, load_path  # noqa: E402

FANDOMS = [
    "Merlin (TV)",
    "Sherlock (TV)",
    "Star Trek: The Original Series",
    "Harry Potter - J. K. Rowling",
    "Good Omens (TV)",
    "Doctor Who",
    "Teen Wolf (TV)",
    "Supernatural",
    "Marvel Cinematic Universe",
    "The Witcher (TV)",
    "Haikyuu!!",
    "Stranger Things (TV 2016)",
]
RATINGS = ["General Audiences", "Teen And Up Audiences", "Mature", "Explicit", "Not Rated"]
TAGS = [
    "Angst",
    "Fluff",
    "Hurt/Comfort",
    "Friendship",
    "Humor",
    "Romance",
    "First Kiss",
    "Established Relationship",
    "Grief/Mourning",
    "Alternate Universe",
    "Post-Canon",
    "Crying",
    "Hugs",
    "Slow Burn",
    "Happy Ending",
]
SEARCHES = [
    "kettle",
    'fandom:"Merlin (TV)"',
    'fandom:"Sherlock (TV)" -tag:Angst',
    "tag:Fluff -tag:Angst rating:<=T",
    "words:>500 complete:yes",
    'rain -fandom:"Doctor Who"',
    "tag:h/c",
    'author:"author7"',
]


def build_library(db: Path, works: int) -> None:
    samples = sorted((ROOT / "ficlens" / "samples").glob("*.txt"))
    pipeline = Pipeline()
    loads = [load_path(path) for path in samples]
    analysed = [(loaded, pipeline.analyze_loaded(loaded)) for loaded in loads]
    rng = random.Random(1)
    started = time.perf_counter()
    with open_library(str(db)) as library:
        for start in range(0, works, 500):
            # Batches of 500 in one transaction each: adding is what is slow, not serving.
            with library.db.transaction():
                for i in range(start, min(start + 500, works)):
                    store_copy(library, analysed, i, rng, started)


def store_copy(
    library: Library,
    analysed: list[tuple[Loaded, Analysis]],
    i: int,
    rng: random.Random,
    started: float,
) -> None:
    """Store the ``i``-th copy of a sample, its metadata varied."""
    loaded, analysis = analysed[i % len(analysed)]
    base_title = analysis.work.title or "Untitled"
    # Vary what search and facets read; the text and its offsets stay valid.
    analysis.work.title = f"{base_title.split(' #')[0]} #{i}"
    analysis.work.authors = [f"author{rng.randrange(500)}"]
    declared = analysis.work.declared
    declared.fandoms = rng.sample(FANDOMS, rng.choice((1, 1, 1, 2)))
    declared.rating = rng.choice(RATINGS)  # type: ignore[assignment]
    declared.tags = rng.sample(TAGS, rng.randrange(1, 6))
    analysis.work.complete = rng.random() < 0.7
    analysis.source.sha256 = hashlib.sha256(f"bench-{i}".encode()).hexdigest()
    loaded.source.path = analysis.source.path = f"/bench/work-{i}.txt"
    library.add(loaded, analysis)
    if (i + 1) % 1000 == 0:
        rate = (i + 1) / (time.perf_counter() - started)
        print(f"  stored {i + 1:,} works ({rate:,.0f}/s)", file=sys.stderr)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(db: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    """``ficlens serve`` in a child process, as a user starts it."""
    command = [sys.executable, "-m", "ficlens.cli", "serve", "--db", str(db)]
    command += ["--port", str(port), "--workers", str(workers)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


def page_urls(rng: random.Random, work_ids: list[int]) -> tuple[str, str]:
    kind = rng.choice(("library", "search", "reader"))
    if kind == "library":
        page = rng.randrange(1, 50)
        sort = rng.choice(("relevance", "words", "date", "title"))
        return kind, f"/?sort={sort}&page={page}"
    if kind == "search":
        return kind, f"/?q={quote(rng.choice(SEARCHES))}"
    return kind, f"/works/{rng.choice(work_ids)}/read"


async def fetch(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, url: str
) -> tuple[int, bytes]:
    """One GET on a kept-alive connection: (status, body). A few lines of HTTP/1.1 rather
    than a full client, so the clients' own CPU time hardly shows in the figures."""
    writer.write(f"GET {url} HTTP/1.1\r\nHost: bench\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    return status, await reader.readexactly(length)


async def client(
    port: int, seconds: float, seed: int, work_ids: list[int], times: dict[str, list[float]]
) -> None:
    rng = random.Random(seed)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            kind, url = page_urls(rng, work_ids)
            started = time.perf_counter()
            status, _ = await fetch(reader, writer, url)
            elapsed = time.perf_counter() - started
            if status != 200:
                raise SystemExit(f"{url}: HTTP {status}")
            times[kind].append(elapsed * 1000)
    finally:
        writer.close()


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) a process has used so far; None where /proc is missing."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument(
        "--db",
        type=Path,
        default=Path(tempfile.gettempdir()) / "ficlens-bench-web.sqlite3",
        help="the library to build or reuse",
    )
    parser.add_argument("--workers", type=int, default=1, help="ficlens serve --workers")
    parser.add_argument("--build-only", action="store_true", help="build the library, stop")
    args = parser.parse_args()

    with open_library(str(args.db)) as library:
        stored = library.count()
    if stored != args.works:
        args.db.unlink(missing_ok=True)
        print(f"building a library of {args.works:,} works in {args.db}", file=sys.stderr)
        started = time.perf_counter()
        build_library(args.db, args.works)
        print(f"  built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    if args.build_only:
        return
    with open_library(str(args.db)) as library:
        work_ids = [int(row[0]) for row in library.db.all("SELECT id FROM works")]

    port = free_port()
    server = start_server(args.db, port, args.workers)
    try:
        times: dict[str, list[float]] = {"library": [], "search": [], "reader": []}
        # A short warm-up, then the measured run.
        asyncio.run(client(port, 2.0, 0, work_ids, {k: [] for k in times}))
        cpu_before = cpu_seconds(server.pid)
        started = time.perf_counter()

        async def run_all() -> None:
            await asyncio.gather(
                *(
                    client(port, args.seconds, seed, work_ids, times)
                    for seed in range(1, args.clients + 1)
                )
            )

        asyncio.run(run_all())
        wall = time.perf_counter() - started
        cpu_after = cpu_seconds(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=10)

    requests = sum(len(v) for v in times.values())
    report: dict[str, object] = {
        "works": len(work_ids),
        "clients": args.clients,
        "server_workers": args.workers,
        "seconds": round(wall, 1),
        "requests_per_second": round(requests / wall, 1),
        # What the server itself spent per request: unlike latency, not inflated by other
        # processes competing for the cores (one worker only: the others are children).
        "server_cpu_ms_per_request": (
            round((cpu_after - cpu_before) * 1000 / requests, 2)
            if cpu_before is not None and cpu_after is not None and args.workers == 1
            else None
        ),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "pages": {
            kind: {
                "requests": len(values),
                "p50_ms": round(statistics.median(values), 1),
                "p95_ms": round(percentile(values, 0.95), 1),
            }
            for kind, values in times.items()
            if values
        },
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
