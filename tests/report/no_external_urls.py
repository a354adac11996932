#!/usr/bin/env python3
"""A plansim report references nothing outside itself.

Fails on: any src/href/action/poster/srcset attribute or CSS url()/@import that points outside the
page (a scheme such as http:, https:, file:, or a protocol-relative //host), a <link> to a
stylesheet or font file, and any http(s) URL in the text at all except the XML namespace names and
licence notices that the inlined ECharts library carries (identifiers, never fetched).

Usage: no_external_urls.py REPORT.html ...
"""
import re
import sys

ALLOWED = {
    "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink", "http://www.w3.org/2000/xmlns/",
    "http://www.w3.org/XML/1998/namespace", "http://www.apache.org/licenses/LICENSE-2.0",
    "https://github.com/ecomfe/zrender/blob/master/LICENSE.txt",
}
ATTRIBUTE = re.compile(r"""\b(?:src|href|action|poster|srcset|xlink:href)\s*=\s*["']?\s*([^"'\s>]*)""", re.I)
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]*)""", re.I)
IMPORT = re.compile(r"@import\b", re.I)
URL = re.compile(r"""(?:https?|ftp|wss?)://[^\s"'<>()\\`]*""", re.I)


def external(target):
    target = target.strip()
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:|//)", target, re.I)) and not re.match(
        r"^(?:data|blob|javascript|about):", target, re.I)


def main():
    failures, checked = [], 0
    for path in sys.argv[1:]:
        text = open(path, encoding="utf-8").read()
        checked += 1
        for m in ATTRIBUTE.finditer(text):
            if external(m.group(1)):
                failures.append(f"{path}: attribute points outside the page: {m.group(0)[:120]}")
        for m in CSS_URL.finditer(text):
            if external(m.group(1)):
                failures.append(f"{path}: CSS url() points outside the page: {m.group(0)[:120]}")
        if IMPORT.search(text):
            failures.append(f"{path}: CSS @import")
        for m in URL.finditer(text):
            if m.group(0).rstrip(".,;") not in ALLOWED:
                failures.append(f"{path}: URL in the page: {m.group(0)[:120]}")
        if "<script src" in text or "<link " in text:
            failures.append(f"{path}: an external script or link element")
    for f in failures:
        print("FAIL:", f)
    print(f"{checked - len({f.split(':')[0] for f in failures})} passed, "
          f"{len({f.split(':')[0] for f in failures})} failed")
    return 1 if failures or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
