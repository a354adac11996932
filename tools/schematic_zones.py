#!/usr/bin/env python3
"""Schematic zone polygons for a city whose real sub-district boundaries are not public.

Writes configs/<city>/zones.geojson from the zone centroids (x_m, y_m) and areas (area_km2) of
configs/<city>/zones.yaml. The schematic district outline is the convex hull of one disc per zone
(centred on its centroid, of the zone's area); inside it, a power diagram (a Voronoi partition
whose cells grow with a weight per zone) with the weights fitted so that the cells' areas are in
the proportions of the zones' areas and every centroid stays inside its own cell. Every feature
says `"schematic": true`, and the report labels every map "schematic".

Coordinates: the city's local frame (metres east and north of the district centre, as in
zones.yaml and metro.yaml) converted to longitude and latitude with the frame's own definition
(metro.yaml header): lon = lon0 + x / m_per_deg_lon, lat = lat0 + y / m_per_deg_lat.

Usage: python3 tools/schematic_zones.py configs/zhongyuan   (needs python3-yaml, python3-numpy)
"""
import json
import math
import os
import sys

import numpy as np
import yaml

# The frame of configs/zhongyuan/metro.yaml: origin 113.575° E, 34.755° N.
FRAME = {"lon0": 113.575, "lat0": 34.755, "m_per_deg_lon": 91370.0, "m_per_deg_lat": 110950.0}
DISC_VERTICES = 48


def clip(polygon, a, b, c):
    """Sutherland-Hodgman: the part of `polygon` where a*x + b*y <= c."""
    out = []
    n = len(polygon)
    for i in range(n):
        p, q = polygon[i], polygon[(i + 1) % n]
        fp, fq = a * p[0] + b * p[1] - c, a * q[0] + b * q[1] - c
        if fp <= 0:
            out.append(p)
        if (fp < 0 < fq) or (fq < 0 < fp):
            t = fp / (fp - fq)
            out.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    return out


def area(polygon):
    s = 0.0
    for i in range(len(polygon)):
        x1, y1 = polygon[i]
        x2, y2 = polygon[(i + 1) % len(polygon)]
        s += x1 * y2 - x2 * y1
    return abs(s) / 2


def convex_hull(points):
    """Andrew's monotone chain, counter-clockwise."""
    points = sorted(set(points))
    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
    lower, upper = [], []
    for p in points:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(points):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def inside(polygon, point):
    """Point in a convex polygon (counter-clockwise)."""
    n = len(polygon)
    for i in range(n):
        (x1, y1), (x2, y2) = polygon[i], polygon[(i + 1) % n]
        if (x2 - x1) * (point[1] - y1) - (y2 - y1) * (point[0] - x1) < 0:
            return False
    return n > 2


def cells(outline, centres, weights):
    result = []
    for i, ci in enumerate(centres):
        poly = list(outline)
        for j, cj in enumerate(centres):
            if i == j or not poly:
                continue
            # |x - ci|^2 - wi <= |x - cj|^2 - wj  <=>  2 x.(cj - ci) <= |cj|^2 - |ci|^2 - wj + wi
            a, b = 2 * (cj[0] - ci[0]), 2 * (cj[1] - ci[1])
            c = cj[0] ** 2 + cj[1] ** 2 - ci[0] ** 2 - ci[1] ** 2 - weights[j] + weights[i]
            poly = clip(poly, a, b, c)
        result.append(poly)
    return result


def main():
    city = sys.argv[1] if len(sys.argv) > 1 else "configs/zhongyuan"
    zones = yaml.safe_load(open(os.path.join(city, "zones.yaml"), encoding="utf-8"))["zones"]
    centres = [(float(z["x_m"]), float(z["y_m"])) for z in zones]
    targets = np.array([float(z["area_km2"]) * 1e6 for z in zones])
    disc_points = []
    for (x, y), t in zip(centres, targets):
        r = math.sqrt(t / math.pi)
        disc_points += [(x + r * math.cos(2 * math.pi * k / DISC_VERTICES),
                         y + r * math.sin(2 * math.pi * k / DISC_VERTICES))
                        for k in range(DISC_VERTICES)]
    outline = convex_hull(disc_points)
    targets = targets * area(outline) / targets.sum()  # the areas' proportions
    weights = np.zeros(len(zones))
    step = 0.02
    polygons = cells(outline, centres, weights)
    error = np.ones(len(zones))
    for _ in range(4000):
        areas = np.array([area(p) if len(p) > 2 else 0.0 for p in polygons])
        error = (targets - areas) / targets
        if np.max(np.abs(error)) < 0.01:
            break
        trial = weights + step * error * np.sqrt(targets) * 1000.0
        trial -= trial.mean()
        candidate = cells(outline, centres, trial)
        if all(inside(p, c) for p, c in zip(candidate, centres)):
            weights, polygons = trial, candidate
            step = min(step * 1.2, 0.2)
        else:
            step /= 2  # a centroid would leave its cell: smaller steps
            if step < 1e-9:
                break
    features = []
    for z, poly, target in zip(zones, polygons, targets):
        ring = [[round(FRAME["lon0"] + x / FRAME["m_per_deg_lon"], 6),
                 round(FRAME["lat0"] + y / FRAME["m_per_deg_lat"], 6)] for x, y in poly]
        ring.append(ring[0])
        features.append({
            "type": "Feature",
            "properties": {"key": z["key"], "name_zh": z["name_zh"], "name_en": z["name_en"],
                           "schematic": True,
                           "area_km2": round(area(poly) / 1e6, 2),
                           "centroid": [round(FRAME["lon0"] + z["x_m"] / FRAME["m_per_deg_lon"], 6),
                                        round(FRAME["lat0"] + z["y_m"] / FRAME["m_per_deg_lat"], 6)]},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        })
    collection = {
        "type": "FeatureCollection",
        "name": os.path.basename(os.path.normpath(city)) + " zones (schematic)",
        "schematic": True,
        "source": "No public sub-district boundaries were found, so these are schematic: a power "
                  "diagram of the zone centroids of zones.yaml inside the convex hull of one disc "
                  "per zone (of the zone's area_km2), with the cells' areas fitted toward the "
                  "zones' shares; generated by tools/schematic_zones.py. Not official boundaries.",
        "frame": FRAME,
        "features": features,
    }
    path = os.path.join(city, "zones.geojson")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(collection, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    worst = max(abs(area(p) - t) / t for p, t in zip(polygons, targets))
    print(f"wrote {path}: {len(features)} zones, outline {area(outline) / 1e6:.0f} km², "
          f"largest error of an area's share {worst:.1%}")


if __name__ == "__main__":
    main()
