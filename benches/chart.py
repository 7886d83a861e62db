#!/usr/bin/env python3
"""benches/chart.py RESULTS.json CHART.svg

Draws benches/chart.svg from benches/results.json (written by benches/compare.sh): median
full-build wall time against the number of guides, rolebook beside Hugo, on log-log axes, each
point labelled with its time. Hand-written SVG, no plotting library.
"""
import json
import math
import sys
from xml.sax.saxutils import escape

W, H = 840, 430
L, R, T, B = 78, 250, 56, 62  # margins
SERIES = [("rolebook", "rolebook", "#0f766e"), ("hugo", "Hugo", "#c2410c")]


def fmt_time(s):
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s" if s < 10 else f"{s:.1f} s"


def fmt_n(n):
    return f"{n // 1000}k" if n >= 1000 else str(n)


def main():
    data = json.load(open(sys.argv[1]))
    pts = {}
    for r in data["results"]:
        if r["tool"] in ("rolebook", "hugo") and r["guides"] > 0:
            pts.setdefault(r["tool"], []).append((r["guides"], r["wall_s"]))
    for v in pts.values():
        v.sort()
    xs = [n for v in pts.values() for n, _ in v]
    ys = [t for v in pts.values() for _, t in v]
    if not xs:
        sys.exit("chart.py: no results")
    x0, x1 = math.log10(min(xs)) - 0.15, math.log10(max(xs)) + 0.15
    y0 = math.floor(math.log10(min(ys)))
    y1 = math.ceil(math.log10(max(ys)))
    if y1 == y0:
        y1 += 1

    def px(n):
        return L + (math.log10(n) - x0) / (x1 - x0) * (W - L - R)

    def py(t):
        return T + (y1 - math.log10(t)) / (y1 - y0) * (H - T - B)

    o = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
         'font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="13">',
         f'<rect width="{W}" height="{H}" fill="#fff"/>',
         f'<text x="{L}" y="26" font-size="16" font-weight="600">Full build time vs number of guides '
         '(median, lower is better)</text>',
         f'<text x="{L}" y="44" fill="#555" font-size="12">{escape(data["machine"]["platform"])}, '
         f'{data["machine"]["cpus"]} CPUs, output on tmpfs, {data["runs"]} runs after a warm-up; '
         'log-log axes</text>']
    # Grid and y labels: decades and the 2x, 5x steps between them.
    for e in range(y0, y1 + 1):
        for m in (1, 2, 5):
            t = m * 10 ** e
            if t > 10 ** y1:
                break
            y = py(t)
            o.append(f'<line x1="{L}" x2="{W - R}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{"#ddd" if m == 1 else "#f0f0f0"}"/>')
            o.append(f'<text x="{L - 8}" y="{y + 4:.1f}" text-anchor="end" fill="#444">{fmt_time(t)}</text>')
    for n in sorted(set(xs)):
        x = px(n)
        o.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{T}" y2="{H - B}" stroke="#eee"/>')
        o.append(f'<text x="{x:.1f}" y="{H - B + 18}" text-anchor="middle" fill="#444">{fmt_n(n)}</text>')
    o.append(f'<text x="{(L + W - R) / 2:.1f}" y="{H - 18}" text-anchor="middle" fill="#222">'
             'guides (~1,000 words each)</text>')
    o.append(f'<text transform="translate(18 {(T + H - B) / 2:.1f}) rotate(-90)" text-anchor="middle" '
             'fill="#222">wall time</text>')
    o.append(f'<rect x="{L}" y="{T}" width="{W - L - R}" height="{H - T - B}" fill="none" stroke="#999"/>')
    for i, (key, label, color) in enumerate(SERIES):
        v = pts.get(key, [])
        if not v:
            continue
        path = " ".join(f"{'M' if j == 0 else 'L'}{px(n):.1f},{py(t):.1f}" for j, (n, t) in enumerate(v))
        o.append(f'<path d="{path}" fill="none" stroke="{color}" stroke-width="2.5"/>')
        for n, t in v:
            o.append(f'<circle cx="{px(n):.1f}" cy="{py(t):.1f}" r="4.5" fill="{color}"/>')
            dy = -10 if key == "hugo" else 18
            o.append(f'<text x="{px(n):.1f}" y="{py(t) + dy:.1f}" text-anchor="middle" fill="{color}" '
                     f'font-weight="600">{fmt_time(t)}</text>')
        ly = T + 16 + i * 22
        o.append(f'<line x1="{W - R + 16}" x2="{W - R + 40}" y1="{ly}" y2="{ly}" stroke="{color}" stroke-width="2.5"/>')
        o.append(f'<text x="{W - R + 46}" y="{ly + 4}" fill="#222">{escape(label)}</text>')
    # Ratios beside the legend.
    ly = T + 16 + len(SERIES) * 22 + 12
    o.append(f'<text x="{W - R + 16}" y="{ly}" fill="#222" font-weight="600">rolebook / Hugo</text>')
    for k, r in sorted(data.get("ratios", {}).items(), key=lambda kv: int(kv[0])):
        ly += 18
        o.append(f'<text x="{W - R + 16}" y="{ly}" fill="#444">{fmt_n(int(k))}: {r["wall"]:.2f}× time, '
                 f'{r["rss"]:.2f}× RSS</text>')
    o.append("</svg>")
    open(sys.argv[2], "w").write("\n".join(o) + "\n")


if __name__ == "__main__":
    main()
