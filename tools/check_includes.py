#!/usr/bin/env python3
"""The module graph: every include between engine modules must follow a declared dependency.

Reads the dependencies each module declares in engine/CMakeLists.txt (plansim_module(NAME DEPENDS
plansim_A plansim_B ...)) and every #include "<module>/..." of the engine's sources, and fails
(exit status 1, one line per include, file:line: error: ...) when

  - a module includes a header of a module it does not depend on (directly or through a declared
    dependency), or
  - an include breaks one of the architecture's rules below (core knows no model, ...), or
  - the declared dependencies form a cycle (each module builds on the ones below it only).

With --graph it prints the declared graph as the Markdown table of docs/architecture.md; with
--check-doc FILE it also fails when FILE's table (between the markers
<!-- module-graph --> and <!-- /module-graph -->) differs from the declared graph.

  tools/check_includes.py [--graph] [--check-doc docs/architecture.md]
"""
import argparse
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
ENGINE = ROOT / "engine"

# Modules that may never include the listed modules, whatever CMake says, and why.
RULES = {
    "core": ({"*"}, "core depends on no model, no file format and no front end"),
    "policy": ({"population", "economy", "services", "space", "indicators", "io", "dist", "calib",
                "report", "uncertainty", "cli"},
               "policy is the calendar and the handler registry, on core only; each module "
               "registers its own interventions"),
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/[^"]+"')


def declared_graph():
    text = (ENGINE / "CMakeLists.txt").read_text()
    graph = {}
    for m in re.finditer(r"plansim_module\(\s*([a-z_]+)([^)]*)\)", text):
        name, args = m.group(1), m.group(2).split()
        deps, mode = set(), None
        for a in args:
            if a in ("DEPENDS", "LIBS"):
                mode = a
            elif mode == "DEPENDS" and a.startswith("plansim_"):
                deps.add(a[len("plansim_"):])
            elif mode == "DEPENDS" and a == "${module_targets}":
                deps.add("*")  # the front end: every module
        graph[name] = deps
    return graph


def closure(graph, name):
    seen, todo = set(), list(graph.get(name, ()))
    while todo:
        d = todo.pop()
        if d == "*":
            return {"*"}
        if d not in seen:
            seen.add(d)
            todo.extend(graph.get(d, ()))
    return seen


def find_cycle(graph):
    """A list of modules [a, b, ..., a] that depend on each other in a circle, or None."""
    state = {}  # name -> "open" while on the path, "done" after

    def visit(name, path):
        state[name] = "open"
        for d in sorted(graph.get(name, ())):
            if d == "*" or d not in graph:
                continue
            if state.get(d) == "open":
                return path[path.index(d):] + [d]
            if d not in state:
                found = visit(d, path + [d])
                if found:
                    return found
        state[name] = "done"
        return None

    for name in graph:
        if name not in state:
            found = visit(name, [name])
            if found:
                return found
    return None


def graph_table(graph):
    lines = ["| module | depends on (declared in engine/CMakeLists.txt) |", "|---|---|"]
    for name in graph:
        deps = graph[name]
        shown = "every module" if "*" in deps else ", ".join(sorted(deps)) or "—"
        lines.append(f"| {name} | {shown} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--graph", action="store_true", help="print the declared graph (Markdown)")
    ap.add_argument("--check-doc", metavar="FILE", help="compare FILE's module-graph table")
    args = ap.parse_args()
    graph = declared_graph()
    if args.graph:
        print(graph_table(graph))
        return 0
    modules = {p.name for p in ENGINE.iterdir() if p.is_dir()}
    errors = []
    cycle = find_cycle(graph)
    if cycle:
        errors.append("engine/CMakeLists.txt:1: error: the modules depend on each other in a "
                      f"cycle: {' -> '.join(cycle)} (a module may build only on modules below it)")
    # A rule also holds for what CMake declares, not only for what is included today.
    for name, (forbidden, why) in RULES.items():
        bad = sorted(d for d in closure(graph, name) if "*" in forbidden or d in forbidden)
        if bad:
            errors.append(f"engine/CMakeLists.txt:1: error: {name} depends on "
                          f"{', '.join(bad)} ({why})")
    for name in sorted(modules):
        allowed = closure(graph, name)
        forbidden, why = RULES.get(name, (set(), ""))
        for path in sorted((ENGINE / name).rglob("*")):
            if path.suffix not in (".h", ".cpp", ".hpp", ".inc"):
                continue
            for n, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                m = INCLUDE.match(line)
                if not m or m.group(1) not in modules or m.group(1) == name:
                    continue
                target = m.group(1)
                where = f"{path.relative_to(ROOT)}:{n}"
                if "*" in forbidden or target in forbidden:
                    errors.append(f"{where}: error: {name} includes {target}/ ({why})")
                elif "*" not in allowed and target not in allowed:
                    errors.append(
                        f"{where}: error: {name} includes {target}/ but does not depend on "
                        f"plansim_{target} (declare it in engine/CMakeLists.txt if the "
                        f"architecture allows it)")
    if args.check_doc:
        doc = (ROOT / args.check_doc).read_text()
        m = re.search(r"<!-- module-graph -->\n(.*?)\n<!-- /module-graph -->", doc, re.S)
        if not m:
            errors.append(f"{args.check_doc}:1: error: no <!-- module-graph --> table")
        elif m.group(1).strip() != graph_table(graph):
            line = doc[: m.start()].count("\n") + 2
            errors.append(f"{args.check_doc}:{line}: error: the module graph differs from "
                          "engine/CMakeLists.txt (regenerate: tools/check_includes.py --graph)")
    for e in errors:
        print(e, file=sys.stderr)
    if not errors:
        print(f"check_includes: {len(modules)} modules, every include follows a declared dependency")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
