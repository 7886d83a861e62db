#!/usr/bin/env python3
"""benches/incremental.py ROLEBOOK SITE OUT [--edits 20] [--json FILE]

Incremental-rebuild latency of `rolebook build --watch` (driven by benches/incremental.sh).

Starts `ROLEBOOK build --watch --root SITE --output OUT`, waits for the first build, then makes
edits of five kinds, one at a time, each after the previous rebuild's log line:

  body      change a sentence in one article's body (EDITS times)
  title     change the article's title (punctuation only, so every `Read more:` still resolves)
  tag       add / remove a tag in the article's front matter
  template  edit templates/page.html (a copy of the default theme's, made before the start)
  static    edit static/bench.css (made before the start)

For each edit it measures the time from just before the write to the moment the expected new
content is visible in the output file (a tight os.stat/read polling loop), and takes the
re-render counts from the watch log line ("rebuilt after X: N of M outputs re-rendered, W files
written, D deleted, in T ms"). Prints p50/p95 per kind and writes JSON.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time

LINE = re.compile(r"rebuilt after (.*): (\d+) of (\d+) outputs re-rendered, (\d+) files written, "
                  r"(\d+) deleted, in (\d+) ms")


def pct(xs, p):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p / 100
    f = int(k)
    c = min(f + 1, len(xs) - 1)
    return xs[f] + (xs[c] - xs[f]) * (k - f)


class Watch:
    """The watch process; its output lines are collected by a thread."""

    def __init__(self, cmd, log_path):
        self.lines = []
        self.cond = threading.Condition()
        self.log = open(log_path, "w")
        self.p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True, bufsize=1)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.p.stdout:
            self.log.write(line)
            self.log.flush()
            with self.cond:
                self.lines.append(line.rstrip("\n"))
                self.cond.notify_all()

    def wait_for(self, pred, start, timeout):
        """First line at index >= start matching pred; returns (index, match)."""
        deadline = time.monotonic() + timeout
        i = start
        with self.cond:
            while True:
                while i < len(self.lines):
                    m = pred(self.lines[i])
                    if m:
                        return i, m
                    i += 1
                left = deadline - time.monotonic()
                if left <= 0 or self.p.poll() is not None:
                    tail = "\n".join(self.lines[-20:])
                    raise SystemExit(f"incremental.py: no expected watch output after {timeout} s:\n{tail}")
                self.cond.wait(min(left, 0.5))

    def stop(self):
        self.p.terminate()
        try:
            self.p.wait(10)
        except subprocess.TimeoutExpired:
            self.p.kill()


def poll_for(path, needle, timeout=120.0):
    """Tight loop until `needle` is in the file at `path`; returns the time it appeared."""
    deadline = time.perf_counter() + timeout
    last = None
    while True:
        try:
            st = os.stat(path)
            key = (st.st_mtime_ns, st.st_size, st.st_ino)
            if key != last:
                last = key
                with open(path, "rb") as f:
                    if needle in f.read():
                        return time.perf_counter()
        except FileNotFoundError:
            pass
        if time.perf_counter() > deadline:
            raise SystemExit(f"incremental.py: {needle!r} never appeared in {path}")


def write(path, text):
    # A plain in-place save (open, truncate, write, close), as most editors do by default.
    with open(path, "w") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("rolebook")
    ap.add_argument("site")
    ap.add_argument("out")
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--others", type=int, default=3, help="edits of each other kind")
    ap.add_argument("--json")
    ap.add_argument("--theme", default="themes/default", help="the default theme's sources")
    a = ap.parse_args()

    site, out = os.path.abspath(a.site), os.path.abspath(a.out)
    # The edited article: the first guide by name (stable per seed).
    sec = os.path.join(site, "content", "guides")
    name = sorted(n for n in os.listdir(sec) if n.endswith(".md") and n != "_index.md")[0]
    article = os.path.join(sec, name)
    page_out = os.path.join(out, "guides", name[:-3], "index.html")
    original = open(article).read()

    # Site template and static file exist before the watch starts (a fresh folder may not be
    # watched until the next full rebuild, which is not what we measure).
    os.makedirs(os.path.join(site, "templates"), exist_ok=True)
    tpl = os.path.join(site, "templates", "page.html")
    tpl_src = open(os.path.join(a.theme, "templates", "page.html")).read()
    write(tpl, tpl_src)
    os.makedirs(os.path.join(site, "static"), exist_ok=True)
    css = os.path.join(site, "static", "bench.css")
    write(css, "/* bench 0 */\n")
    shutil.rmtree(out, ignore_errors=True)

    w = Watch([a.rolebook, "build", "--watch", "--root", site, "--output", out],
              os.path.join(os.path.dirname(out), "watch.log"))
    results = {}
    try:
        t0 = time.perf_counter()
        # The first build ends with the usual summary line ("built N pages ...").
        idx, _ = w.wait_for(lambda l: l.startswith("built ") or "error" in l, 0, 600)
        if "error" in w.lines[idx]:
            raise SystemExit("incremental.py: first build failed:\n" + "\n".join(w.lines[-20:]))
        print(f"  initial build: {time.perf_counter() - t0:.2f} s ({w.lines[idx]})")
        time.sleep(0.5)
        seen = len(w.lines)

        def edit(kind, i, path, text, poll_path, needle):
            nonlocal seen
            start = time.perf_counter()
            write(path, text)
            done = poll_for(poll_path, needle.encode())
            j, m = w.wait_for(LINE.search, seen, 120)
            seen = j + 1
            time.sleep(0.15)  # let the debouncer settle, so edits do not merge
            seen = max(seen, len(w.lines))
            r = results.setdefault(kind, {"latency_ms": [], "rerendered": [], "total": [],
                                          "written": [], "deleted": [], "rebuild_ms": []})
            r["latency_ms"].append((done - start) * 1000)
            r["rerendered"].append(int(m.group(2)))
            r["total"].append(int(m.group(3)))
            r["written"].append(int(m.group(4)))
            r["deleted"].append(int(m.group(5)))
            r["rebuild_ms"].append(int(m.group(6)))

        def restore():
            nonlocal seen
            write(article, original)
            j, _ = w.wait_for(LINE.search, seen, 120)
            time.sleep(0.15)
            seen = max(j + 1, len(w.lines))

        body_anchor = original.index("\n\n", original.index("\n---\n") + 5) + 2
        for i in range(a.edits):
            marker = f"Benchmark edit number {i} changes this sentence."
            text = original[:body_anchor] + marker + " " + original[body_anchor:]
            edit("body", i, article, text, page_out, marker)
        restore()

        title = re.search(r'^title: "(.*)"$', original, re.M).group(1)
        for i in range(a.others):
            new_title = title + ("!" * (i + 1))
            text = original.replace(f'title: "{title}"', f'title: "{new_title}"', 1)
            edit("title", i, article, text, page_out, f"<h1>{new_title}</h1>")
        restore()

        tags = re.search(r"^tags: \[(.*)\]$", original, re.M).group(1)
        for i in range(a.others):
            tag = f"benchtag{i}"
            text = original.replace(f"tags: [{tags}]", f"tags: [{tags}, {tag}]", 1)
            edit("tag", i, article, text, page_out, f"/tags/{tag}/")
        restore()

        for i in range(a.others):
            marker = f"<!-- bench template {i} -->"
            text = tpl_src.replace("{% block content %}", "{% block content %}" + marker, 1)
            edit("template", i, tpl, text, page_out, marker)

        for i in range(a.others):
            marker = f"/* bench {i + 1} */"
            edit("static", i, css, marker + "\n", os.path.join(out, "bench.css"), marker)
    finally:
        w.stop()
        write(article, original)
        shutil.rmtree(os.path.join(site, "templates"), ignore_errors=True)
        shutil.rmtree(os.path.join(site, "static"), ignore_errors=True)

    summary = {}
    for kind, r in results.items():
        lat = r["latency_ms"]
        summary[kind] = {
            "edits": len(lat),
            "p50_ms": pct(lat, 50),
            "p95_ms": pct(lat, 95),
            "max_ms": max(lat),
            "rerendered_median": statistics.median(r["rerendered"]),
            "outputs_total": r["total"][-1],
            "written_median": statistics.median(r["written"]),
            "deleted_median": statistics.median(r["deleted"]),
            "rebuild_ms_median": statistics.median(r["rebuild_ms"]),
            "latency_ms": [round(x, 2) for x in lat],
        }
        s = summary[kind]
        print(f"  {kind:9} n={s['edits']:2}  p50 {s['p50_ms']:7.1f} ms  p95 {s['p95_ms']:7.1f} ms  "
              f"max {s['max_ms']:7.1f} ms  re-rendered {s['rerendered_median']:g} of {s['outputs_total']}  "
              f"written {s['written_median']:g}  deleted {s['deleted_median']:g}  "
              f"(watch says {s['rebuild_ms_median']:g} ms)")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(summary, f, indent=2)


if __name__ == "__main__":
    sys.exit(main())
