"""The PNG beside the results: build times side by side, then how time and memory grow with posts."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib import ticker

REAL_ORDER = [
    "site.plain",
    "site.off",
    "site.warm",
    "site.edit",
    "site.edit_daemon",
    "site.cold",
    "dask.site.local",
    "dask.site.dask",
    "serve.plain",
    "serve.ours",
    "serve.edit",
    "peers.jupyter_on",
    "peers.jupyter_off",
    "peers.mdexec",
]


def draw(results: dict, path: Path) -> Path:
    m = results["measurements"]
    fig, (ax_site, ax_time, ax_memory) = plt.subplots(
        1, 3, figsize=(16, 5.5), gridspec_kw={"width_ratios": [1.6, 1, 1]}, layout="constrained"
    )
    _bars(ax_site, m, results.get("floor"))
    _scaling(ax_time, ax_memory, m)
    fig.suptitle(f"make bench, {results['created'][:10]}: medians, bars show min–max", fontsize=11)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(fig)
    return path


def _bars(ax, m: dict, floor: dict | None) -> None:
    keys = [k for k in REAL_ORDER if k in m and m[k].get("n")]
    if not keys:  # a partial run (--only small, scale...) without the real site's builds
        ax.set_axis_off()
        return
    labels = [f"{m[k]['label']} (n={m[k]['n']})" for k in keys]
    medians = [m[k]["median"] for k in keys]
    low = [m[k]["median"] - m[k]["min"] for k in keys]
    high = [m[k]["max"] - m[k]["median"] for k in keys]
    colors = [
        "#7f7f7f"
        if k.startswith(("site.plain", "serve.plain"))
        else "#d9622b"
        if k.startswith("peers")
        else "#3b6fb6"
        for k in keys
    ]
    ax.barh(range(len(keys)), medians, xerr=[low, high], color=colors, capsize=3)
    ax.set_yticks(range(len(keys)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel("seconds (log scale)")
    ax.set_title("The real site: ours (blue), plain (grey), peers (orange)", fontsize=10)
    for index, key in enumerate(keys):
        ax.text(m[key]["max"] * 1.1, index, f"{m[key]['median']:.1f} s", va="center", fontsize=7)
    ax.set_xlim(right=max(m[k]["max"] for k in keys) * 2.2)
    if floor:
        ax.axvline(floor["floor"], color="#3a9a5b", linestyle="--", linewidth=1)
        ax.text(
            floor["floor"], len(keys) - 0.4, f" floor {floor['floor']:.1f} s", color="#3a9a5b", fontsize=8
        )


def _scaling(ax_time, ax_memory, m: dict) -> None:
    series: dict[str, dict[int, dict]] = {}
    for key, entry in m.items():
        parts = key.split(".")
        if parts[0] == "scale" and entry.get("n"):
            series.setdefault(".".join(parts[2:]), {})[int(parts[1])] = entry
    styles = {
        "plain": ("#7f7f7f", "o"),
        "warm": ("#3a9a5b", "s"),
        "cold.w1": ("#b8436e", "^"),
        "cold.w2": ("#3b6fb6", "v"),
    }
    for name, by_size in sorted(series.items()):
        color, marker = styles.get(name, ("black", "x"))
        sizes = sorted(by_size)
        ax_time.plot(sizes, [by_size[s]["median"] for s in sizes], marker=marker, color=color, label=name)
        if all("peak_rss_mib" in by_size[s] for s in sizes):
            ax_memory.plot(
                sizes, [by_size[s]["peak_rss_mib"] for s in sizes], marker=marker, color=color, label=name
            )
    for ax, title, unit in (
        (ax_time, "Build time against posts", "seconds"),
        (ax_memory, "Peak memory (process tree RSS)", "MiB"),
    ):
        ax.set_xscale("log")
        sizes = sorted({size for by_size in series.values() for size in by_size})
        ax.set_xticks(sizes, [str(size) for size in sizes])
        ax.xaxis.set_minor_locator(ticker.NullLocator())
        ax.set_xlabel("posts (two tiny snippets each)")
        ax.set_ylabel(unit)
        ax.set_title(title, fontsize=10)
        if ax.lines:
            ax.legend(fontsize=8)
    ax_time.set_yscale("log")
    ax_time.yaxis.set_major_formatter(ticker.FormatStrFormatter("%g"))
    ax_time.yaxis.set_minor_formatter(ticker.FormatStrFormatter("%g"))
    ax_memory.set_ylim(bottom=0)
