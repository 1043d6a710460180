#!/usr/bin/python3
"""Draw the figures of `tcsim report` from a results file and the CSVs written beside it.

Usage:
    plot_results.py RESULTS.h5 DIR [--setting NAME] [--baseline-row B] [--compare-row K]
                    [--warmup-days W] [--configured-warmup C] [--title-suffix TEXT]

RESULTS.h5 follows docs/results-format.md. DIR must already hold `savings.csv` and
`tornado.csv` (written by the C++ side, which does the statistics that need the simulator's
own conventions); this script only reads them and the daily series, and writes into DIR:

    savings_by_model.png            saving against the baseline per design point, 95% CI
    occupancy_delays_over_time.png  daily occupancy and delayed transfers of one setting
    tornado.png                     one-way sensitivity of the saving to each factor
    warmup.png                      running mean of occupancy, with the warm-up choices

It needs only the standard library and Debian's python3-h5py, python3-numpy and
python3-matplotlib, so a report can be drawn on any machine that can read the HDF5 file.
Exit status: 0 on success, 1 on any problem (message on stderr).
"""
import argparse
import contextlib
import csv
import math
import os
import re
import sys
import textwrap
import warnings

import h5py
import matplotlib

matplotlib.use("Agg")  # no display is needed or assumed: the report is files only
import matplotlib.pyplot as plt  # noqa: E402  (must follow the backend choice)
import numpy as np  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

PROG = "plot_results"
DPI = 150
MAX_LEGEND_ENTRIES = 12  # beyond this the savings chart drops its colour legend
TITLE_WIDTH = 75  # characters per title line; longer titles wrap instead of being clipped

# 0.975 quantiles of Student's t for 1..30 degrees of freedom. Replication counts are small,
# where 1.96 would make the intervals visibly too narrow; scipy is not a dependency.
T_975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
         2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
         2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042)

BASELINE_COLOUR = "tab:blue"
COMPARE_COLOUR = "tab:orange"
WARMUP_COLOUR = "#f2e8cf"  # a pale tint unlike the grey-looking bands, so the two are not confused


class PlotError(Exception):
    """A problem with the inputs that the user can fix; reported without a traceback."""


# ---------------------------------------------------------------------------------------------
# Small helpers


def t_quantile(dof):
    """0.975 quantile of Student's t, so CI bands are honest for a handful of replications."""
    if dof < 1:
        return math.nan
    if dof <= len(T_975):
        return T_975[dof - 1]
    return 1.96


def titled(text, suffix):
    """Append the experiment's suffix and wrap, so long titles stay inside the figure."""
    if suffix:
        text = f"{text} - {suffix}"
    return "\n".join(textwrap.wrap(text, TITLE_WIDTH))


def format_number(value):
    """Short, exact-enough text for factor values and day counts (0.1, 20, 12.5)."""
    if value is None or not math.isfinite(value):
        return "n/a"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.3g}"


def money_scale(units):
    """Scale factor and axis unit text: money is easier to read in £ millions than in £."""
    if "GBP" in units:
        per_year = "/year" in units or "per year" in units
        return 1e-6, "£ million per year" if per_year else "£ million"
    return 1.0, units


def split_units(label):
    """Split 'saving in X (GBP/year)' into ('saving in X', 'GBP/year'); units may be absent."""
    match = re.match(r"^(.*?)\s*\(([^()]*)\)\s*$", label)
    if match:
        return match.group(1), match.group(2)
    return label, ""


def save(fig, out_dir, filename):
    """Write one PNG, close the figure (figures hold memory) and say what was written."""
    path = os.path.join(out_dir, filename)
    fig.savefig(path, dpi=DPI, bbox_inches="tight")  # "tight" keeps outside legends in view
    plt.close(fig)
    print(path)


@contextlib.contextmanager
def quiet_nan_stats():
    """Silence numpy's warnings for all-NaN days: NaN padding is expected, not an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        yield


# ---------------------------------------------------------------------------------------------
# Reading the inputs


def read_csv(path, required):
    """Rows of a CSV as dicts, failing early with the column that is missing."""
    if not os.path.isfile(path):
        raise PlotError(f"{path}: no such file (the C++ side writes it before calling this)")
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        columns = reader.fieldnames or []
        missing = [c for c in required if c not in columns]
        if missing:
            raise PlotError(f"{path}: missing column(s) {', '.join(missing)}; "
                            f"expected {','.join(required)}")
        return list(reader)


def parse_float(text, path, line, column, allow_empty=False):
    """A number from a CSV cell; empty means 'not available' where the format allows it."""
    text = (text or "").strip()
    if text == "" and allow_empty:
        return None
    try:
        return float(text)
    except ValueError:
        raise PlotError(f"{path}:{line}: column {column}: not a number: {text!r}") from None


def read_savings(out_dir):
    """savings.csv as a list of dicts sorted by design point, with numbers parsed."""
    path = os.path.join(out_dir, "savings.csv")
    columns = ["design_point", "name", "model", "metric", "saving", "half_width"]
    rows = []
    for line, raw in enumerate(read_csv(path, columns), start=2):
        try:
            point = int(raw["design_point"])
        except ValueError:
            raise PlotError(f"{path}:{line}: column design_point: not an integer: "
                            f"{raw['design_point']!r}") from None
        saving = parse_float(raw["saving"], path, line, "saving", allow_empty=True)
        rows.append({
            "design_point": point,
            "name": raw["name"],
            "model": raw["model"],
            "metric": raw["metric"],
            "saving": math.nan if saving is None else saving,
            "half_width": parse_float(raw["half_width"], path, line, "half_width",
                                      allow_empty=True),
        })
    metrics = sorted({r["metric"] for r in rows})
    if len(metrics) > 1:
        raise PlotError(f"{path}: one metric expected, found {', '.join(metrics)}")
    return sorted(rows, key=lambda r: r["design_point"])


def read_tornado(out_dir):
    """tornado.csv rows in file order (the C++ side puts the largest swing first)."""
    path = os.path.join(out_dir, "tornado.csv")
    columns = ["factor", "low_value", "high_value", "output_at_low", "output_at_high",
               "central", "output"]
    rows = []
    for line, raw in enumerate(read_csv(path, columns), start=2):
        row = {"factor": raw["factor"], "output": raw["output"]}
        for column in columns[1:6]:
            row[column] = parse_float(raw[column], path, line, column)
        # The swing's 95% CI from the fit (empty when the design leaves no residual to judge by).
        half = (raw.get("swing_half_width") or "").strip()
        row["swing_half_width"] = parse_float(half, path, line, "swing_half_width") if half else None
        rows.append(row)
    return rows


class Results:
    """What the figures need from the HDF5 file, read once and checked against the format."""

    def __init__(self, path):
        if not os.path.isfile(path):
            raise PlotError(f"{path}: no such file")
        try:
            with h5py.File(path, "r") as f:
                self._read(f, path)
        except OSError as err:
            raise PlotError(f"{path}: cannot read as HDF5: {err}") from None
        except KeyError as err:
            raise PlotError(f"{path}: not a tcsim results file: {err}") from None

    def _read(self, f, path):
        """Load design, summary rows and (if kept) the daily series."""
        self.path = path
        self.names = [str(s) for s in f["design/name"].asstr()[()]]
        self.models = [str(s) for s in f["design/model"].asstr()[()]]
        summary = f["summary"]
        self.design_point = np.asarray(summary["design_point"][()], dtype=np.int64)
        self.units = {key: _attr_text(summary[key].attrs.get("units", ""))
                      for key in summary}
        self.settings = None
        self.services = None
        self.occupancy = None
        self.delayed = None
        self.occupancy_units = "patients"
        if "timeseries" not in f:
            return
        series = f["timeseries"]
        self.settings = [str(s) for s in series["settings"].asstr()[()]]
        if "services" in series:
            self.services = [str(s) for s in series["services"].asstr()[()]]
        self.occupancy = series["occupancy"][()]
        self.occupancy_units = _attr_text(series["occupancy"].attrs.get("units", "patients"))
        if "delayed" in series:
            self.delayed = series["delayed"][()]
        for label, data in (("occupancy", self.occupancy), ("delayed", self.delayed)):
            if data is None:
                continue
            expected = (len(self.design_point), len(self.settings))
            if data.ndim != 3 or (data.shape[0], data.shape[2]) != expected:
                raise PlotError(f"{path}: /timeseries/{label} has shape {data.shape}, "
                                f"expected [{expected[0]}][days][{expected[1]}]")

    @property
    def has_series(self):
        """True when the run kept daily series (they are optional in the format)."""
        return self.occupancy is not None

    def check_row(self, row, option):
        """A design point index given on the command line must exist in /design."""
        if not 0 <= row < len(self.names):
            raise PlotError(f"{option} {row}: the file has design points 0..{len(self.names) - 1}")

    def setting_column(self, name):
        """Column of a setting in the series; the default is the acute one, what most ask."""
        if name is None:
            services = self.services or [""] * len(self.settings)
            for i, service in enumerate(services):
                if service.startswith("acute"):
                    return i
            for i, setting in enumerate(self.settings):
                if setting.startswith("acute"):
                    return i
            return 0
        if name not in self.settings:
            raise PlotError(f"--setting {name}: not in the time series; settings are "
                            f"{', '.join(self.settings)}")
        return self.settings.index(name)

    def series(self, data, point, column):
        """Replications x days of one setting for one design point (may be empty)."""
        rows = np.flatnonzero(self.design_point == point)
        return np.asarray(data[rows, :, column], dtype=float)


def _attr_text(value):
    """HDF5 string attributes arrive as str or bytes depending on how they were written."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return str(value)


# ---------------------------------------------------------------------------------------------
# Savings by model


def rest_of_name(name, model):
    """The design point's name without its model part: what tells points of one model apart."""
    if not model:
        return name.strip()
    # tcsim names a grid point "<model>, <factor>=<value>, ..."; other spellings are tolerated.
    if name.startswith(model):
        rest = name[len(model):]
    elif f"model={model}" in name:
        rest = name.replace(f"model={model}", " ", 1)
    else:
        rest = name.replace(model, " ", 1)
    rest = re.sub(r"\s+", " ", rest)
    return rest.strip(" ,;/|:-_")


def savings_layout(rows):
    """x position, colour label and group per bar: models as groups, points side by side."""
    groups = []
    for row in rows:
        if row["model"] not in groups:
            groups.append(row["model"])
    members = {g: [r for r in rows if r["model"] == g] for g in groups}
    widest = max(len(m) for m in members.values())
    width = 0.8 / widest
    labels = [rest_of_name(r["name"], r["model"]) for r in rows]
    # Points of one model must be told apart; if the name does not do it, use the whole name.
    for group in groups:
        own = [labels[i] for i, r in enumerate(rows) if r["model"] == group]
        if len(own) != len(set(own)):
            labels = [r["name"] for r in rows]
            break
    bars = []
    for g, group in enumerate(groups):
        count = len(members[group])
        for j, row in enumerate(members[group]):
            x = g + (j - (count - 1) / 2) * width
            bars.append((row, x, labels[rows.index(row)]))
    return groups, bars, width


def placeholder(out_dir, name, title, text):
    """A figure that says why there is nothing to draw, so the reader is not left guessing."""
    fig, ax = plt.subplots(figsize=(9, 4))
    ax.set_axis_off()
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=13, transform=ax.transAxes)
    ax.set_title(title)
    save(fig, out_dir, name)


def plot_savings(results, rows, baseline_row, out_dir, suffix):
    """Bar chart of each design point's saving against the baseline, grouped by model."""
    if not rows:
        # A scenario without costs (e.g. a reference model) has nothing to save: say so in the
        # figure rather than leave the reader without it or stop the other plots.
        placeholder(out_dir, "savings_by_model.png",
                    titled("Saving against the baseline by integration model", suffix),
                    "No savings: the results have no cost metric\n"
                    "(area.cost_per_year comes from a scenario with costs)")
        return
    metric = rows[0]["metric"]
    units = results.units.get(metric, results.units.get(metric.replace("/", "_"), ""))
    scale, shown_units = money_scale(units)
    groups, bars, width = savings_layout(rows)

    distinct = []
    for _, _, label in bars:
        if label not in distinct:
            distinct.append(label)
    # A legend helps for a few grid levels; for a sampled design (LHS, PSA: "model #j")
    # dozens of entries would only hide the bars, so those are drawn in one colour.
    coloured = 1 < len(distinct) <= MAX_LEGEND_ENTRIES
    crowded = len(distinct) > MAX_LEGEND_ENTRIES
    palette = plt.get_cmap("tab10")
    colour_of = {label: palette(i % 10) for i, label in enumerate(distinct)}

    fig, ax = plt.subplots(figsize=(max(7.0, 1.6 * len(groups) + 3), 5.5))
    for row, x, label in bars:
        value = row["saving"] * scale
        colour = colour_of[label] if coloured else BASELINE_COLOUR
        if math.isfinite(value):
            ax.bar(x, value, width=width * 0.92, color=colour, edgecolor="black",
                   linewidth=0 if crowded else 0.5)
        hw = row["half_width"]
        if hw is not None and math.isfinite(value) and math.isfinite(hw):
            ax.errorbar(x, value, yerr=hw * scale, fmt="none", ecolor="black",
                        elinewidth=1, capsize=3)
        if row["design_point"] == baseline_row:
            ax.annotate("baseline", (x, 0), xytext=(0, 3), textcoords="offset points",
                        ha="center", va="bottom", rotation=90, fontsize=8, style="italic")
        elif not math.isfinite(value):
            ax.annotate("n/a", (x, 0), xytext=(0, 3), textcoords="offset points",
                        ha="center", va="bottom", fontsize=8)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels([g if g else "(no model)" for g in groups],
                       rotation=20 if len(groups) > 4 else 0,
                       ha="right" if len(groups) > 4 else "center")
    ax.set_xlim(-0.6, len(groups) - 0.4)
    ax.set_xlabel("Integration model")
    unit_text = f" ({shown_units})" if shown_units else ""
    ax.set_ylabel(f"Saving in {metric}{unit_text}\n(baseline minus design point; "
                  f"positive = cheaper)")
    ax.grid(axis="y", alpha=0.3)
    if coloured:
        handles = [Patch(facecolor=colour_of[label], edgecolor="black", linewidth=0.5,
                         label=label if label else "(model only)") for label in distinct]
        handles.append(Line2D([], [], color="black", marker="_", markersize=10,
                              label="95% CI"))
        ax.legend(handles=handles, title="Design point", fontsize=8, title_fontsize=9,
                  bbox_to_anchor=(1.01, 1), loc="upper left")
    # The CSV's own name for the baseline, so the title matches the bars' legend.
    if crowded:
        ax.text(0.01, 0.98, f"{len(bars)} design points, one bar each in design order "
                f"within its model", transform=ax.transAxes, ha="left", va="top", fontsize=8)
    baseline_name = next((r["name"] for r in rows if r["design_point"] == baseline_row),
                         results.names[baseline_row])
    ax.set_title(titled(f"Saving against {baseline_name} by integration model (95% CI)",
                        suffix))
    save(fig, out_dir, "savings_by_model.png")


# ---------------------------------------------------------------------------------------------
# Daily series


def daily_stats(values):
    """Per day across replications: mean, 95% CI of the mean, 5th and 95th percentiles.

    NaN padding (tasks shorter than the longest) is left out day by day, so each day's
    interval uses the replications that actually reached it.
    """
    with quiet_nan_stats():
        n = np.sum(np.isfinite(values), axis=0)
        mean = np.nanmean(values, axis=0)
        sd = np.nanstd(values, axis=0, ddof=1)
        p05 = np.nanpercentile(values, 5, axis=0)
        p95 = np.nanpercentile(values, 95, axis=0)
    t = np.array([t_quantile(int(k) - 1) for k in n])
    half = t * sd / np.sqrt(np.maximum(n, 1))
    return mean, mean - half, mean + half, p05, p95, n


def day_axis(days):
    """Each daily mean is drawn at the middle of its day, so day d covers [d, d+1)."""
    return np.arange(days) + 0.5


def shade_warmup(ax, configured):
    """Grey out the configured warm-up: data there is not part of the measured results."""
    if configured is not None and configured > 0:
        ax.axvspan(0, configured, color=WARMUP_COLOUR, zorder=0, linewidth=0)


def draw_bands(ax, x, values, colour):
    """Mean line with a 95% CI band and a lighter 5-95% band; returns replications used."""
    mean, lo, hi, p05, p95, n = daily_stats(values)
    ax.fill_between(x, p05, p95, color=colour, alpha=0.12, linewidth=0)
    for edge in (p05, p95):  # thin edges: the range stays readable where the bands overlap
        ax.plot(x, edge, color=colour, linewidth=0.5, alpha=0.5)
    ax.fill_between(x, lo, hi, color=colour, alpha=0.45, linewidth=0)
    ax.plot(x, mean, color=colour, linewidth=1.4)
    return int(n.max()) if n.size else 0


def plot_occupancy_delays(results, column, points, configured, out_dir, suffix):
    """Two panels sharing the day axis: occupancy and delayed transfers of one setting."""
    setting = results.settings[column]
    days = results.occupancy.shape[1]
    x = day_axis(days)
    fig, (top, bottom) = plt.subplots(2, 1, sharex=True, figsize=(11, 7.5))
    panels = ((top, results.occupancy, f"Mean occupancy\n({results.occupancy_units})"),
              (bottom, results.delayed, "Delayed transfers\n(patients fit to move, "
                                        "holding a place)"))
    handles = []
    for ax, data, ylabel in panels:
        shade_warmup(ax, configured)
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
        if data is None:
            ax.text(0.5, 0.5, "No delayed-transfer series in this file", ha="center",
                    va="center", transform=ax.transAxes)
            continue
        for point, colour in points:
            values = results.series(data, point, column)
            if values.size == 0 or not np.isfinite(values).any():
                continue
            reps = draw_bands(ax, x, values, colour)
            if ax is top:
                handles.append(Line2D([], [], color=colour, linewidth=1.4,
                                      label=f"{results.names[point]}: mean of {reps} "
                                            f"replications"))
    for point, colour in points:
        if not np.isfinite(results.series(results.occupancy, point, column)).any():
            print(f"{PROG}: note: design point {point} ({results.names[point]}) has no "
                  f"occupancy series for {setting}")
    handles += [Patch(color="0.4", alpha=0.55, label="95% CI of the mean"),
                Patch(facecolor=(0.4, 0.4, 0.4, 0.12), edgecolor=(0.4, 0.4, 0.4, 0.5),
                      linewidth=0.5, label="5th-95th percentile of replications")]
    if configured is not None and configured > 0:
        handles.append(Patch(color=WARMUP_COLOUR,
                             label=f"configured warm-up ({format_number(configured)} days)"))
    top.legend(handles=handles, fontsize=8, bbox_to_anchor=(1.01, 1), loc="upper left")
    bottom.set_xlabel("Day of run (warm-up included)")
    bottom.set_xlim(0, days)
    top.set_title(titled(f"{setting}: occupancy and delayed transfers over time (bands: 95% CI "
                         f"and 5-95% range across replications)", suffix))
    save(fig, out_dir, "occupancy_delays_over_time.png")


def plot_warmup(results, column, baseline_row, suggested, configured, out_dir, suffix):
    """Running mean of the baseline's daily occupancy, to judge where the warm-up ends."""
    setting = results.settings[column]
    values = results.series(results.occupancy, baseline_row, column)
    with quiet_nan_stats():
        daily = np.nanmean(values, axis=0) if values.size else np.array([])
    if not np.isfinite(daily).any():
        print(f"{PROG}: note: no occupancy series of {setting} for the baseline; "
              f"warmup.png not drawn")
        return
    finite = np.isfinite(daily)
    running = np.cumsum(np.where(finite, daily, 0.0)) / np.maximum(np.cumsum(finite), 1)
    running[np.cumsum(finite) == 0] = np.nan
    x = day_axis(len(daily))

    fig, ax = plt.subplots(figsize=(10, 5.5))
    ax.plot(x, daily, color=BASELINE_COLOUR, alpha=0.3, linewidth=0.8,
            label=f"daily mean of {results.names[baseline_row]} over {values.shape[0]} "
                  f"replications")
    ax.plot(x, running, color=BASELINE_COLOUR, linewidth=2,
            label="running (cumulative) mean from day 0")
    if suggested is not None:
        ax.axvline(suggested, color="tab:red", linestyle="--", linewidth=1.5,
                   label=f"MSER-5 suggestion: {format_number(suggested)} days")
    if configured is not None:
        ax.axvline(configured, color="black", linestyle=":", linewidth=1.5,
                   label=f"configured warm-up: {format_number(configured)} days")
    ax.set_xlabel("Day of run (warm-up included)")
    ax.set_ylabel(f"Occupancy of {setting} ({results.occupancy_units})")
    ax.set_xlim(0, max(len(daily), suggested or 0, configured or 0))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    title = f"Warm-up: running mean of {setting} occupancy"
    if suggested is not None:
        title += f" (MSER-5 suggests {format_number(suggested)} days)"
    ax.set_title(titled(title, suffix))
    save(fig, out_dir, "warmup.png")


# ---------------------------------------------------------------------------------------------
# Tornado


def plot_tornado(rows, out_dir, suffix):
    """One bar per factor from the output at its low value to that at its high value."""
    if not rows:
        placeholder(out_dir, "tornado.png", titled("Sensitivity to each factor (tornado)", suffix),
                    "No tornado: no numeric factor varies in this experiment,\n"
                    "or the results have no cost metric to measure the factors by")
        return
    output = rows[0]["output"]
    quantity, units = split_units(output)
    scale, shown_units = money_scale(units)
    central = rows[0]["central"] * scale

    fig, ax = plt.subplots(figsize=(10, 1.2 + 0.55 * len(rows)))
    labels = []
    for i, row in enumerate(rows):
        y = len(rows) - 1 - i  # file order is largest swing first: it goes on top
        low, high = row["output_at_low"] * scale, row["output_at_high"] * scale
        ax.barh(y, low - central, left=central, height=0.6, color="tab:blue",
                edgecolor="black", linewidth=0.5)
        ax.barh(y, high - central, left=central, height=0.6, color="tab:orange",
                edgecolor="black", linewidth=0.5)
        if row["swing_half_width"] is not None:
            # The swing's uncertainty, drawn about the high end: a whisker that reaches past
            # the bar's low end marks a swing not distinguishable from chance.
            ax.errorbar(high, y, xerr=row["swing_half_width"] * scale, color="black",
                        capsize=4, linewidth=1)
        for value, factor_value in ((low, row["low_value"]), (high, row["high_value"])):
            right = value >= central
            ax.annotate(format_number(factor_value), (value, y),
                        xytext=(4 if right else -4, 0), textcoords="offset points",
                        ha="left" if right else "right", va="center", fontsize=8)
        labels.append(f"{row['factor']}\n({format_number(row['low_value'])} to "
                      f"{format_number(row['high_value'])})")
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(list(reversed(labels)), fontsize=9)
    ax.axvline(central, color="black", linewidth=1)
    ax.margins(x=0.15)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_xlabel(f"{quantity} ({shown_units})" if shown_units else quantity)
    ax.grid(axis="x", alpha=0.3)
    ax.legend(handles=[Patch(facecolor="tab:blue", edgecolor="black", linewidth=0.5,
                             label="factor at its low value"),
                       Patch(facecolor="tab:orange", edgecolor="black", linewidth=0.5,
                             label="factor at its high value"),
                       Line2D([], [], color="black",
                              label=f"central: {format_number(central)}"),
                       Line2D([], [], color="black", marker="|", markersize=8,
                              label="95% CI of the swing, about the high end")],
              fontsize=8, bbox_to_anchor=(1.01, 1), loc="upper left")
    ax.set_title(titled(f"Sensitivity of {output} to each factor (tornado)", suffix))
    save(fig, out_dir, "tornado.png")


# ---------------------------------------------------------------------------------------------
# Command line


class Parser(argparse.ArgumentParser):
    """argparse that reports like the rest of the script (exit 1), not with its exit 2."""

    def error(self, message):
        print(f"{PROG}: error: {message}", file=sys.stderr)
        sys.exit(1)


def parse_args(argv):
    """Options as passed by `tcsim report`; every one has a default for use by hand."""
    parser = Parser(prog=PROG, description="Draw the PNG figures of a tcsim report.")
    parser.add_argument("results", help="the HDF5 results file (docs/results-format.md)")
    parser.add_argument("out_dir", metavar="DIR",
                        help="folder holding savings.csv and tornado.csv; PNGs go here")
    parser.add_argument("--setting", help="setting whose occupancy and delays are plotted "
                        "(default: the first acute one, else the first)")
    parser.add_argument("--baseline-row", type=int, default=0,
                        help="design point index of the baseline (default 0)")
    parser.add_argument("--compare-row", type=int,
                        help="design point shown against the baseline (default: none)")
    parser.add_argument("--warmup-days", type=float, help="MSER-5 suggested warm-up, days")
    parser.add_argument("--configured-warmup", type=float,
                        help="the scenario's configured warm-up, days")
    parser.add_argument("--title-suffix", default="", help="appended to every title")
    return parser.parse_args(argv)


def main(argv):
    """Read everything first, so a bad input fails before any figure is half-written."""
    args = parse_args(argv)
    if not os.path.isdir(args.out_dir):
        raise PlotError(f"{args.out_dir}: no such folder")
    results = Results(args.results)
    results.check_row(args.baseline_row, "--baseline-row")
    compare = args.baseline_row if args.compare_row is None else args.compare_row
    results.check_row(compare, "--compare-row")
    savings = read_savings(args.out_dir)
    tornado = read_tornado(args.out_dir)
    column = results.setting_column(args.setting) if results.has_series else None

    plot_savings(results, savings, args.baseline_row, args.out_dir, args.title_suffix)
    if results.has_series:
        points = [(args.baseline_row, BASELINE_COLOUR)]
        if compare != args.baseline_row:
            points.append((compare, COMPARE_COLOUR))
        plot_occupancy_delays(results, column, points, args.configured_warmup,
                              args.out_dir, args.title_suffix)
    else:
        print(f"{PROG}: note: {args.results} has no /timeseries; "
              f"occupancy_delays_over_time.png not drawn")
    plot_tornado(tornado, args.out_dir, args.title_suffix)
    if results.has_series:
        plot_warmup(results, column, args.baseline_row, args.warmup_days,
                    args.configured_warmup, args.out_dir, args.title_suffix)
    else:
        print(f"{PROG}: note: {args.results} has no /timeseries; warmup.png not drawn")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except PlotError as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        sys.exit(1)
