"""bench_chart.py: the SVG chart of a tools/bench.py result, by hand.

Left: the core's packets per second (one core) against table entries
(1k, 64k, 1M; log scale), 64-byte frames, one line per case, one-frame
calls dashed and bursts of 32 solid.  Right: e2e
figures of vpcd and the kernel bridge+vxlan path side by side, each as a
ratio to the kernel's median (so different units share one axis), with
the min..max of the runs as a whisker and the medians written out.
"""

import math

W, H = 980, 420
PAL = {"encap": "#1f77b4", "decap": "#d62728", "arp": "#2ca02c"}


def _esc(s):
    return (str(s).replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;"))


def _text(x, y, s, size=11, anchor="start", weight="normal", fill="#222"):
    return ('<text x="%.1f" y="%.1f" font-size="%d" text-anchor="%s" '
            'font-weight="%s" fill="%s" font-family="sans-serif">%s</text>'
            % (x, y, size, anchor, weight, fill, _esc(s)))


def _core_panel(core, x0, y0, w, h):
    out = [_text(x0 + w / 2, y0 - 12, "core in memory: Mpps per core vs "
                 "table entries (64 B)", 13, "middle", "bold")]
    rows = list(core.values())
    if not rows:
        return out
    sizes = sorted({r["entries"] for r in rows})
    ymax = max(r["mpps"]["max"] for r in rows) * 1.15
    lx = [math.log10(s) for s in sizes]
    lo, hi = min(lx), max(lx)

    def px(s):
        return x0 + 40 + (math.log10(s) - lo) / ((hi - lo) or 1) * (w - 60)

    def py(v):
        return y0 + h - v / ymax * h

    out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="none" '
               'stroke="#999"/>' % (x0, y0, w, h))
    for i in range(6):
        v = ymax * i / 5
        out.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" '
                   'stroke="#eee"/>' % (x0, x0 + w, py(v), py(v)))
        out.append(_text(x0 - 4, py(v) + 4, "%.1f" % v, 10, "end"))
    for s in sizes:
        out.append(_text(px(s), y0 + h + 14, "%dk" % (s // 1000)
                         if s < 1000000 else "%dM" % (s // 1000000), 10,
                         "middle"))
    ly = y0 + 14
    for case in ("encap", "decap", "arp"):
        for burst, dash in ((32, ""), (1, "5,3")):
            pts = sorted((r["entries"], r["mpps"]) for r in rows
                         if r["case"] == case and r["frame"] == 64 and
                         r.get("burst", 1) == burst)
            if not pts:
                continue
            d = " ".join("%.1f,%.1f" % (px(s), py(m["median"]))
                         for s, m in pts)
            out.append('<polyline points="%s" fill="none" stroke="%s" '
                       'stroke-width="2" stroke-dasharray="%s"/>' %
                       (d, PAL[case], dash))
            for s, m in pts:
                out.append('<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" '
                           'stroke="%s"/>' % (px(s), px(s), py(m["min"]),
                                              py(m["max"]), PAL[case]))
            out.append('<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="%s" '
                       'stroke-width="2" stroke-dasharray="%s"/>' %
                       (x0 + w - 150, x0 + w - 125, ly - 4, ly - 4,
                        PAL[case], dash))
            out.append(_text(x0 + w - 120, ly, "%s, burst %d" % (case, burst),
                             10))
            ly += 14
    out.append(_text(x0 + w / 2, y0 + h + 30, "table entries (log)", 11,
                     "middle"))
    return out


def _e2e_panel(e2e, x0, y0, w, h):
    out = [_text(x0 + w / 2, y0 - 12, "e2e: vpcd vs kernel bridge+vxlan "
                 "(ratio to kernel median)", 13, "middle", "bold")]
    if "paths" not in e2e:
        out.append(_text(x0 + 10, y0 + 20, "e2e failed", 12))
        return out
    keys = [("tcp1_gbit_s", "TCP 1", "Gbit/s"),
            ("tcp8_gbit_s", "TCP 8", "Gbit/s"),
            ("udp64_pps", "UDP 64B", "kpps"),
            ("udp1400_pps", "UDP 1400B", "kpps"),
            ("ping_rtt_ms", "RTT", "ms")]
    ps = e2e["paths"]
    vals = []
    for k, _, _ in keys:
        kern = ps["kernel"][k]
        if ps["vpcd"][k] and kern and kern["median"]:
            vals.append(ps["vpcd"][k]["max"] / kern["median"])
            vals.append(kern["max"] / kern["median"])
    ymax = max(vals + [1.2]) * 1.1
    out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="none" '
               'stroke="#999"/>' % (x0, y0, w, h))

    def py(v):
        return y0 + h - v / ymax * h

    out.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#888" '
               'stroke-dasharray="4,3"/>' % (x0, x0 + w, py(1), py(1)))
    out.append(_text(x0 - 4, py(1) + 4, "1.0", 10, "end"))
    gw = w / len(keys)
    for i, (k, label, unit) in enumerate(keys):
        kern = ps["kernel"][k]
        if not kern or not kern["median"]:
            continue
        for j, (path, col) in enumerate((("vpcd", "#ff7f0e"),
                                         ("kernel", "#7f7f7f"))):
            s = ps[path][k]
            if not s:
                continue
            scale = 1000.0 if unit == "kpps" else 1.0
            bx = x0 + i * gw + 10 + j * (gw - 20) / 2
            bw = (gw - 24) / 2
            out.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" '
                       'fill="%s"/>' % (bx, py(s["median"] / kern["median"]),
                                        bw, y0 + h - py(s["median"] /
                                                        kern["median"]),
                                        col))
            cx = bx + bw / 2
            out.append('<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" '
                       'stroke="#000"/>' % (cx, cx,
                                            py(s["min"] / kern["median"]),
                                            py(s["max"] / kern["median"])))
            out.append(_text(cx, py(s["max"] / kern["median"]) - 3,
                             "%.3g" % (s["median"] / scale), 9, "middle"))
        out.append(_text(x0 + i * gw + gw / 2, y0 + h + 14, label, 10,
                         "middle"))
        out.append(_text(x0 + i * gw + gw / 2, y0 + h + 26, unit, 9,
                         "middle", fill="#666"))
    out.append('<rect x="%d" y="%d" width="10" height="10" fill="#ff7f0e"/>'
               % (x0 + 8, y0 + 6))
    out.append(_text(x0 + 22, y0 + 15, "vpcd", 10))
    out.append('<rect x="%d" y="%d" width="10" height="10" fill="#7f7f7f"/>'
               % (x0 + 60, y0 + 6))
    out.append(_text(x0 + 74, y0 + 15, "kernel", 10))
    return out


def write(result, path):
    """Write the chart of 'result' (tools/bench.py's) to 'path'."""
    m = result.get("machine", {})
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" '
             'height="%d" viewBox="0 0 %d %d">' % (W, H, W, H),
             '<rect width="100%" height="100%" fill="white"/>',
             _text(W / 2, 20, "vpc bench %s - %s CPUs %s, Linux %s" % (
                 result.get("date", ""), m.get("nproc", "?"),
                 m.get("cpu", "?"), m.get("kernel", "?")), 12, "middle")]
    parts += _core_panel(result.get("core", {}), 60, 60, 400, 300)
    parts += _e2e_panel(result.get("e2e", {}), 540, 60, 420, 300)
    parts.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(parts) + "\n")
    return path
