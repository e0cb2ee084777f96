#!/usr/bin/env python3
"""Benchmark of newsd's analysed ingest, with its peers measured in the same run.

  1. Cold ingest of the corpus with everything on (hash, analysis, MinHash/LSH, clusters,
     FTS5): `newsd scan` into an empty state directory, wall time and peak RSS; next to
     datasketch's MinHashLSH script (../shared/bench/peer_datasketch.py) over the same files
     and SQLite's own FTS5 insert of the same texts (../shared/bench/fts5_floor.py), the floor.
  2. Incremental cost: the daemon watching a copy of the corpus (already catalogued); one new
     article (a republication of a corpus article, so it is clustered too) written and closed
     -> committed with its analysis, cluster and search row (visible to a reader of the
     catalogue), p50/p99 over N articles.

usage: bench/ingest.py [--corpus ../shared/corpus] [--runs 3] [--articles 100] [--skip-peers]
It installs datasketch 2.0.0 (PyPI, the MinHash reference newsd matches) when missing; it never assumes it.
"""
import argparse, os, re, shutil, sqlite3, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED_BENCH = os.path.join(ROOT, "..", "shared", "bench")
sys.path.insert(0, HERE)
from daemon import Newsd, build, percentile, reader  # noqa: E402  (the daemon benchmark's helpers)


def timed(args, **kw):
    """Runs a command; returns (seconds, peak RSS in KiB, stdout)."""
    t0 = time.monotonic()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, **kw)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.monotonic() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{args[0]} failed: {out[-500:]}")
    return seconds, usage.ru_maxrss, out


# The reference version, whose affine64 scheme MinHasher matches bit for bit. Older releases are
# much slower, which would flatter newsd.
DATASKETCH = "2.0.0"


def ensure_datasketch():
    """datasketch DATASKETCH importable by this python (installed when missing or another version)."""
    def version():
        r = subprocess.run([sys.executable, "-c", "import importlib.metadata as m; print(m.version('datasketch'))"],
                           capture_output=True, text=True)
        return r.stdout.strip() if r.returncode == 0 else None
    if version() != DATASKETCH:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", f"datasketch=={DATASKETCH}"],
                       capture_output=True)
    return version() == DATASKETCH


def cold(binary, corpus, work):
    """One cold `newsd scan` into an empty state directory: (seconds, peak RSS in KiB)."""
    state = os.path.join(work, "cold-state")
    shutil.rmtree(state, ignore_errors=True)
    seconds, rss, _ = timed([binary, "scan", "--root", corpus, "--state", state, "--json"])
    return seconds, rss


def incremental(binary, corpus, work, count):
    tree = os.path.join(work, "tree")
    shutil.copytree(corpus, tree)
    state = os.path.join(work, "inc-state")
    subprocess.run([binary, "scan", "--root", tree, "--state", state, "--json"], check=True,
                   stdout=subprocess.DEVNULL)
    d = Newsd(binary, tree, state, work)
    d.wait_ready()
    db = reader(d.db_path)
    sources = sorted(os.path.join(r, f) for r, _, fs in os.walk(corpus) for f in fs if f.endswith(".txt"))
    step = max(1, len(sources) // count)
    os.makedirs(os.path.join(tree, "incoming"))
    latencies, clustered = [], 0
    query = ("SELECT c.cluster, (SELECT COUNT(*) FROM contents o WHERE o.cluster = c.cluster), "
             "(SELECT COUNT(*) FROM search s WHERE s.rowid = c.id) "
             "FROM files f JOIN contents c ON c.id = f.content_id WHERE f.path = ?")
    for i in range(count):
        with open(sources[i * step], encoding="utf-8") as f:
            text = f.read()
        # A republication: another site's header line and the last paragraph dropped.
        paragraphs = text.rstrip("\n").split("\n")
        body = "Republished by the bench | Home | News\n" + "\n".join(paragraphs[:-1] if len(paragraphs) > 4
                                                                      else paragraphs) + "\n"
        name = f"incoming/article-{i}.txt"
        t0 = time.monotonic()
        with open(os.path.join(tree, name), "w", encoding="utf-8") as f:
            f.write(body)
        while True:
            row = db.execute(query, (name.encode(),)).fetchone()
            if row is not None:
                break
            if time.monotonic() - t0 > 10:
                raise SystemExit(f"newsd never committed {name}")
        latencies.append((time.monotonic() - t0) * 1000)
        assert row[2] == 1, f"{name} committed without its search row"
        clustered += row[1] > 1
    rss = d.peak_rss_kib()
    d.stop()
    return latencies, clustered, rss


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--articles", type=int, default=100)
    ap.add_argument("--skip-peers", action="store_true")
    args = ap.parse_args()
    corpus = os.path.abspath(args.corpus)
    if not os.path.isdir(corpus):
        raise SystemExit(f"corpus not found at {corpus} (pass --corpus)")
    binary = build()
    files = sum(len([f for f in fs if f.endswith(".txt")]) for _, _, fs in os.walk(corpus))
    print(f"corpus: {files} articles; machine: {os.cpu_count()} cores; best of {args.runs} rounds, the programs taking turns")
    with tempfile.TemporaryDirectory() as work:
        subprocess.run(["sh", "-c", f"cat $(find '{corpus}' -type f) > /dev/null"])  # warm the page cache
        # The programs take turns, one run of each per round, so that a slow minute on a shared
        # machine falls on all of them rather than on whichever ran then; each is then
        # represented by its best run. A round's ratios are printed too: the spread shows the
        # noise.
        have_ds = not args.skip_peers and ensure_datasketch()
        rounds = []
        for _ in range(args.runs):
            n = cold(binary, corpus, work)
            f = ds = None
            if not args.skip_peers:
                _, _, out = timed([sys.executable, os.path.join(SHARED_BENCH, "fts5_floor.py"), corpus])
                f = float(re.search(r"total ([0-9.]+) s", out).group(1))
                if have_ds:
                    ds = timed([sys.executable, os.path.join(SHARED_BENCH, "peer_datasketch.py"), corpus,
                                "--out", os.path.join(work, "ds.json")])[:2]
            rounds.append((n, f, ds))
        n_seconds, n_rss = min(r[0] for r in rounds)
        print(f"{'':34}{'seconds':>9}{'peak RSS':>11}")
        print(f"{'newsd scan, cold (everything on)':34}{n_seconds:9.2f}{n_rss / 1024:8.0f} MiB")
        if not args.skip_peers:
            floor = min(r[1] for r in rounds)
            print(f"{'SQLite FTS5 insert (the floor)':34}{floor:9.2f}")
            if have_ds:
                ds_seconds, ds_rss = min(r[2] for r in rounds)
                print(f"{f'datasketch {DATASKETCH} MinHashLSH script':34}{ds_seconds:9.2f}{ds_rss / 1024:8.0f} MiB")
                print(f"newsd is {ds_seconds / n_seconds:.2f}x faster than datasketch (target >= 4x), "
                      f"peak RSS {n_rss / ds_rss:.2f}x of datasketch's (target <= 0.25x)")
            else:
                print("datasketch could not be installed; its line is skipped")
            print(f"newsd is {n_seconds / floor:.2f}x the FTS5 floor (target <= 1.5x)")
            print("round by round: " + "; ".join(
                f"newsd {n[0]:.2f} s, floor {f:.2f} s ({n[0] / f:.2f}x)"
                + (f", datasketch {ds[0]:.2f} s ({ds[0] / n[0]:.2f}x)" if ds else "")
                for n, f, ds in rounds))
        latencies, clustered, rss = incremental(binary, corpus, work, args.articles + 1)
        # The first article is written the moment READY=1 arrives, while the daemon still
        # builds its analysis tables and candidate index: reported apart.
        first, steady = latencies[0], latencies[1:]
        print(f"incremental: one new article -> committed, clustered and searchable, n={len(steady)}: "
              f"p50 {percentile(steady, 50):.1f} ms, p99 {percentile(steady, 99):.1f} ms "
              f"(target <= 20 ms; includes the 5 ms settle); {clustered} joined a cluster; "
              f"daemon peak RSS {rss / 1024:.0f} MiB; the first, written at READY: {first:.0f} ms")


if __name__ == "__main__":
    main()
