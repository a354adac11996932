#!/usr/bin/env python3
"""Rewrites the table of docs/levers.md from the catalogue docs/levers.yaml.

    /usr/bin/python3 tools/levers_table.py

The table lies between the lines '<!-- levers table -->' and '<!-- end of levers table -->'.
tests/integration/lever_catalogue_test.cpp checks that it names exactly the catalogue's keys.
"""
import pathlib
import sys

import yaml

root = pathlib.Path(__file__).resolve().parent.parent
catalogue = yaml.safe_load((root / "docs/levers.yaml").read_text(encoding="utf-8"))
rows = ["| key | lever | indicator (year or sum) | effect, at least |", "|---|---|---|---|"]
for lever in catalogue["levers"]:
    m = lever["measure"]
    when = str(m["year"]) if "year" in m else "sum " + m["years"]
    threshold = []
    if "min_change" in lever:
        threshold.append("%g%%" % (100 * lever["min_change"]))
    if "min_difference" in lever:
        threshold.append("%g" % lever["min_difference"])
    rows.append("| `%s` | %s | `%s` (%s) | %s, %s |" % (lever["key"], lever["label"],
                lever["indicator"], when, lever["effect"], " and ".join(threshold)))
page = root / "docs/levers.md"
text = page.read_text(encoding="utf-8")
begin, end = "<!-- levers table -->\n", "<!-- end of levers table -->\n"
if begin not in text or end not in text:
    sys.exit("docs/levers.md: the table markers are missing")
head, rest = text.split(begin, 1)
_, tail = rest.split(end, 1)
page.write_text(head + begin + "\n".join(rows) + "\n" + end + tail, encoding="utf-8")
