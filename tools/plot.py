#!/usr/bin/python3
"""Plots of plansim results files: indicator trajectories with their ensemble band and the plan's
targets, and a scorecard chart, as PNG files.

    python3 tools/plot.py RESULTS.h5 [MORE.h5 ...] [-o OUT_DIR] [--keys gdp,population] [--dpi 110]

For every indicator (or those given with --keys): OUT_DIR/<key>.png with one line per file (the
ensemble mean) and its 5th-95th percentile band, the targets on that indicator marked (levels at
their year; growth and change targets at the level they imply from the first file's base-year
mean), exogenous series labelled as such. OUT_DIR/scorecard.png: the probability of meeting each
target for each file, coloured by status, with the status thresholds. Band statistics come from
/summary when the file has it, else from /indicators (numpy.percentile, linear: the same type-7
definition). Labels are Chinese and English, drawn with Noto Sans CJK SC (Debian: fonts-noto-cjk).

A sensitivity file of `plansim sensitivity` (its /meta kind is "plansim sensitivity") gives
instead one chart per output, OUT_DIR/sensitivity-<output>.svg (or .png with --format png): "which
assumptions decide whether this target is met" — the first-order and total Sobol' indices of every
parameter with their 95% bootstrap intervals, largest total first (Morris: mu* and sigma), and
OUT_DIR/sensitivity-overview.svg, the total index of every parameter for every output.

Needs h5py, numpy and matplotlib (Debian: python3-h5py python3-numpy python3-matplotlib); exits
with status 77 when they are missing. Layout of the files: docs/hdf5-layout.md, docs/scorecard.md.
"""
import argparse
import os
import sys
import tempfile

try:
    import h5py
    import numpy as np
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager
except ImportError as missing:
    print(f"plot.py needs h5py, numpy and matplotlib (Debian: python3-h5py python3-numpy "
          f"python3-matplotlib): {missing}", file=sys.stderr)
    sys.exit(77)

CJK_COLLECTION = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
CJK_FAMILY = "Noto Sans CJK SC"
STATUS_COLOURS = {"met": "#2e7d32", "at risk": "#f9a825", "missed": "#c62828",
                  "not simulated": "#9e9e9e"}
EXOGENOUS_PREFIX = "exogenous: "


def text(value):
    """h5py gives bytes for fixed-length strings (plansim's), str for variable-length ones."""
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def cache_dir():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = os.path.join(base, "plansim")
    try:
        os.makedirs(path, exist_ok=True)
        return path
    except OSError:
        return tempfile.gettempdir()


def select_cjk_font(font_path=None):
    """Registers a CJK font with matplotlib and returns its family name.

    The Debian collection holds the Japanese face first, and matplotlib only reads the first face
    of a collection, so the Simplified Chinese face is extracted once (with fontTools, which
    matplotlib depends on) into the user's cache.
    """
    if font_path:
        font_manager.fontManager.addfont(font_path)
        return font_manager.FontProperties(fname=font_path).get_name()
    if not os.path.exists(CJK_COLLECTION):
        print(f"plot.py: {CJK_COLLECTION} not found (Debian: fonts-noto-cjk); Chinese labels may "
              "not render", file=sys.stderr)
        return None
    extracted = os.path.join(cache_dir(), "NotoSansCJKsc-Regular.otf")
    if not os.path.exists(extracted):
        try:
            from fontTools.ttLib import TTCollection

            collection = TTCollection(CJK_COLLECTION, lazy=True)
            for face in collection.fonts:
                if face["name"].getDebugName(1) == CJK_FAMILY:
                    partial = extracted + f".tmp-{os.getpid()}"
                    face.save(partial)
                    os.replace(partial, extracted)
                    break
        except Exception as error:  # any failure: fall back to the collection's first face
            print(f"plot.py: cannot extract {CJK_FAMILY} ({error}); using the collection's first "
                  "face", file=sys.stderr)
    path = extracted if os.path.exists(extracted) else CJK_COLLECTION
    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


class Results:
    """One results file: its years, indicators, summary, targets and scorecard."""

    def __init__(self, path):
        self.path = path
        with h5py.File(path, "r") as f:
            meta = f["meta"].attrs
            self.scenario = text(meta.get("scenario_name", "")) or os.path.splitext(
                os.path.basename(path))[0]
            self.city = text(meta.get("city_name", ""))
            self.years = np.asarray(f["years"][:], dtype=int)
            self.indicators = {}
            for key, dataset in f.get("indicators", {}).items():
                attrs = dataset.attrs
                if attrs.get("CLASS") == b"DIMENSION_SCALE":
                    continue  # an axis (year, replicate), not an indicator
                values = np.asarray(dataset[:], dtype=float)  # [replicate, year]
                if "summary" in f and key in f["summary"]:
                    mean, p05, p95 = np.asarray(f["summary"][key][:], dtype=float)
                else:
                    mean, p05, p95 = band(values)
                self.indicators[key] = {
                    "unit": text(attrs.get("unit", "")),
                    "label_zh": text(attrs.get("label_zh", "")),
                    "label_en": text(attrs.get("label_en", key)),
                    "exogenous": text(attrs.get("description", "")).startswith(EXOGENOUS_PREFIX),
                    "mean": mean, "p05": p05, "p95": p95, "replicates": values.shape[0],
                }
            self.targets = []
            if "targets" in f:
                group = f["targets"]
                order = [text(k) for k in group.attrs.get("order", list(group.keys()))]
                self.thresholds = (float(group.attrs.get("met_at_least", 0.9)),
                                   float(group.attrs.get("missed_at_most", 0.1)))
                for key in order:
                    attrs = group[key].attrs
                    self.targets.append({name: (text(v) if isinstance(v, (str, bytes)) else v)
                                         for name, v in attrs.items()} | {"key": key})
            else:
                self.thresholds = (0.9, 0.1)
            self.scorecard = {}
            if "scorecard" in f:
                table = f["scorecard"][:]
                for row in table:
                    self.scorecard[text(row["target_key"])] = {
                        "probability_met": float(row["probability_met"]),
                        "status": text(row["status"]),
                        "mean": float(row["mean"]),
                        "exogenous": text(row["origin"]) == "exogenous",
                    }

    def value_in(self, key, year):
        series = self.indicators.get(key)
        where = np.nonzero(self.years == year)[0]
        if series is None or len(where) == 0:
            return float("nan")
        return float(series["mean"][where[0]])


def band(values):
    """Mean and type-7 5th/95th percentiles over replicates (rows), NaN left out."""
    with np.errstate(all="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", category=RuntimeWarning)
            return (np.nanmean(values, axis=0), np.nanpercentile(values, 5, axis=0),
                    np.nanpercentile(values, 95, axis=0))


def target_level(target, first):
    """(year, level) a target implies on its indicator's own scale, or None (sums, rates)."""
    measure = target["measure"]
    value = float(target["value"])
    year = int(target["year"])
    if measure == "level":
        return year, value
    base_year = int(target["first_year"]) - 1
    base = first.value_in(target["indicator"], base_year)
    if np.isnan(base):
        return None
    if measure == "average_growth":
        return year, base * (1 + value / 100.0) ** (year - base_year)
    if measure == "change":
        return year, base + value
    return None


def describe(target):
    symbol = {">=": "≥", "<=": "≤", ">": ">", "<": "<"}[target["comparison"]]
    value = f"{float(target['value']):.10g}"
    span = f"{int(target['first_year'])}-{int(target['year'])}"
    measure = target["measure"]
    if measure == "level":
        return f"{symbol} {value} {target['unit']} ({int(target['year'])})"
    if measure == "average_growth":
        return f"average growth {symbol} {value} {target['unit']}, {span}"
    if measure == "average_growth_from_rates":
        return f"average growth {symbol} {value} {target['unit']}, {span} (from yearly rates)"
    if measure == "change":
        return f"change {symbol} {float(target['value']):+.10g} {target['unit']}, {span}"
    return f"sum {symbol} {value} {target['unit']}, {span}"


LINE_STYLES = ["-", "--", ":", "-.", (0, (5, 1, 1, 1, 1, 1)), (0, (8, 3))]
MARKERS = ["o", "s", "^", "D", "v", "P", "X"]


def plot_indicator(key, runs, out_dir, dpi):
    first = next(run for run in runs if key in run.indicators)
    info = first.indicators[key]
    fig, ax = plt.subplots(figsize=(8, 4.8))
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, run in enumerate(runs):
        series = run.indicators.get(key)
        if series is None:
            continue
        colour = colours[i % len(colours)]
        label = run.scenario + (f" ({series['replicates']} replicates, 5-95%)"
                                if series["replicates"] > 1 else "")
        # A line style and marker of its own per scenario, so that scenarios which coincide
        # remain visible (a dashed line over a solid one, markers at different years).
        style = LINE_STYLES[i % len(LINE_STYLES)]
        ax.plot(run.years, series["mean"], color=colour, linewidth=2, label=label,
                linestyle=style, marker=MARKERS[i % len(MARKERS)], markersize=4,
                markevery=(i % 3, 3), zorder=3 + i)  # later (dashed) lines on top
        if series["replicates"] > 1:
            ax.fill_between(run.years, series["p05"], series["p95"], color=colour, alpha=0.2,
                            linewidth=0)
    notes = []
    shades = ["black", "dimgray", "darkgray"]
    marked = 0
    for target in first.targets:
        if target["indicator"] != key:
            continue
        point = target_level(target, first)
        if point is None:
            notes.append(describe(target))
            continue
        # ▲ a floor to stay above, ▼ a ceiling to stay below; the legend says which target.
        upward = target["comparison"] in (">=", ">")
        ax.scatter([point[0]], [point[1]], marker="^" if upward else "v", s=90, zorder=5,
                   color=shades[marked % len(shades)], label=f"target: {describe(target)}")
        marked += 1
    title = f"{info['label_zh']}  {info['label_en']}"
    if info["exogenous"]:
        title += "  (外生 exogenous: trajectory from the scenario)"
    ax.set_title(title, fontsize=11)
    ax.set_xlabel("year / 年份")
    ax.set_ylabel(info["unit"])
    if notes:
        ax.text(0.01, 0.02, "targets: " + "; ".join(notes), transform=ax.transAxes, fontsize=8,
                va="bottom")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    path = os.path.join(out_dir, f"{key}.png")
    fig.savefig(path, dpi=dpi)
    plt.close(fig)
    return path


def plot_scorecard(runs, out_dir, dpi):
    targets = []
    for run in runs:
        for target in run.targets:
            if target["key"] not in [t["key"] for t in targets]:
                targets.append(target)
    if not targets:
        return None
    height = 0.8 / len(runs)
    fig, ax = plt.subplots(figsize=(10, 0.42 * len(targets) * max(1, len(runs) * 0.6) + 1.6))
    for i, run in enumerate(runs):
        for row, target in enumerate(targets):
            y = row + (i - (len(runs) - 1) / 2) * height
            entry = run.scorecard.get(target["key"])
            status = entry["status"] if entry else "not simulated"
            probability = entry["probability_met"] if entry else float("nan")
            if status == "not simulated" or np.isnan(probability):
                ax.barh(y, 1.0, height=height * 0.9, color="none", edgecolor="#bdbdbd",
                        hatch="//")
                ax.text(0.5, y, f"{run.scenario}: not simulated", va="center", ha="center",
                        fontsize=7, color="#616161")
                continue
            ax.barh(y, probability, height=height * 0.9, color=STATUS_COLOURS[status])
            # The label in the status colour, so that a status shows even when P(met) is 0.
            ax.text(min(probability, 0.98) + 0.01, y, f"{run.scenario}: {probability:.0%} {status}",
                    va="center", fontsize=7, color=STATUS_COLOURS[status])
    met_at_least, missed_at_most = runs[0].thresholds
    ax.axvline(met_at_least, color=STATUS_COLOURS["met"], linestyle="--", linewidth=1)
    ax.axvline(missed_at_most, color=STATUS_COLOURS["missed"], linestyle="--", linewidth=1)
    ax.set_yticks(range(len(targets)))
    def tick_label(target):
        exogenous = any(run.scorecard.get(target["key"], {}).get("exogenous") for run in runs)
        marks = (" (外生 exogenous)" if exogenous else "") + (
            " (assumed target)" if target.get("assumption") else "")
        return f"{target['label_zh']}  {target['label_en']}{marks}\n{describe(target)}"

    ax.set_yticklabels([tick_label(t) for t in targets], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.25)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.set_xticklabels(["0", "25%", "50%", "75%", "100%"])
    ax.set_xlabel("P(target met): share of replicates / 达标概率")
    city = runs[0].city
    ax.set_title(f"规划目标达标情况  Plan scorecard{(' — ' + city) if city else ''}", fontsize=11)
    fig.tight_layout()
    path = os.path.join(out_dir, "scorecard.png")
    fig.savefig(path, dpi=dpi)
    plt.close(fig)
    return path


def is_sensitivity(path):
    with h5py.File(path, "r") as f:
        return "meta" in f and text(f["meta"].attrs.get("kind", "")) == "plansim sensitivity"


def safe_name(key):
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in key)


def plot_sensitivity(path, out_dir, dpi, fmt, keys):
    """One horizontal bar chart per output of a sensitivity file; returns the files written."""
    written = []
    with h5py.File(path, "r") as f:
        meta = f["meta"].attrs
        method = text(meta["method"])
        parameters = [text(p) for p in f["parameter"][:]]
        outputs = [text(o) for o in f["output"][:]]
        labels_zh = [text(x) for x in f["output_label_zh"][:]]
        labels_en = [text(x) for x in f["output_label_en"][:]]
        goals = [text(x) for x in f["output_goal"][:]]
        design = text(meta["design"])
        scenario = text(meta["scenario_name"])
        if method == "sobol":
            first, total = f["first_order"][:], f["total"][:]
            first_err = (first - f["first_order_low"][:], f["first_order_high"][:] - first)
            total_err = (total - f["total_low"][:], f["total_high"][:] - total)
        else:
            first, total = f["sigma"][:], f["mu_star"][:]
            first_err = total_err = None
        sd = f["output_sd"][:]
        mean = f["output_mean"][:]
        met = f["output_met_share"][:] if "output_met_share" in f else np.full(len(outputs), np.nan)
    # An output whose spread is rounding (an exogenous series) is constant: no index means anything.
    varies = sd > 1e-9 * np.maximum(1.0, np.abs(mean))
    for o, key in enumerate(outputs):
        if keys and key not in keys:
            continue
        order = np.argsort(-np.nan_to_num(total[o]), kind="stable")[::-1]
        y = np.arange(len(order))
        height = max(2.4, 0.45 * len(order) + 1.6)
        fig, ax = plt.subplots(figsize=(8.0, height))
        if not varies[o]:
            ax.text(0.5, 0.5, "constant over the design: no parameter moves it 无参数影响",
                    ha="center", va="center", transform=ax.transAxes)
        elif method == "sobol":
            ax.barh(y + 0.2, total[o][order], height=0.38, color="#1565c0",
                    xerr=[total_err[0][o][order], total_err[1][o][order]], capsize=3,
                    label="total index T 总效应指数 (with interactions)")
            ax.barh(y - 0.2, first[o][order], height=0.38, color="#90caf9",
                    xerr=[first_err[0][o][order], first_err[1][o][order]], capsize=3,
                    label="first-order index S 一阶指数 (alone)")
            lowest = np.nanmin(np.concatenate([first[o] - first_err[0][o],
                                               total[o] - total_err[0][o]]))
            highest = np.nanmax(np.concatenate([first[o] + first_err[1][o],
                                                total[o] + total_err[1][o]]))
            ax.set_xlim(min(0.0, float(lowest)) - 0.05, max(1.0, float(highest)) + 0.05)
            ax.set_xlabel("share of the output's variance 方差占比 (95% bootstrap intervals)")
        else:
            ax.barh(y + 0.2, total[o][order], height=0.38, color="#1565c0",
                    label="μ* mean |elementary effect| 平均绝对基本效应")
            ax.barh(y - 0.2, first[o][order], height=0.38, color="#ffb74d",
                    label="σ spread (interactions, non-linearity) 离散度")
            ax.set_xlabel("output units per unit of the parameter's quantile")
        ax.set_yticks(y)
        ax.set_yticklabels([parameters[i] for i in order], fontsize=8)
        ax.axvline(0, color="#616161", linewidth=0.8)
        label = " ".join(x for x in (labels_zh[o], labels_en[o]) if x)
        share = "" if np.isnan(met[o]) else f"; met in {100 * met[o]:.0f}% of the design 达标比例"
        # The target and its share on their own lines: one line is wider than the figure.
        ax.set_title(f"Which assumptions decide it 哪些假设决定目标能否实现\n{label}\n{goals[o]}"
                     f"{share}", fontsize=10)
        if varies[o]:
            ax.legend(loc="best", fontsize=8)
        fig.text(0.01, 0.005, f"{scenario}: {design}", fontsize=7, color="#616161")
        fig.tight_layout(rect=(0, 0.03, 1, 1))
        out = os.path.join(out_dir, f"sensitivity-{safe_name(key)}.{fmt}")
        # No dates in SVG metadata: the same file gives the same picture, byte for byte.
        fig.savefig(out, dpi=dpi, metadata={"Date": None} if fmt == "svg" else None)
        plt.close(fig)
        written.append(out)
    if keys:
        return written
    # The overview: every output's total index of every parameter (Morris: μ* over the output's
    # largest), the targets as rows, largest first by their strongest parameter.
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = total if method == "sobol" else total / np.nanmax(total, axis=1, keepdims=True)
    shares = np.where(varies[:, None], shares, np.nan)
    fig, ax = plt.subplots(figsize=(1.2 + 0.9 * len(parameters), 1.4 + 0.32 * len(outputs)))
    image = ax.imshow(np.clip(shares, 0, 1), cmap="Blues", vmin=0, vmax=1, aspect="auto")
    for o in range(len(outputs)):
        for p in range(len(parameters)):
            if np.isfinite(shares[o, p]):
                ax.text(p, o, f"{shares[o, p]:.2f}", ha="center", va="center", fontsize=7,
                        color="white" if shares[o, p] > 0.6 else "#212121")
    ax.set_xticks(range(len(parameters)))
    ax.set_xticklabels(parameters, rotation=35, ha="right", fontsize=8)
    ax.set_yticks(range(len(outputs)))
    ax.set_yticklabels([" ".join(x for x in (labels_zh[o], outputs[o]) if x)
                        for o in range(len(outputs))], fontsize=8)
    what = "total Sobol' index T 总效应指数" if method == "sobol" else "μ* / largest μ* of the output"
    ax.set_title(f"Which assumptions decide which target 哪些假设决定哪些目标\n{what}", fontsize=10)
    fig.colorbar(image, ax=ax, fraction=0.03)
    fig.text(0.01, 0.005, f"{scenario}: {design}; blank: constant over the design", fontsize=7,
             color="#616161")
    fig.tight_layout(rect=(0, 0.02, 1, 1))
    out = os.path.join(out_dir, f"sensitivity-overview.{fmt}")
    fig.savefig(out, dpi=dpi, metadata={"Date": None} if fmt == "svg" else None)
    plt.close(fig)
    written.append(out)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", help="results files (.h5); the first is the reference")
    parser.add_argument("-o", "--output", default="plots", help="folder for the PNG files")
    parser.add_argument("--keys", default="", help="comma-separated indicator keys (default: all)")
    parser.add_argument("--dpi", type=int, default=110)
    parser.add_argument("--font", default=None, help="a font file with CJK glyphs to use instead")
    parser.add_argument("--format", default=None, choices=["png", "svg"],
                        help="image format (default: png; svg for a sensitivity file)")
    args = parser.parse_args(argv)

    family = select_cjk_font(args.font)
    if family:
        plt.rcParams["font.family"] = [family, "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False

    if any(os.path.exists(p) and h5py.is_hdf5(p) and is_sensitivity(p) for p in args.files):
        os.makedirs(args.output, exist_ok=True)
        keys = [k for k in args.keys.split(",") if k]
        for path in args.files:
            for out in plot_sensitivity(path, args.output, args.dpi, args.format or "svg", keys):
                print(out)
        return 0

    runs = []
    for path in args.files:
        try:
            runs.append(Results(path))
        except (OSError, KeyError) as error:
            print(f"error: {path}: {error}", file=sys.stderr)
            return 1
    keys = [k for k in args.keys.split(",") if k] or sorted(
        {key for run in runs for key in run.indicators})
    missing = [k for k in keys if not any(k in run.indicators for run in runs)]
    if missing:
        print(f"error: no indicator {', '.join(missing)} in the files", file=sys.stderr)
        return 2
    os.makedirs(args.output, exist_ok=True)
    written = [plot_indicator(key, runs, args.output, args.dpi) for key in keys]
    scorecard = plot_scorecard(runs, args.output, args.dpi)
    if scorecard:
        written.append(scorecard)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
