"""Turn measurements into numbers people read: medians, paired ratios, the floor, the table and the
README section (the goals met or missed: ``targets.py``).

Everything here works on the plain dicts of ``results/latest.json``, so the README section and the
chart can be made again from the file alone (``python bench/run.py --report-only``).
"""

from __future__ import annotations

import statistics
from pathlib import Path

from measure import Outcome

# (numerator, denominator, what the ratio says); both keys must have been measured.
RATIOS = [
    ("site.warm", "site.plain", "warm build / plain build"),
    ("site.off", "site.plain", "execution off / plain build"),
    ("site.cold", "site.plain", "cold build / plain build"),
    ("site.edit", "site.warm", "one snippet edited / warm build"),
    ("site.edit_daemon", "site.warm", "one snippet edited, daemon on / warm build"),
    ("small.warm", "small.plain", "small site: warm / plain"),
    ("small.cold", "small.plain", "small site: cold / plain"),
    ("serve.ours", "serve.plain", "prose edit under serve: ours / plain"),
    ("serve.edit", "serve.plain", "snippet edit under serve, ours / prose edit, plain"),
    ("remote.fresh", "remote.plain", "fresh clone from the remote cache / plain build"),
    ("peers.mdexec", "site.cold", "markdown-exec / our cold build"),
    ("peers.mdexec", "site.warm", "markdown-exec / our warm build"),
    ("peers.jupyter_off", "site.cold", "mkdocs-jupyter, cache off / our cold build"),
    ("peers.jupyter_on", "site.warm", "mkdocs-jupyter, cache on / our warm build"),
    ("zensical.warm", "zensical.plain", "Zensical: warm build / plain zensical build"),
    ("zensical.cold", "zensical.plain", "Zensical: cold build / plain zensical build"),
    ("zensical.warm_kept", "zensical.plain_kept", "Zensical, page cache kept: warm / plain"),
    ("properdocs.warm", "properdocs.plain", "ProperDocs: warm build / plain build"),
    ("dask.site.dask", "dask.site.local", "real site cold: local Dask cluster, 2 workers / local executor"),
    ("dask.scale.200.w1", "dask.scale.200.w2", "200 posts cold through Dask: 1 worker / 2 workers"),
]


def summarize(outcome: Outcome, group: str) -> dict:
    seconds = [run.seconds for run in outcome.runs]
    memory = [run.peak_rss for run in outcome.runs if run.peak_rss]
    entry: dict = {
        "label": outcome.command.label,
        "group": group,
        "n": len(seconds),
        "warmups": outcome.warmups,
        "seconds": [round(s, 4) for s in seconds],
        "note": outcome.command.note,
        "error": outcome.error,
    }
    if seconds:
        entry.update(median=statistics.median(seconds), min=min(seconds), max=max(seconds))
    if memory:
        entry["peak_rss_mib"] = round(max(memory) / 2**20, 1)
        entry["median_rss_mib"] = round(statistics.median(memory) / 2**20, 1)
    return entry


def ratio(measurements: dict, a: str, b: str) -> dict | None:
    """Run i of ``a`` over run i of ``b`` when both ran in the same rounds, else median over median."""
    if a not in measurements or b not in measurements:
        return None
    x, y = measurements[a], measurements[b]
    if not x.get("n") or not y.get("n"):
        return None
    paired = x["group"] == y["group"] and x["n"] == y["n"]
    if paired:
        values = [p / q for p, q in zip(x["seconds"], y["seconds"], strict=True)]
        return {"median": statistics.median(values), "min": min(values), "max": max(values), "paired": True}
    return {"median": x["median"] / y["median"], "min": None, "max": None, "paired": False}


def compute_floor(
    measurements: dict, passes: list[dict[str, float]], cores: int, phones: list[dict[str, float]] = ()
) -> dict | None:
    """Snippets' compute ÷ cores + one preload + the plain build (medians); and the overlapped floor,
    one preload + (compute + plain build) ÷ cores, for a build that renders pages while snippets run.
    ``phones``: each pass's phone drawings per run, reported beside it (not part of the floor)."""
    if not passes or "site.preload" not in measurements or "site.plain" not in measurements:
        return None
    if not measurements["site.preload"].get("n") or not measurements["site.plain"].get("n"):
        return None
    by_snippet = {name: statistics.median(p[name] for p in passes) for name in passes[0]}
    compute = sum(by_snippet.values())
    preload = measurements["site.preload"]["median"]
    plain = measurements["site.plain"]["median"]
    return {
        "compute_by_snippet": {k: round(v, 3) for k, v in by_snippet.items()},
        "compute_total": compute,
        "passes": len(passes),
        "cores": cores,
        "preload": preload,
        "plain": plain,
        "floor": compute / cores + preload + plain,
        "overlap_floor": preload + (compute + plain) / cores,
        "phone_total": statistics.median(sum(p.values()) for p in phones) if phones else None,
    }


def table(results: dict) -> str:
    """The printed table: medians with their range, counts, then the paired ratios and the targets."""
    lines = [f"{'measurement':<50} {'median':>8}  {'min–max':>17}  {'n':>2}  {'peak MiB':>8}"]
    lines.append("-" * len(lines[0]))
    for entry in results["measurements"].values():
        if entry.get("error"):
            lines.append(f"{entry['label']:<50} {'FAILED':>8}  {entry['error'].splitlines()[0][:60]}")
            continue
        spread = f"{entry['min']:.2f}–{entry['max']:.2f}"
        memory = f"{entry['peak_rss_mib']:8.0f}" if "peak_rss_mib" in entry else ""
        lines.append(
            f"{entry['label']:<50} {entry['median']:7.2f}s  {spread:>17}  {entry['n']:>2}  {memory:>8}"
        )
    floor = results.get("floor")
    if floor:
        label = f"floor: compute {floor['compute_total']:.2f} s ÷ {floor['cores']} cores + preload + plain"
        lines.append(f"{label:<50} {floor['floor']:7.2f}s")
        if "overlap_floor" in floor:
            label = "floor, overlapped: preload + (compute + plain) ÷ cores"
            lines.append(f"{label:<50} {floor['overlap_floor']:7.2f}s")
    lines += ["", f"{'ratio':<50} {'median':>8}  {'min–max':>17}"]
    for item in results["ratios"]:
        spread = f"{item['min']:.2f}–{item['max']:.2f}" if item["paired"] else "(unpaired)"
        lines.append(f"{item['name']:<50} {item['median']:7.2f}×  {spread:>17}")
    lines += ["", "targets"]
    for target in results["targets"]:
        mark = {True: "met   ", False: "MISSED", None: "n/a   "}[target["met"]]
        lines.append(f"  {mark} {target['name']}: {target['text']}")
    return "\n".join(lines)


def readme_section(results: dict, chart: str) -> str:
    """The README's Performance section, made from the results alone."""
    m = results["measurements"]
    rows = ["| measurement | median | min–max | runs |", "| --- | ---: | ---: | ---: |"]
    for entry in m.values():
        if entry.get("error"):
            rows.append(f"| {entry['label']} | failed | | |")
        else:
            spread = f"{entry['min']:.2f}–{entry['max']:.2f} s"
            rows.append(f"| {entry['label']} | {entry['median']:.2f} s | {spread} | {entry['n']} |")
    if results.get("floor"):
        rows.append(f"| floor (compute ÷ cores + preload + plain) | {results['floor']['floor']:.2f} s | | |")
        if "overlap_floor" in results["floor"]:
            overlap = results["floor"]["overlap_floor"]
            rows.append(f"| floor, overlapped (preload + (compute + plain) ÷ cores) | {overlap:.2f} s | | |")
    ratio_rows = ["| ratio | median | min–max |", "| --- | ---: | ---: |"]
    for item in results["ratios"]:
        spread = f"{item['min']:.2f}–{item['max']:.2f}" if item["paired"] else "unpaired"
        ratio_rows.append(f"| {item['name']} | {item['median']:.2f}× | {spread} |")
    target_rows = [
        f"- **{ {True: 'met', False: 'missed', None: 'not measured'}[t['met']] }**: {t['name']}: {t['text']}."
        for t in results["targets"]
    ]
    machine = results["machine"]
    return "\n".join(
        [
            f"Measured by `make bench` on {results['created'][:10]}: {machine['cores']} cores, "
            f"load average {machine['load_before']:.1f} at the start and up to {machine['load_max']:.1f} "
            f"(other work on the machine); the whole bench took {results['total_seconds'] / 60:.1f} min. "
            "Rows with one run are the heavy builds, run once. "
            "See [bench/README.md](bench/README.md) for what each row means and how they are ordered.",
            "",
            *target_rows,
            "",
            *ratio_rows,
            "",
            *rows,
            "",
            f"![Build times and memory]({chart})",
        ]
    )


def replace_section(
    readme: Path, section: str, start: str, end: str, heading: str = "## Performance"
) -> None:
    """Put ``section`` between the markers, adding them under ``heading`` at the end when missing."""
    text = readme.read_text(encoding="utf-8") if readme.exists() else ""
    block = f"{start}\n{section.rstrip()}\n{end}"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip("\n") + f"\n\n{heading}\n\n" + block + "\n"
    readme.write_text(text, encoding="utf-8")
