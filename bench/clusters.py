#!/usr/bin/env python3
"""Benchmark of the cluster shapes that can make clustering quadratic, with datasketch in the same run.

Two generated trees (in a temporary directory; the corpus is only read):
  * the wire story: one English corpus article republished N times, each copy with its own
    `Outlet i | News` first line, its own share line and 1-8 of its words replaced;
  * the eight-word vocabulary: N files of 200-400 random words from eight words of eight
    letters, so that every file is a near-duplicate of every other.

Measures, in one run (release build):
  1. a cold `newsd scan` of each tree at each size (default 2,000 and 8,000): seconds, ms a
     file and peak RSS, next to datasketch's MinHashLSH script (../shared/bench/
     peer_datasketch.py) on the same tree; the growth of newsd's time from the smallest size to
     the largest (target: at most 1.125x the growth of the tree, 4.5x from 2,000 to 8,000) and
     datasketch's time over newsd's at the largest (target >= 3x); then, from the catalogue,
     the clusters the copies form (target: 1 for the wire story) and the near_edges rows a
     content (target <= 8) with the largest degree;
  2. the daemon watching the catalogued wire story (8,000 copies by default): new copies
     written one at a time -> committed and in the story's cluster, p50/p99 (target p99 <=
     20 ms); 1,000 copies deleted at once -> the catalogue holds 1,000 fewer files, still in one
     cluster; the same copies written again -> all catalogued in the one cluster; the
     daemon's peak RSS.

usage: bench/clusters.py [--sizes 2000,8000] [--article FILE] [--skip-peers] [--skip-daemon]
                         [--daemon-copies N] [--latency-copies 60] [--churn 1000] [--timeout 600]
                         [--keep] [--work DIR]
A quadratic clustering takes hours at 8,000 copies: try a build at small sizes first
(--sizes 100,200 --churn 50). Missed targets are printed, never an exit status; the script
fails only when a program fails or a wait times out.
It installs datasketch 2.0.0 (PyPI) when missing; it never assumes it.
"""
import argparse, json, os, random, re, shutil, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED_BENCH = os.path.join(ROOT, "..", "shared", "bench")
sys.path.insert(0, HERE)
from daemon import Newsd, build, percentile, reader  # noqa: E402  (the daemon benchmark's helpers)
from ingest import DATASKETCH, ensure_datasketch, timed  # noqa: E402  (the ingest benchmark's)

ENGLISH = os.path.join(ROOT, "..", "shared", "corpus", "en")
MIN_ARTICLE_CHARS = 2000
FILES_PER_DIRECTORY = 100
# Eight words of eight letters: a 9-character shingle (newsd's, over the text without spaces)
# then spans at most two words, so each 200-400-word file holds nearly all of the ~500
# possible shingles, and any two files have a Jaccard near 0.9 or above.
VOCABULARY = ["absolute", "backward", "calendar", "daylight", "elephant", "features", "graceful", "hospital"]

# Targets.
SCALING_SLACK = 1.125  # the time may grow 1.125x as fast as the tree: 4.5x for 2,000 -> 8,000
PEER_RATIO_TARGET = 3.0
EDGES_PER_CONTENT_TARGET = 8.0
LATENCY_P99_TARGET_MS = 20.0

CLUSTERS_QUERY = "SELECT count(DISTINCT c.cluster) FROM files f JOIN contents c ON c.id = f.content_id"


# ---------------------------------------------------------------- the trees

def default_article():
    """The first English corpus article by name with at least MIN_ARTICLE_CHARS characters."""
    for name in sorted(os.listdir(ENGLISH)):
        path = os.path.join(ENGLISH, name)
        with open(path, encoding="utf-8") as f:
            if len(f.read()) >= MIN_ARTICLE_CHARS:
                return path
    raise SystemExit(f"no article of {MIN_ARTICLE_CHARS} characters in {ENGLISH} (pass --article)")


class WireStory:
    """The copies of one article as outlets republish it; copy i depends only on the article and i."""

    def __init__(self, text):
        # Words and the whitespace between them, so that a copy keeps the article's layout.
        self.tokens = re.split(r"(\s+)", text.strip())
        self.word_positions = [k for k, token in enumerate(self.tokens) if token and not token.isspace()]
        self.words = sorted({self.tokens[k] for k in self.word_positions})

    def copy(self, i):
        rng = random.Random(f"wire-{i}")
        tokens = list(self.tokens)
        for k in rng.sample(self.word_positions, rng.randint(1, 8)):
            tokens[k] = rng.choice(self.words)
        return f"Outlet {i} | News\n\n{''.join(tokens)}\n\nShare this story on Outlet {i}\n"


def vocabulary_text(i):
    """File i of the eight-word vocabulary tree: 200-400 random words, twelve a line."""
    rng = random.Random(f"vocabulary-{i}")
    words = [rng.choice(VOCABULARY) for _ in range(rng.randint(200, 400))]
    return "\n".join(" ".join(words[k:k + 12]) for k in range(0, len(words), 12)) + "\n"


def copy_path(tree, i):
    return os.path.join(tree, f"d{i // FILES_PER_DIRECTORY:03d}", f"copy-{i:05d}.txt")


def relative_key(tree, i):
    """Copy i's path as the catalogue stores it: relative to the root, as bytes."""
    return os.path.relpath(copy_path(tree, i), tree).encode()


def write_copy(tree, i, text_of):
    path = copy_path(tree, i)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text_of(i))


def write_tree(tree, count, text_of):
    for i in range(count):
        write_copy(tree, i, text_of)


# ---------------------------------------------------------------- cold scans

# Options added to every cold `newsd scan` (`--candidate-memory`).
SCAN_OPTIONS = []


def scan_cold(binary, tree, state, count):
    """A cold `newsd scan --json`: (seconds, peak RSS in KiB); fails unless every file is catalogued."""
    seconds, rss, out = timed([binary, "scan", "--root", tree, "--state", state, "--json"] + SCAN_OPTIONS)
    report = json.loads(out)
    if report["files"] != count or report["errors"] != 0:
        raise SystemExit(f"newsd scan of {tree} catalogued {report['files']} files with {report['errors']} "
                         f"errors; {count} were written")
    return seconds, rss


def scan_datasketch(tree, out):
    """datasketch's MinHashLSH script on the tree: (seconds, peak RSS in KiB, clusters it found)."""
    seconds, rss, _ = timed([sys.executable, os.path.join(SHARED_BENCH, "peer_datasketch.py"), tree, "--out", out])
    with open(out) as f:
        clusters = len(set(json.load(f).values()))
    return seconds, rss, clusters


def cluster_shape(db_path):
    """(distinct clusters among the files, near_edges rows a content, the largest degree of a content)."""
    db = reader(db_path)
    try:
        clusters = db.execute(CLUSTERS_QUERY).fetchone()[0]
        edges = db.execute("SELECT count(*) FROM near_edges").fetchone()[0]
        contents = db.execute("SELECT count(*) FROM contents").fetchone()[0]
        degree = db.execute("SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM "
                            "(SELECT a AS id FROM near_edges UNION ALL SELECT b FROM near_edges) GROUP BY id)"
                            ).fetchone()[0]
    finally:
        db.close()
    return clusters, edges / max(contents, 1), degree


def measure_tree(binary, work, kind, count, text_of, with_peer):
    """Writes one tree, scans it cold with newsd (and datasketch), reads the catalogue's clusters."""
    tree = os.path.join(work, f"{kind}-{count}")
    state = os.path.join(work, f"{kind}-{count}-state")
    write_tree(tree, count, text_of)
    seconds, rss = scan_cold(binary, tree, state, count)
    clusters, edges_per_content, max_degree = cluster_shape(os.path.join(state, "catalog.sqlite"))
    result = dict(kind=kind, count=count, tree=tree, state=state, seconds=seconds, rss=rss, clusters=clusters,
                  edges_per_content=edges_per_content, max_degree=max_degree, peer=None)
    if with_peer:
        result["peer"] = scan_datasketch(tree, os.path.join(work, f"{kind}-{count}-datasketch.json"))
    return result


def print_scan(r):
    count = r["count"]
    print(f"  {count:,} files:")
    print(f"    {'newsd scan, cold':22}{r['seconds']:9.2f} s{r['seconds'] * 1000 / count:9.2f} ms/file"
          f"{r['rss'] / 1024:8.0f} MiB")
    if r["peer"]:
        seconds, rss, clusters = r["peer"]
        print(f"    {f'datasketch {DATASKETCH}':22}{seconds:9.2f} s{seconds * 1000 / count:9.2f} ms/file"
              f"{rss / 1024:8.0f} MiB   ({clusters} clusters)")
    clusters = f"{r['clusters']} distinct cluster" + ("" if r["clusters"] == 1 else "s")
    print(f"    catalogue: {clusters} among the files; near_edges {r['edges_per_content']:.2f} rows "
          f"a content, largest degree {r['max_degree']}")


# ---------------------------------------------------------------- the daemon

class Catalogue:
    """The daemon's catalogue read as copies of one story, against a reference copy that stays."""

    def __init__(self, daemon, reference_key):
        self.daemon = daemon
        self.db = reader(daemon.db_path)
        self.reference_key = reference_key

    def in_story(self, key):
        """None while the file is not catalogued, else whether it is in the reference copy's cluster."""
        row = self.db.execute(
            "SELECT c.cluster = (SELECT r.cluster FROM files g JOIN contents r ON r.id = g.content_id "
            "WHERE g.path = ?2) FROM files f JOIN contents c ON c.id = f.content_id WHERE f.path = ?1",
            (key, self.reference_key)).fetchone()
        return None if row is None else bool(row[0])

    def files(self):
        return self.db.execute("SELECT count(*) FROM files").fetchone()[0]

    def clusters(self):
        return self.db.execute(CLUSTERS_QUERY).fetchone()[0]

    def wait_until(self, condition, timeout, what, pause=0.0):
        """Polls until condition() holds (a tight loop unless pause); returns the time it held.
        Fails loudly on the timeout or when the daemon exits."""
        t0 = time.monotonic()
        while not condition():
            now = time.monotonic()
            if self.daemon.proc.poll() is not None:
                raise SystemExit(f"newsd exited with status {self.daemon.proc.returncode} while waiting for {what}")
            if now - t0 > timeout:
                raise SystemExit(f"timed out after {timeout} s waiting for {what} (files {self.files()}, "
                                 f"clusters {self.clusters()})")
            if pause:
                time.sleep(pause)
        return time.monotonic()


def varint(blob, i):
    """SQLite's varint at blob[i]: (value, next index)."""
    value = 0
    for k in range(9):
        byte = blob[i]
        i += 1
        if k == 8:
            return (value << 8) | byte, i
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value, i
    return value, i


def search_levels(db):
    """Segments on each level of the catalogue's FTS5 index (its structure record, id 10)."""
    row = db.execute("SELECT block FROM search_data WHERE id = 10").fetchone()
    if row is None:
        return []
    blob, i = row[0], 4
    levels, i = varint(blob, i)
    for _ in range(2):  # the segment count and the write counter
        _, i = varint(blob, i)
    counts = []
    for _ in range(levels):
        _, i = varint(blob, i)  # segments being merged
        segments, i = varint(blob, i)
        for _ in range(3 * segments):  # each segment's id, first and last page
            _, i = varint(blob, i)
        counts.append(segments)
    return counts


def ensure_catalogued_wire_tree(binary, work, count, story, scans):
    """The wire story of `count` copies and a catalogue of it: the scan stage's when it made one."""
    for r in scans:
        if r["kind"] == "wire" and r["count"] == count:
            return r["tree"], r["state"]
    tree = os.path.join(work, f"wire-{count}")
    state = os.path.join(work, f"wire-{count}-state")
    write_tree(tree, count, story.copy)
    seconds, _ = scan_cold(binary, tree, state, count)
    print(f"  (catalogued {count:,} copies for the daemon with newsd scan: {seconds:.2f} s)")
    return tree, state


def latency(catalogue, tree, story, first, count, timeout):
    """New copies written one at a time: ms from write+close to committed in the story's cluster."""
    latencies = []
    for i in range(first, first + count):
        key = relative_key(tree, i)
        t0 = time.monotonic()
        write_copy(tree, i, story.copy)
        done = catalogue.wait_until(lambda: catalogue.in_story(key), timeout, f"copy {i} in the story's cluster")
        latencies.append((done - t0) * 1000)
    return latencies


def churn(catalogue, tree, story, indices, timeout):
    """Deletes the copies at once, waits for the catalogue to drop them in one cluster; writes them
    back and waits for all of them in it. Returns the four times, in seconds."""
    files_before = catalogue.files()
    clusters_before = catalogue.clusters()
    t0 = time.monotonic()
    for i in indices:
        os.unlink(copy_path(tree, i))
    unlinked = time.monotonic()
    gone = catalogue.wait_until(
        lambda: catalogue.files() == files_before - len(indices) and catalogue.clusters() <= clusters_before,
        timeout, f"{len(indices)} deleted copies out of the catalogue, the rest in {clusters_before} cluster(s)",
        pause=0.001)
    t1 = time.monotonic()
    for i in indices:
        write_copy(tree, i, story.copy)
    written = time.monotonic()
    back = catalogue.wait_until(
        lambda: catalogue.files() == files_before and catalogue.clusters() <= clusters_before,
        timeout, f"{len(indices)} re-added copies in the catalogue, in {clusters_before} cluster(s)", pause=0.001)
    return dict(unlink=unlinked - t0, delete=gone - t0, write=written - t1, readd=back - t1,
                clusters_before=clusters_before, clusters_after=catalogue.clusters())


def measure_daemon(binary, work, story, copies, latency_copies, churn_count, timeout, scans):
    tree, state = ensure_catalogued_wire_tree(binary, work, copies, story, scans)
    # The new copies' directories exist before the daemon starts: the latencies are the
    # clustering's, not a new directory's watch.
    for i in range(copies, copies + latency_copies):
        os.makedirs(os.path.dirname(copy_path(tree, i)), exist_ok=True)
    daemon = Newsd(binary, tree, state, work)
    try:
        ready = daemon.wait_ready(timeout)
        # Copy 1 is never deleted (the churn takes every step-th copy from 0, step >= 2).
        catalogue = Catalogue(daemon, relative_key(tree, 1))
        # A cold scan leaves its search segments for the daemon to merge once idle (FTS5
        # merges levels of 4 or more); measured before that, the first few dozen single-file
        # commits reach FTS5's crisis merge of those segments inside one of them.
        segments = search_levels(catalogue.db)
        t0 = time.monotonic()
        catalogue.wait_until(lambda: max(search_levels(catalogue.db), default=0) < 4, timeout,
                             "the daemon's idle merge of the scan's search segments", pause=0.05)
        merged = time.monotonic() - t0
        latencies = latency(catalogue, tree, story, copies, latency_copies, timeout)
        step = copies // churn_count
        times = churn(catalogue, tree, story, range(0, step * churn_count, step), timeout)
        rss = daemon.peak_rss_kib()
    finally:
        daemon.stop()
    if daemon.proc.returncode != 0:
        raise SystemExit(f"newsd run exited with status {daemon.proc.returncode} on SIGTERM; see {work}/newsd.log")
    return dict(copies=copies, ready=ready, segments=segments, merged=merged, latencies=latencies,
                churn=churn_count, rss=rss, **times)


def print_daemon(d):
    lat = d["latencies"]
    n = d["churn"]
    print(f"  ready on the catalogued tree in {d['ready']:.2f} s; the scan's search segments {d['segments']} "
          f"merged while idle in {d['merged']:.2f} s")
    print(f"  one new copy -> committed and in the story's cluster, n={len(lat)}: p50 {percentile(lat, 50):.1f} ms, "
          f"p99 {percentile(lat, 99):.1f} ms, max {max(lat):.1f} ms")
    print(f"  {n:,} copies deleted at once (unlinked in {d['unlink'] * 1000:.0f} ms): out of the catalogue in "
          f"{d['delete']:.2f} s ({d['delete'] * 1000 / n:.2f} ms a copy); clusters {d['clusters_before']} before")
    print(f"  the same {n:,} written again (in {d['write'] * 1000:.0f} ms): catalogued in {d['readd']:.2f} s "
          f"({d['readd'] * 1000 / n:.2f} ms a copy); clusters {d['clusters_after']} after")
    print(f"  daemon peak RSS {d['rss'] / 1024:.1f} MiB")


# ---------------------------------------------------------------- targets

def scan_targets(name, results, peer_target=True):
    """(what, figure, target, met) rows for one tree's scans, smallest to largest size. Without
    peer_target the datasketch ratio is a figure only: on the eight-word vocabulary its word
    5-grams find no near duplicate, so it skips the clustering that newsd does."""
    rows = []
    small, large = results[0], results[-1]
    if large["count"] > small["count"]:
        growth = large["seconds"] / small["seconds"]
        allowed = SCALING_SLACK * large["count"] / small["count"]
        rows.append((f"{name}: newsd {large['count']:,} / {small['count']:,}", f"{growth:.2f}x",
                     f"<= {allowed:.2f}x", growth <= allowed))
    if large["peer"]:
        ratio = large["peer"][0] / large["seconds"]
        rows.append((f"{name}: datasketch / newsd at {large['count']:,}", f"{ratio:.2f}x",
                     f">= {PEER_RATIO_TARGET:.0f}x" if peer_target else "(figure)",
                     ratio >= PEER_RATIO_TARGET if peer_target else None))
    for r in results:
        rows.append((f"{name}: near_edges a content at {r['count']:,}", f"{r['edges_per_content']:.2f}",
                     f"<= {EDGES_PER_CONTENT_TARGET:.0f}", r["edges_per_content"] <= EDGES_PER_CONTENT_TARGET))
    return rows


def wire_cluster_targets(results):
    return [(f"wire story: clusters at {r['count']:,}", str(r["clusters"]), "1", r["clusters"] == 1) for r in results]


def daemon_targets(d):
    p99 = percentile(d["latencies"], 99)
    return [(f"daemon at {d['copies']:,}: new copy -> clustered, p99", f"{p99:.1f} ms",
             f"<= {LATENCY_P99_TARGET_MS:.0f} ms", p99 <= LATENCY_P99_TARGET_MS),
            (f"daemon: one cluster after deleting and re-adding {d['churn']:,}", str(d["clusters_after"]), "1",
             d["clusters_after"] == 1)]


def print_targets(rows):
    for what, figure, target, met in rows:
        verdict = "" if met is None else ": met" if met else ": NOT met"
        print(f"  {what}: {figure} (target {target}{verdict})")


def print_summary(rows):
    width = max(len(r[0]) for r in rows)
    print("\nsummary")
    print(f"  {'figure':{width}}  {'measured':>10}  {'target':>9}")
    for what, figure, target, met in rows:
        print(f"  {what:{width}}  {figure:>10}  {target:>9}  {'' if met is None else 'met' if met else 'NOT met'}")


# ---------------------------------------------------------------- main

def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="2000,8000", help="files in each tree, comma-separated (default 2000,8000)")
    ap.add_argument("--article", help=f"the wire story (default: the first of {ENGLISH} with "
                                      f"{MIN_ARTICLE_CHARS:,} characters)")
    ap.add_argument("--skip-peers", action="store_true", help="no datasketch")
    ap.add_argument("--skip-daemon", action="store_true", help="the cold scans only")
    ap.add_argument("--daemon-copies", type=int, help="copies the daemon watches (default: the largest size)")
    ap.add_argument("--latency-copies", type=int, default=60, help="new copies timed one at a time (default 60)")
    ap.add_argument("--churn", type=int, default=1000, help="copies deleted and re-added at once (default 1000)")
    ap.add_argument("--timeout", type=float, default=600, help="seconds any one wait may take (default 600)")
    ap.add_argument("--candidate-memory", help="newsd scan's --candidate-memory (0: the near-duplicate candidate "
                    "index is a file from the start, as in a catalogue past the memory budget)")
    ap.add_argument("--keep", action="store_true", help="keep the trees and catalogues")
    ap.add_argument("--work", help="where the temporary directory goes (default: the system's)")
    args = ap.parse_args()
    if args.candidate_memory is not None:
        SCAN_OPTIONS.extend(["--candidate-memory", args.candidate_memory])
    args.sizes = sorted(int(s) for s in args.sizes.split(","))
    args.daemon_copies = args.daemon_copies or args.sizes[-1]
    if min(args.sizes) < 2 or args.latency_copies < 1 or args.churn < 1:
        ap.error("--sizes, --latency-copies and --churn must be positive (sizes at least 2)")
    if not args.skip_daemon and 2 * args.churn > args.daemon_copies:
        ap.error(f"--churn {args.churn} is more than half of the daemon's {args.daemon_copies} copies")
    return args


def run(args, binary, work):
    article = os.path.abspath(args.article or default_article())
    with open(article, encoding="utf-8") as f:
        story = WireStory(f.read())
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}; work in {work}")
    with_peer = not args.skip_peers and ensure_datasketch()
    if with_peer:
        # Its first run would otherwise also pay for reading numpy and datasketch from a cold disk.
        subprocess.run([sys.executable, "-c", "import datasketch"], check=True)
    elif not args.skip_peers:
        print(f"datasketch {DATASKETCH} could not be installed; its figures are skipped")
    trees = [("wire story", "wire", story.copy, f"{os.path.basename(article)} ({len(story.word_positions):,} words), "
              "each copy with its own title and share line and 1-8 words replaced"),
             ("eight-word vocabulary", "vocabulary", vocabulary_text, "200-400 random words of "
              + ", ".join(VOCABULARY))]
    summary, scans = [], []
    for name, kind, text_of, description in trees:
        print(f"\n{name}: {description}")
        results = []
        for count in args.sizes:
            results.append(measure_tree(binary, work, kind, count, text_of, with_peer))
            print_scan(results[-1])
        rows = (wire_cluster_targets(results) if kind == "wire" else []) + scan_targets(name, results, peer_target=kind == "wire")
        print_targets(rows)
        scans += results
        summary += rows
    if not args.skip_daemon:
        print(f"\ndaemon: newsd run on the wire story of {args.daemon_copies:,} copies")
        d = measure_daemon(binary, work, story, args.daemon_copies, args.latency_copies, args.churn, args.timeout,
                           scans)
        print_daemon(d)
        summary += daemon_targets(d)
    print_summary(summary)


def main():
    args = parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # progress shows as it happens, through a pipe too
    binary = build()
    if args.work:
        os.makedirs(args.work, exist_ok=True)
    work = tempfile.mkdtemp(prefix="newsd-clusters-", dir=args.work)
    finished = False
    try:
        run(args, binary, work)
        finished = True
    finally:
        if finished and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept {work} (trees, catalogues, newsd.log)", file=sys.stderr)


if __name__ == "__main__":
    main()
