#!/usr/bin/env python3
"""Benchmark of newsweb (release build) on a catalogue of the shared corpus.

newsd scans the corpus in place (its state in a temporary directory) and newsweb serves it;
then every page is fetched over HTTP with the token cookie: the overview (20 times), every page
of /clusters (three times), every cluster's first page, every article's page, and searches for common words in
each language. Prints p50/p99/max in ms per kind of page and over all of them, and newsweb's
RSS idle (after start, before any request) and after the run.
Targets: p99 <= 50 ms for every kind of page; idle RSS < 30 MiB.

  bench/web.py [CORPUS] [--articles N]   (default ../shared/corpus; every article)
"""
import base64, http.client, json, os, re, socket, subprocess, sys, tempfile, time

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


def percentiles(samples):
    samples = sorted(samples)
    pick = lambda q: samples[min(len(samples) - 1, int(q * len(samples)))]
    return pick(0.50), pick(0.99), samples[-1]


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    corpus = os.path.abspath(args[0] if args else os.path.join(ROOT, "../shared/corpus"))
    articles_limit = None
    if "--articles" in sys.argv:
        articles_limit = int(sys.argv[sys.argv.index("--articles") + 1])
        if articles_limit:
            args = [a for a in args if a != str(articles_limit)]
    for product in ("newsd", "newsweb"):
        subprocess.run(["swift", "build", "-c", "release", "--product", product], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    bin_dir = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.strip()
    work = tempfile.mkdtemp(prefix="newsweb-bench-")
    state = os.path.join(work, "state")
    sock = os.path.join(state, "newsd.sock")
    daemon = subprocess.Popen([f"{bin_dir}/newsd", "run", "--root", corpus, "--state", state, "--log-level",
                               "warning"], stderr=open(os.path.join(work, "newsd.log"), "w"))
    web = None
    try:
        for _ in range(6000):
            try:
                control(sock, "sync")
                break
            except (OSError, RuntimeError):
                time.sleep(0.1)
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
            print(f"  {kind:9} n={len(values):6}  p50 {p50:6.2f} ms  p99 {p99:6.2f} ms  max {worst:7.2f} ms")
        print(f"newsweb RSS: idle {idle / 1024:.1f} MiB, after the run {after_run / 1024:.1f} MiB")
    finally:
        for process in (web, daemon):
            if process:
                process.terminate()
                process.wait()
        subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
