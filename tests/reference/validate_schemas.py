#!/usr/bin/env python3
"""The JSON Schemas of docs/schema/ against the shipped files and against the loader.

1. Every shipped scenario (scenarios/*.yaml) and city file (configs/*/*.yaml) validates against
   its schema, and every city file has one.
2. Edits that the loader refuses (an unknown key, a value out of range, a wrong type, a missing
   required key, a distribution where none may stand) are refused by the schema too, for the same
   key; edits it accepts (a distribution and a trajectory where they may stand) are accepted.

YAML is read as the loader reads it (io/yaml_loader.cpp): keys are text, a plain scalar is a
number when it reads as one, true/false/yes/no/on/off are booleans, a quoted scalar is always text.

Usage: validate_schemas.py SOURCE_DIR PLANSIM_BINARY
"""
import copy
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

import jsonschema
import yaml

SOURCE = pathlib.Path(sys.argv[1]).resolve()
PLANSIM = sys.argv[2]
SCHEMA = SOURCE / "docs" / "schema"

INTEGER = re.compile(r"^[-+]?[0-9]+$")
FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
BOOLEAN = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


def value_of(node):
    if isinstance(node, yaml.MappingNode):
        return {str(value_of(k)): value_of(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [value_of(item) for item in node.value]
    text = node.value
    if node.style is not None:  # quoted
        return text
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if INTEGER.match(text):
        return int(text)
    if FLOAT.match(text):
        return float(text)
    if text.lower() in BOOLEAN:
        return BOOLEAN[text.lower()]
    return text


def load(path):
    with open(path, encoding="utf-8") as f:
        node = yaml.compose(f, Loader=yaml.SafeLoader)
    return {} if node is None else value_of(node)


def validator(name):
    with open(SCHEMA / name, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message)


def errors_of(v, instance):
    """Every error, those under anyOf/oneOf included (at their own path)."""
    out = []

    def walk(e):
        out.append(e)
        for c in e.context or []:
            walk(c)

    for e in v.iter_errors(instance):
        walk(e)
    return sorted(out, key=lambda e: [str(p) for p in e.absolute_path])


def where(error):
    return ".".join(str(p) for p in error.absolute_path)


# ---- 1. every shipped file validates ----
scenario_schema = validator("scenario.json")
scenarios = sorted((SOURCE / "scenarios").glob("*.yaml"))
def top_errors(v, instance):
    return sorted(v.iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path])


for path in scenarios:
    for e in top_errors(scenario_schema, load(path)):
        check(False, f"{path.relative_to(SOURCE)}: {where(e)}: {e.message}")
city_files = sorted((SOURCE / "configs").glob("*/*.yaml"))
for path in city_files:
    schema = SCHEMA / "city" / (path.stem + ".json")
    check(schema.exists(), f"{path.relative_to(SOURCE)}: no schema {schema.relative_to(SOURCE)}")
    if not schema.exists():
        continue
    for e in top_errors(validator("city/" + path.stem + ".json"), load(path)):
        check(False, f"{path.relative_to(SOURCE)}: {where(e)}: {e.message}")
# The templates of plansim init-city (their files are city files and scenarios as written).
templates = [(SOURCE / "templates/city/minimal/zones.yaml", "city/zones.json")] + [
    (p, "scenario.json") for p in sorted((SOURCE / "templates/city").glob("*/baseline.yaml"))]
for path, name in templates:
    for e in top_errors(validator(name), load(path)):
        check(False, f"{path.relative_to(SOURCE)}: {where(e)}: {e.message}")
# The editor settings shipped map every schema.
with open(SOURCE / ".vscode" / "settings.json", encoding="utf-8") as f:
    mapped = set(json.load(f)["yaml.schemas"])
for schema in sorted(SCHEMA.rglob("*.json")):
    key = "./" + str(schema.relative_to(SOURCE))
    check(key in mapped, f".vscode/settings.json: no yaml.schemas entry for {key}")
print(f"{len(scenarios)} scenarios and {len(city_files)} city files checked against the schemas")

# ---- 2. the schema refuses what the loader refuses, and accepts what it accepts ----
baseline = load(SOURCE / "scenarios" / "baseline.yaml")


def plansim_check(scenario_text, city_dir=None):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        if city_dir is not None:
            shutil.copytree(city_dir, tmp / "city")
        scenario = tmp / "child.yaml"
        scenario.write_text(scenario_text, encoding="utf-8")
        run = subprocess.run([PLANSIM, "check", str(scenario), "--data-root", str(SOURCE)],
                             capture_output=True, text=True)
        return run.returncode, run.stdout + run.stderr


def child(block_yaml, city=None):
    """A scenario extending the baseline with one block laid over it."""
    text = f"scenario: {{name: child, extends: {SOURCE / 'scenarios' / 'baseline.yaml'}}}\n"
    if city:
        text += f"city: {city}\n"
    return text + block_yaml


def merged(block):
    out = copy.deepcopy(baseline)

    def over(base, patch):
        for k, v in patch.items():
            if isinstance(v, dict) and isinstance(base.get(k), dict) and not any(
                    re.match(r"^[0-9]{4}$", x) or x in ("dist", "step") for x in v):
                over(base[k], v)
            else:
                base[k] = v

    over(out, block)
    return out


scenario_cases = [
    # (what, block as YAML, valid for the loader?, the key the schema must name, loader's words)
    ("unknown key", "demography: {fertility: {tfx: 1.1}}", False, "demography.fertility",
     "unknown key 'tfx'"),
    ("out of range", "demography: {fertility: {tfr: 12}}", False, "demography.fertility.tfr",
     "out of range"),
    ("wrong type", "run: {seed: abc}", False, "run.seed", "expected an integer"),
    ("distribution in run:", "run: {scale: {dist: uniform, low: 0.1, high: 0.2}}", False,
     "run.scale", "run"),
    ("unknown process", "processes: [synthesis, demografy]", False, "processes.1",
     "unknown process"),
    ("a distribution", "demography: {mortality: {improvement_per_year: "
     "{dist: uniform, low: 0.005, high: 0.025}}}", True, None, None),
    ("a trajectory with an uncertain knot", "demography: {fertility: {tfr: {2020: 1.3, 2025: "
     "{dist: triangular, low: 0.9, mode: 1.1, high: 1.3}}}}", True, None, None),
]
for what, block, valid, key, words in scenario_cases:
    status, output = plansim_check(child(block + "\n"))
    check((status == 0) == valid,
          f"loader on {what}: exit status {status}, expected {'0' if valid else '2'}\n{output}")
    if words:
        check(words in output, f"loader on {what}: '{words}' not in\n{output}")
    errors = errors_of(scenario_schema, merged(value_of(yaml.compose(block))))
    if valid:
        check(not errors, f"schema on {what}: refused: {[e.message for e in errors]}")
    else:
        check(any(where(e).startswith(key) or (where(e) == key.rsplit('.', 1)[0])
                  for e in errors),
              f"schema on {what}: no error at {key}: {[(where(e), e.message) for e in errors]}")
        print(f"refused, as by the loader: {what} ({key})")

# A city file: a zone without its population share (required).
zones = load(SOURCE / "configs" / "zhongyuan" / "zones.yaml")
broken = copy.deepcopy(zones)
del broken["zones"][0]["population_share"]
errors = errors_of(validator("city/zones.json"), broken)
check(any(where(e) == "zones.0" and "population_share" in e.message for e in errors),
      f"schema on a zone without population_share: {[(where(e), e.message) for e in errors]}")
with tempfile.TemporaryDirectory() as tmp:
    city = pathlib.Path(tmp) / "city"
    shutil.copytree(SOURCE / "configs" / "zhongyuan", city)
    text = (city / "zones.yaml").read_text(encoding="utf-8")
    (city / "zones.yaml").write_text(
        re.sub(r"\n    population_share: [^\n]*", "", text, count=1), encoding="utf-8")
    scenario = pathlib.Path(tmp) / "child.yaml"
    scenario.write_text(child("", city=str(city)), encoding="utf-8")
    run = subprocess.run([PLANSIM, "check", str(scenario), "--data-root", str(SOURCE)],
                         capture_output=True, text=True)
    check(run.returncode == 2 and "missing required key 'population_share'" in run.stderr +
          run.stdout, f"loader on a zone without population_share:\n{run.stdout}{run.stderr}")
print("refused, as by the loader: a zone without population_share (zones.0)")

# ---- 3. a page that differs from what the readers ask is caught ----
with tempfile.TemporaryDirectory() as tmp:
    page = pathlib.Path(tmp) / "city-reference.md"
    text = (SOURCE / "docs" / "city-reference.md").read_text(encoding="utf-8")
    stale = text.replace("| `base_year` | integer |", "| `base_year` | number |", 1)
    check(stale != text, "docs/city-reference.md: no base_year row to alter")
    page.write_text(stale, encoding="utf-8")
    run = subprocess.run([PLANSIM, "reference", *map(str, scenarios), "--markdown", str(page),
                          "--check"], capture_output=True, text=True)
    check(run.returncode == 1 and "out of date" in run.stderr,
          f"reference --check on an altered page: status {run.returncode}\n{run.stderr}")
    check(page.read_text(encoding="utf-8") == stale, "reference --check wrote the page")
print("an altered page is reported as out of date, and --check writes nothing")

if failures:
    print(f"{len(failures)} failed")
    sys.exit(1)
print("schemas agree with the shipped files and the loader")
