"""Turn measurements into numbers people read: medians, paired ratios, the floor, targets met or missed.

Everything here works on the plain dicts of ``results/latest.json``, so the README section and the
chart can be made again from the file alone (``python bench/run.py --report-only``).
"""

from __future__ import annotations

import statistics
from pathlib import Path

from measure import Outcome

EDIT_SLACK_S = 0.3  # issue 30: an edited snippet costs a plain rebuild + its compute + at most this

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


def targets(results: dict) -> list[dict]:
    """Each target met or missed, by how much, and why in the measured numbers."""
    m, floor, ratios = results["measurements"], results.get("floor"), results["ratios"]
    median = lambda key: m.get(key, {}).get("median")  # noqa: E731
    found = []

    def add(name: str, value: float | None, limit: float | None, unit: str, why: str = "") -> None:
        if value is None or limit is None:
            found.append({"name": name, "met": None, "text": "not measured", "why": ""})
            return
        met = value <= limit
        shown = (lambda v: f"{v:.2f}×") if unit == "x" else (lambda v: f"{v:.2f} s")
        text = f"{shown(value)} against ≤ {shown(limit)}" + (
            "" if met else f": missed by {shown(value - limit)}"
        )
        if why and not met:
            text += f" ({why})"
        found.append({"name": name, "met": met, "value": value, "limit": limit, "text": text, "why": why})

    cold = median("site.cold")
    overlap = floor.get("overlap_floor") if floor else None
    why = _cold_why(cold, overlap, floor, results.get("manycore")) if cold and overlap else ""
    add(
        "cold ≤ 1.10× floor (preload + (compute + plain) ÷ cores)",
        cold / overlap if cold and overlap else None,
        1.10,
        "x",
        why,
    )
    # Issue 30: a no-change rebuild costs at most 1.05x the host's own (1.10x on a small site).
    plugin = "plugin import, scan, keys, cache reads, figures, and the theme's work on richer pages"
    skipped = (
        "the inputs check (config read, every input stat'd) and Zensical copying the files only our "
        "site has (drawings, downloads, report); the pre-step is skipped"
    )
    for a, b, name, limit, cause in (
        ("site.warm", "site.plain", "MkDocs, real site", 1.05, plugin),
        ("properdocs.warm", "properdocs.plain", "ProperDocs, real site", 1.05, plugin),
        ("zensical.warm_kept", "zensical.plain_kept", "Zensical, real site, page caches kept", 1.05, skipped),
        ("zensical.warm", "zensical.plain", "Zensical, real site, page caches emptied", 1.05, plugin),
        ("small.warm", "small.plain", "MkDocs, small site", 1.10, plugin),
        ("scale.800.warm", "scale.800.plain", "MkDocs, 800 posts", 1.05, plugin),
    ):
        extra = _difference(m, a, b)
        why = f"{extra:.2f} s more than plain: {cause}" if extra else ""
        add(f"no-change rebuild ≤ {limit:.2f}× plain, {name}", _ratio_value(ratios, a, b), limit, "x", why)
    ours, plain_serve = median("serve.ours"), median("serve.plain")
    why = (
        f"{ours - plain_serve:.2f} s more per rebuild, the warm build's overhead"
        if ours and plain_serve
        else ""
    )
    prose_ratio = _ratio_value(ratios, "serve.ours", "serve.plain")
    add("prose edit under serve ≤ 1.10× a plain rebuild", prose_ratio, 1.10, "x", why)
    # The goal is met with the worker daemon on (it keeps the preload); without it, the row is shown.
    daemon = "site.edit_daemon" in m and m["site.edit_daemon"].get("median") is not None
    edit = m.get("site.edit_daemon" if daemon else "site.edit", {})
    snippet = m.get("site.edit", {}).get("snippet", "")
    own = floor["compute_by_snippet"].get(snippet) if floor else None
    slack = EDIT_SLACK_S
    limit = floor["plain"] + own + slack if floor and own is not None else None
    why = ""
    if floor and edit.get("median") is not None and limit is not None:
        why = f"{edit['median'] - limit + slack:.2f} s over plain + compute; " + (
            "the daemon's fork, the build's own overhead"
            if daemon
            else f"the worker preload alone is {floor['preload']:.1f} s when no daemon holds it"
        )
    name = f"one snippet edited{', daemon on' if daemon else ''}, `mkdocs build` ≤ plain + its compute"
    add(f"{name} ({own or 0:.2f} s) + {slack} s", edit.get("median"), limit, "s", why)
    limit = plain_serve + own + slack if plain_serve is not None and own is not None else None
    served, why = median("serve.edit"), ""
    if served is not None and limit is not None:
        extra = served - plain_serve - own
        why = f"{extra:.2f} s over a plain rebuild plus the snippet: the plugin's overhead and one fork"
    add(
        f"one snippet edited under serve ≤ a plain rebuild + its compute + {slack} s",
        median("serve.edit"),
        limit,
        "s",
        why,
    )
    add(
        "real site cold through a local 2-worker Dask cluster ≤ 1.10× the local executor",
        _ratio_value(ratios, "dask.site.dask", "dask.site.local"),
        1.10,
        "x",
        "each snippet is a Dask task: a scheduler round trip and its files written on a worker",
    )
    fresh, plain_remote = median("remote.fresh"), median("remote.plain")
    why = (
        f"{fresh - plain_remote:.2f} s more than plain: one manifest and its blobs fetched, checked and "
        "written locally per snippet"
        if fresh and plain_remote
        else ""
    )
    add(
        "fresh clone from a warm remote cache ≤ 1.3× plain",
        _ratio_value(ratios, "remote.fresh", "remote.plain"),
        1.3,
        "x",
        why,
    )
    found.append(_memory_target(m))
    found.append(_switch_target(results.get("switch")))
    found += _manycore_targets(results.get("manycore"), results.get("manycore_lent"))
    return found


def _cold_why(cold: float, overlap: float, floor: dict, many: dict | None) -> str:
    """Where a cold build's time over the floor went, from the stamped cold build of ``manycore.py``
    (the same site, on this machine) where it ran."""
    why = f"{cold - overlap:.1f} s over the floor"
    phone = floor.get("phone_total")
    phones = (
        f"; drawing every figure again for a phone, which the floor leaves out, takes {phone:.1f} s more "
        "in the same warm process"
        if phone
        else ""
    )
    if not many or not many.get("cold", {}).get("run_seconds"):
        return why + f": a fork and a result per snippet, pages that wait for their own snippets{phones}"
    stamped = many["cold"]
    ran = sum(stamped["run_seconds"].values())
    return (
        f"{why}: in a stamped cold build the runs took {ran:.1f} s in all against the floor's "
        f"{floor['compute_total']:.1f} s (each run a fresh fork, on cores the page rendering shares"
        f"{phones}); the first result came "
        f"{stamped['first_result_at']:.1f} s in, behind the {many['preload']:.1f} s preload; the build "
        f"went on {stamped['tail']:.1f} s after the last result (pages that waited for it, the report, "
        "the search index)"
    )


def _manycore_targets(here: dict | None, lent: dict | None) -> list[dict]:
    """The many-core goal on this machine, and on a lent machine of >= 8 cores where one ran it."""
    found = [_manycore_target(here)]
    if lent:
        where = f"{lent['machine']}, {lent['measured']}, commit {lent['commit']}"
        found.append(_manycore_target(lent, where=where))
    return found


def _manycore_target(many: dict | None, *, where: str = "") -> dict:
    """The snippet phase of a cold build on many cores (``bench/manycore.py``), where it applies;
    ``where`` names a machine other than this one (a lent one, whose result is committed)."""
    name = "many cores (≥ 8): snippet phase ≤ preload + 1.3× the longest snippet alone"
    name += f", on {where}" if where else ", this machine"
    if not many:
        return {"name": name, "met": None, "text": "not measured", "why": ""}
    value, limit = many["cold"]["snippet_phase"], many["goal"]
    text = f"{value:.2f} s against ≤ {limit:.2f} s ({many['cores']} cores)"
    cold = many["cold"]
    why = (
        f"queued at {cold['plan_at']:.1f} s, first result at {cold['first_result_at']:.1f} s, "
        f"preload {many['preload']:.1f} s, longest {many['longest']:.1f} s ({many['longest_name']})"
    )
    if not many["applies"]:
        return {"name": name, "met": None, "text": f"{text}: not applicable on this machine", "why": why}
    met = value <= limit
    text += "" if met else f": missed by {value - limit:.2f} s ({why})"
    return {"name": name, "met": met, "value": value, "limit": limit, "text": text, "why": why}


BIG = ("scale.800.warm", "scale.800.plain")


def _switch_target(found: dict | None) -> dict:
    name = "one linked control moves every figure of the explorable post ≤ 50 ms after the input event"
    if not found or found.get("error"):
        return {"name": name, "met": None, "text": (found or {}).get("error", "not measured"), "why": ""}
    text = f"median {found['median_ms']:.0f} ms against ≤ {found['goal_ms']:.0f} ms" + (
        f" (max {found['max_ms']:.0f} ms; {found['figures']} figures, {len(found['ms'])} switches, Chromium)"
    )
    return {"name": name, "met": found["met"], "text": text, "why": ""}


def _difference(m: dict, a: str, b: str) -> float | None:
    x, y = m.get(a, {}).get("median"), m.get(b, {}).get("median")
    return x - y if x is not None and y is not None else None


def _ratio_value(ratios: list[dict], a: str, b: str) -> float | None:
    for item in ratios:
        if item["a"] == a and item["b"] == b:
            return item["median"]
    return None


def _memory_target(m: dict) -> dict:
    """Memory bounded by workers: our processes' extra peak over the plain build must not grow with posts."""
    rows = {}
    for key, entry in m.items():
        parts = key.split(".")
        if parts[0] == "scale" and parts[2] == "cold" and "peak_rss_mib" in entry:
            plain = m.get(f"scale.{parts[1]}.plain", {}).get("peak_rss_mib")
            if plain is not None:
                rows.setdefault(parts[3], {})[int(parts[1])] = entry["peak_rss_mib"] - plain
    name = "memory bounded by workers (extra peak over plain, smallest → largest site)"
    why = "each worker is one fork at a time; what grows with posts is MkDocs' own pages"
    if not rows:
        return {"name": name, "met": None, "text": "not measured", "why": why}
    parts, met = [], True
    for workers, by_size in sorted(rows.items()):
        small, large = by_size[min(by_size)], by_size[max(by_size)]
        grows = large > 1.25 * small + 50  # a quarter, plus 50 MiB of sampling noise
        met = met and not grows
        parts.append(f"{workers}: {small:.0f} → {large:.0f} MiB")
    return {"name": name, "met": met, "text": "; ".join(parts), "why": why, "by_workers": rows}


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
