#!/usr/bin/env python3
"""Benchmark of newsweb (release build, as scripts/install builds it) on a catalogue of the corpus.

newsd scans the corpus in place (its state in a temporary directory) and newsweb serves it;
then every page is fetched over HTTP with the token cookie: the overview (20 times), every page
of /clusters (three times), every cluster's first page, every article's page, and searches for
common words in each language. Beside each kind of page, the peer in the same run: the control
call that fetches the page's data straight from the socket (what `newsctl --json` costs), the
floor of a page built from it. Prints p50/p99/max in ms per kind of page and the page/socket
ratio at p50, and newsweb's RSS idle (after start, before any request) and after the run.

With --copies N it also builds the adversarial shape: one story republished N times (each copy
with an outlet line of its own, so one cluster of N near duplicates) beside the corpus, and
fetches that cluster's first, middle and last pages and a copy's article page.
Targets: p99 <= 50 ms for every kind of page; idle RSS < 30 MiB.

  bench/web.py [CORPUS] [--articles N] [--copies N] [--bin-dir DIR]
      (default ../shared/corpus, every article, no adversarial cluster, a fresh release build)
"""
import argparse, base64, http.client, json, os, re, shutil, socket, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEARCHES = ["iran", "china", "cooperation", "rais", "serikali", "الدفاع", "وزير", "همکاری", "ایران", "2024"]


def control(path, method, params=None):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    request = {"id": 1, "method": method}
    if params is not None:
        request["params"] = params
    s.sendall(json.dumps(request).encode() + b"\n")
    line = s.makefile("rb").readline()
    s.close()
    reply = json.loads(line)
    if "error" in reply:
        raise RuntimeError(reply["error"])
    return reply["result"]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def wait_idle(pid, quiet_s=2.0, timeout_s=600):
    """Until the daemon has used no CPU for `quiet_s`: its work after a scan (search-index
    merges, chrome re-analysis) done, so that the pages are timed against an idle daemon."""
    deadline = time.monotonic() + timeout_s
    last, since = cpu_ticks(pid), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now = cpu_ticks(pid)
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            return
    raise RuntimeError("newsd never went idle")


def percentiles(samples):
    samples = sorted(samples)
    pick = lambda q: samples[min(len(samples) - 1, int(q * len(samples)))]
    return pick(0.50), pick(0.99), samples[-1]


def build():
    # The binaries scripts/install installs: the Swift runtime and Foundation linked in.
    flags = ["-c", "release", "--static-swift-stdlib"]
    for product in ("newsd", "newsweb"):
        subprocess.run(["swift", "build", *flags, "--product", product], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    return subprocess.run(["swift", "build", *flags, "--show-bin-path"], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout.strip()


def one_story(corpus, directory, copies):
    """One corpus article copied `copies` times, each under an outlet line of its own."""
    names = sorted(n for n in os.listdir(os.path.join(corpus, "en")) if n.endswith(".txt"))
    with open(os.path.join(corpus, "en", names[0]), encoding="utf-8") as f:
        story = f.read()
    os.makedirs(directory)
    for k in range(copies):
        with open(os.path.join(directory, f"outlet-{k:05}.txt"), "w", encoding="utf-8") as f:
            f.write(f"Outlet {k} | World | Wire\n{story}")


def link(source, target):
    """A hard link to a corpus file (newsd does not follow symbolic links, and the corpus is
    never copied): the work directory must be on the corpus's filesystem."""
    try:
        os.link(source, target)
    except OSError as error:
        sys.exit(f"web.py: cannot hard-link {source} into the work directory ({error}); "
                 "set TMPDIR to a directory on the corpus's filesystem")


def timed(fn, repeat):
    samples = []
    for _ in range(repeat):
        start = time.perf_counter_ns()
        fn()
        samples.append((time.perf_counter_ns() - start) / 1e6)
    return samples


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", default=os.path.join(ROOT, "../shared/corpus"))
    parser.add_argument("--articles", type=int, default=0, help="article pages to fetch (default: every one)")
    parser.add_argument("--copies", type=int, default=0, help="also one story republished this many times")
    parser.add_argument("--bin-dir", help="use the newsd and newsweb built there")
    options = parser.parse_args()
    corpus = os.path.abspath(options.corpus)
    if not os.path.isdir(corpus):
        sys.exit(f"web.py: no corpus at {corpus}")
    articles_limit = options.articles
    bin_dir = options.bin_dir or build()
    work = tempfile.mkdtemp(prefix="newsweb-bench-")
    state = os.path.join(work, "state")
    sock = os.path.join(state, "newsd.sock")
    root = corpus
    if options.copies:
        # The corpus's files are linked, never copied (its licence), beside the story.
        root = os.path.join(work, "tree")
        shutil.copytree(corpus, root, copy_function=link)
        one_story(corpus, os.path.join(root, "wire"), options.copies)
    daemon = subprocess.Popen([f"{bin_dir}/newsd", "run", "--root", root, "--state", state, "--log-level",
                               "warning"], stderr=open(os.path.join(work, "newsd.log"), "w"))
    web = None
    try:
        for _ in range(6000):
            try:
                control(sock, "sync")
                break
            except (OSError, RuntimeError):
                time.sleep(0.1)
        wait_idle(daemon.pid)
        status = control(sock, "status")
        print(f"catalogue: {status['files']} files, {status.get('clusters')} clusters ({corpus})")
        web = subprocess.Popen([f"{bin_dir}/newsweb", "--socket", sock, "--listen", "127.0.0.1:0"],
                               stdout=subprocess.PIPE, text=True)
        line = web.stdout.readline()
        match = re.search(r"http://([0-9.]+):(\d+)/\?token=([0-9a-f]+)", line)
        if not match:
            raise RuntimeError(f"newsweb printed {line!r}")
        host, port, token = match.group(1), int(match.group(2)), match.group(3)
        time.sleep(1)
        idle = rss_kib(web.pid)

        clusters = control(sock, "clusters", {"limit": 10000})
        files, after = [], None
        while True:
            params = {"limit": 10000, "state": "ok"}
            if after:
                params["after"] = after
            page = control(sock, "list", params)
            files += [f.get("path_b64") or base64.b64encode(f["path"].encode()).decode() for f in page["files"]]
            after = page["next"]
            if not after:
                break
        if articles_limit:
            step = max(1, len(files) // articles_limit)
            files = files[::step][:articles_limit]
        b64url = lambda b64: b64.replace("+", "-").replace("/", "_").rstrip("=")
        pages = [("overview", "/")] * 20
        pages += [("clusters", f"/clusters?page={n}") for n in range((clusters["total"] + 24) // 25)] * 3
        pages += [("cluster", f"/clusters/{c['cluster']}") for c in clusters["clusters"]]
        pages += [("article", f"/article?p={b64url(p)}") for p in files]
        from urllib.parse import quote
        pages += [("search", f"/search?q={quote(w)}") for w in SEARCHES for _ in range(5)]
        # The peer: each kind of page's data straight from the socket.
        floor = {
            "overview": lambda: control(sock, "status"),
            "clusters": lambda: control(sock, "clusters", {"limit": 25, "members": 1}),
            "cluster": lambda: [control(sock, "cluster", {"cluster": c["cluster"], "limit": 3, "text": True})
                                for c in clusters["clusters"][:200]],
            "article": lambda: [control(sock, "show", {"path_b64": p}) for p in files[:200]],
            "search": lambda: [control(sock, "search", {"query": w}) for w in SEARCHES],
        }
        per_call = {"cluster": min(200, len(clusters["clusters"])), "article": min(200, len(files)),
                    "search": len(SEARCHES)}
        if options.copies:
            wire = max(clusters["clusters"], key=lambda c: c["size"])
            print(f"adversarial: one story {options.copies} times: its cluster has {wire['size']} members")
            last = (wire["size"] - 1) // 3
            pages += [("one-story", f"/clusters/{wire['cluster']}?page={n}") for n in (0, last // 2, last)] * 5
            member = next(f for f in wire["files"] if f["path"].startswith("wire/"))
            pages += [("one-story", f"/article?p={b64url(base64.b64encode(member['path'].encode()).decode())}")] * 5
            floor["one-story"] = lambda: control(sock, "cluster", {"cluster": wire["cluster"], "limit": 3,
                                                                    "offset": last * 3, "text": True})

        connection = http.client.HTTPConnection(host, port)
        headers = {"Cookie": f"newsweb_token={token}"}
        for _ in range(10):  # warm up
            connection.request("GET", "/", headers=headers)
            connection.getresponse().read()
        samples, failures = {}, 0
        for kind, path in pages:
            start = time.perf_counter_ns()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            elapsed = (time.perf_counter_ns() - start) / 1e6
            if response.status != 200:
                failures += 1
                print(f"  {response.status} {path}")
            samples.setdefault(kind, []).append(elapsed)
        after_run = rss_kib(web.pid)
        everything = [s for values in samples.values() for s in values]
        print(f"{len(everything)} pages, {failures} not 200")
        for kind, values in list(samples.items()) + [("all", everything)]:
            p50, p99, worst = percentiles(values)
            line = f"  {kind:9} n={len(values):6}  p50 {p50:6.2f} ms  p99 {p99:6.2f} ms  max {worst:7.2f} ms"
            if kind in floor:
                socket_p50 = percentiles(timed(floor[kind], 5))[0] / per_call.get(kind, 1)
                line += f"   socket p50 {socket_p50:6.2f} ms, page/socket {p50 / max(socket_p50, 1e-3):5.1f}x"
            print(line)
        print(f"newsweb RSS: idle {idle / 1024:.1f} MiB, after the run {after_run / 1024:.1f} MiB")
    finally:
        for process in (web, daemon):
            if process:
                process.terminate()
                process.wait()
        subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
