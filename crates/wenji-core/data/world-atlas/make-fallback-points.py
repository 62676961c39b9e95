#!/usr/bin/env python3
"""Regenerate fallback-points.json: one point per ISO 3166-1 country that
countries-110m.json lacks, taken from world-atlas's countries-10m.json.

Usage (in a temporary directory):
    npm pack world-atlas@2.0.2 i18n-iso-countries@7.14.0
    tar xzf world-atlas-2.0.2.tgz
    python3 make-fallback-points.py package/countries-10m.json \
        countries-110m.json ../i18n-iso-countries/codes.json > fallback-points.json

The point is the planar area centroid (in longitude/latitude) of the largest
polygon of the country at 1:10m, rounded to 0.01 degree.
"""
import json
import sys


def decode_arcs(topo):
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        out.append(pts)
    return out


def ring(arcs, idxs):
    pts = []
    for i in idxs:
        a = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        pts.extend(a if not pts else a[1:])
    return pts


def area_centroid(pts):
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1]):
        c = x0 * y1 - x1 * y0
        a += c
        cx += (x0 + x1) * c
        cy += (y0 + y1) * c
    if abs(a) < 1e-12:
        n = len(pts)
        return 0.0, sum(p[0] for p in pts) / n, sum(p[1] for p in pts) / n
    return abs(a) / 2, cx / (3 * a), cy / (3 * a)


def main():
    big, small, codes = sys.argv[1:4]
    topo = json.load(open(big))
    have = {g.get("id") for g in json.load(open(small))["objects"]["countries"]["geometries"]}
    wanted = {c[2] for c in json.load(open(codes))} - have
    arcs = decode_arcs(topo)
    points = {}
    for g in topo["objects"]["countries"]["geometries"]:
        gid = g.get("id")
        if gid not in wanted:
            continue
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        best = max((area_centroid(ring(arcs, p[0])) for p in polys), key=lambda t: t[0])
        points[gid] = [round(best[1], 2), round(best[2], 2)]
    lines = ['  "%s": [%s, %s]' % (k, v[0], v[1]) for k, v in sorted(points.items())]
    sys.stdout.write("{\n" + ",\n".join(lines) + "\n}\n")


main()
