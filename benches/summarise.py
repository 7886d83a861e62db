#!/usr/bin/env python3
"""benches/summarise.py RAW.tsv RESULTS.json [--hugo-version V] [--runs N] [--seed S]

Reads the raw timings written by benches/compare.sh (tool, size, run, wall s, user s, sys s,
peak RSS KB; warm-up runs are ignored), prints medians, the rolebook/Hugo ratios and the
targets of the performance issue, and writes them as JSON for benches/chart.py.
"""
import argparse
import json
import os
import platform
import statistics
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("raw")
    ap.add_argument("out")
    ap.add_argument("--hugo-version", default="")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()

    runs = {}
    with open(a.raw) as f:
        for line in f:
            tool, size, run, wall, user, sys_, rss = line.split("\t")
            if run == "warmup":
                continue
            runs.setdefault((tool, int(size)), []).append(
                (float(wall), float(user) + float(sys_), int(rss) / 1024))

    med = {}
    for (tool, size), rs in sorted(runs.items()):
        med[(tool, size)] = {
            "tool": tool,
            "guides": size,
            "runs": len(rs),
            "wall_s": statistics.median(r[0] for r in rs),
            "wall_min_s": min(r[0] for r in rs),
            "wall_max_s": max(r[0] for r in rs),
            "cpu_s": statistics.median(r[1] for r in rs),
            "cpu_per_wall": statistics.median(r[1] / r[0] for r in rs if r[0] > 0),
            "peak_rss_mb": statistics.median(r[2] for r in rs),
            "walls_s": [r[0] for r in rs],
        }

    ratios = {}
    for (tool, size), m in med.items():
        h = med.get(("hugo", size))
        if tool == "rolebook" and h:
            ratios[size] = {
                "wall": m["wall_s"] / h["wall_s"],
                "cpu": m["cpu_s"] / h["cpu_s"],
                "rss": m["peak_rss_mb"] / h["peak_rss_mb"],
            }

    def row(m):
        return (f"{m['tool']:9} {m['guides']:>7}  wall {m['wall_s']:7.3f} s "
                f"(min {m['wall_min_s']:.3f}, max {m['wall_max_s']:.3f})  "
                f"cpu {m['cpu_s']:7.2f} s  cpu/wall {m['cpu_per_wall']:4.2f}  "
                f"rss {m['peak_rss_mb']:7.1f} MB")

    for m in med.values():
        print(row(m))
    for size, r in sorted(ratios.items()):
        print(f"rolebook/hugo at {size:>6}: wall {r['wall']:.3f}  cpu {r['cpu']:.3f}  rss {r['rss']:.3f}")

    targets = []

    def target(name, value, limit, ok):
        targets.append({"target": name, "value": value, "limit": limit, "met": ok})
        print(f"  [{'ok  ' if ok else 'MISS'}] {name}: {value:.3f} (target {limit})")

    print("targets:")
    if 10000 in ratios:
        target("10k wall / Hugo", ratios[10000]["wall"], "<= 0.2", ratios[10000]["wall"] <= 0.2)
        target("10k peak RSS / Hugo", ratios[10000]["rss"], "<= 0.25", ratios[10000]["rss"] <= 0.25)
    if 1000 in ratios:
        target("1k wall / Hugo", ratios[1000]["wall"], "<= 0.25", ratios[1000]["wall"] <= 0.25)
    if ("rolebook", 10000) in med:
        c = med[("rolebook", 10000)]["cpu_per_wall"]
        target("10k CPU / wall", c, ">= 1.6", c >= 1.6)
    # The 100k runs against the 10k runs made between them (`scale`), when there are some:
    # the 10k median of the Hugo alternation was taken minutes earlier, when the shared
    # machine may have run faster or slower.
    base = med.get(("scale", 10000)) or med.get(("rolebook", 10000))
    if ("rolebook", 100000) in med and base:
        x = med[("rolebook", 100000)]["wall_s"] / base["wall_s"]
        target("100k wall / 10k wall", x, "<= 11", x <= 11)
        pairs = zip(runs.get(("scale", 10000), []), runs[("rolebook", 100000)])
        each = [big[0] / small[0] for small, big in pairs if small[0] > 0]
        if each:
            print("    each pair: " + ", ".join(f"{r:.2f}" for r in each))
        if base is not med.get(("rolebook", 10000)) and ("rolebook", 10000) in med:
            y = med[("rolebook", 100000)]["wall_s"] / med[("rolebook", 10000)]["wall_s"]
            print(f"    (against the 10k median of the Hugo alternation instead: {y:.2f})")
    if ("self", 0) in med:
        ms = med[("self", 0)]["wall_s"] * 1000
        target("own site build, ms", ms, "<= 100", ms <= 100)

    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    out = {
        "generated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                    "loadavg_at_end": load},
        "hugo_version": a.hugo_version,
        "runs": a.runs,
        "seed": a.seed,
        "results": list(med.values()),
        "ratios": {str(k): v for k, v in ratios.items()},
        "targets": targets,
    }
    with open(a.out, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
