"""Each goal of the bench met or missed, by how much, and why in the measured numbers.

Works on the plain dicts of ``results/latest.json`` (``report.py`` makes the medians and ratios it
reads), so ``python bench/run.py --report-only`` makes them again from the file alone.
"""

from __future__ import annotations

EDIT_SLACK_S = 0.3  # issue 30: an edited snippet costs a plain rebuild + its compute + at most this


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
    add(
        "prose edit under serve ≤ 1.10× a plain rebuild",
        _ratio_value(ratios, "serve.ours", "serve.plain"),
        1.10,
        "x",
        why,
    )
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
    add(*_helper_edit_target(m.get("site.helper_edit", {}), floor))
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


def _helper_edit_target(row: dict, floor: dict | None) -> tuple:
    """A helper edit re-runs its importers (the row checks that only they ran) within the plain
    rebuild + their compute ÷ cores + the slack."""
    importers = set(row.get("importers", ()))
    compute = (
        sum(s for run, s in floor["compute_by_snippet"].items() if run.split("[")[0] in importers)
        if floor
        else None
    )
    limit = floor["plain"] + compute / floor["cores"] + EDIT_SLACK_S if compute is not None else None
    name = (
        f"one helper edited ({row.get('helper', '?')}), daemon on, `mkdocs build` ≤ plain + its importers' "
        f"compute ({compute or 0:.2f} s) ÷ cores + {EDIT_SLACK_S} s"
    )
    why = ""
    if limit is not None and row.get("median") is not None:
        over = row["median"] - limit + EDIT_SLACK_S
        why = (
            f"{over:.2f} s over plain + compute ÷ cores: each importer is a fork of the daemon that draws "
            "its figures twice (wide and phone), which the floor leaves out, on cores the pages share"
        )
    return name, row.get("median"), limit, "s", why
