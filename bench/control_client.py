#!/usr/bin/env python3
"""Load and latency driver for newsd's control socket (used by bench/control.sh).

  control_client.py latency SOCKET N PATH     status and show round trips, p50/p99 in ms
  control_client.py throughput SOCKET CLIENTS SECONDS   status requests/s from CLIENTS processes
  control_client.py ingest ROOT RATE SECONDS  write RATE new files per second into ROOT/ingest
"""
import json, multiprocessing, os, socket, sys, time


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    return s, s.makefile("rb")


def call(sock, reader, request):
    sock.sendall(request)
    line = reader.readline()
    if b'"error"' in line[:40]:
        raise RuntimeError(line.decode(errors="replace"))
    return line


def percentiles(samples):
    samples = sorted(samples)
    pick = lambda q: samples[min(len(samples) - 1, int(q * len(samples)))]
    return pick(0.50) / 1e6, pick(0.99) / 1e6, samples[-1] / 1e6


def latency(path, count, show_path):
    sock, reader = connect(path)
    requests = {
        "status": b'{"id":1,"method":"status"}\n',
        "show": json.dumps({"id": 2, "method": "show", "params": {"path": show_path}}).encode() + b"\n",
    }
    for name, request in requests.items():
        for _ in range(50):
            call(sock, reader, request)  # warm up
        samples = []
        for _ in range(count):
            t0 = time.perf_counter_ns()
            call(sock, reader, request)
            samples.append(time.perf_counter_ns() - t0)
        p50, p99, worst = percentiles(samples)
        print(f"  {name:<7} n={count}  p50 {p50:6.3f} ms  p99 {p99:6.3f} ms  max {worst:6.3f} ms")


def _worker(args):
    path, seconds = args
    sock, reader = connect(path)
    request = b'{"id":1,"method":"status"}\n'
    done = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        call(sock, reader, request)
        done += 1
    return done


def throughput(path, clients, seconds):
    with multiprocessing.Pool(clients) as pool:
        t0 = time.monotonic()
        counts = pool.map(_worker, [(path, seconds)] * clients)
        elapsed = time.monotonic() - t0
    total = sum(counts)
    print(f"  {clients} clients x {seconds} s: {total} status requests, {total / elapsed:,.0f} requests/s")


def ingest(root, rate, seconds):
    directory = os.path.join(root, "ingest")
    os.makedirs(directory, exist_ok=True)
    start = time.monotonic()
    written = 0
    while True:
        elapsed = time.monotonic() - start
        if elapsed >= seconds:
            break
        due = int(elapsed * rate)
        while written < due:
            with open(os.path.join(directory, f"article-{written:07d}.txt"), "w") as f:
                f.write(f"article {written}\nsome words of news text {written}\n")
            written += 1
        time.sleep(0.001)
    print(f"  ingest: wrote {written} files in {time.monotonic() - start:.1f} s")


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "latency":
        latency(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    elif mode == "throughput":
        throughput(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
    elif mode == "ingest":
        ingest(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
    else:
        sys.exit(__doc__)
