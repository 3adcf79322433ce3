"""The Lighthouse bench's results as Markdown: every run of each post and its twin, the medians,
the difference against the target, the key metrics and what each twin removed (``run.py`` measures;
this module only writes what was measured, so a table can be made again from the JSON)."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

TARGET_POINTS = 5
METRICS = {  # name in the JSON: Lighthouse audit id
    "lcp_ms": "largest-contentful-paint",
    "tbt_ms": "total-blocking-time",
    "fcp_ms": "first-contentful-paint",
    "si_ms": "speed-index",
    "cls": "cumulative-layout-shift",
    "dom_size": "dom-size",
    "total_bytes": "total-byte-weight",
}


def median(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(value, sign: bool = False) -> str:
    if value is None:
        return "–"
    return f"{value:+g}" if sign else f"{value:g}"


def summarize(data: dict) -> list[dict]:
    rows = []
    for post, runs in data["posts"].items():
        page = median([r["score"] for r in runs["page"]])
        twin_score = median([r["score"] for r in runs["twin"]])
        diff = None if page is None or twin_score is None else page - twin_score
        rows.append(
            {
                "post": post,
                "page": page,
                "twin": twin_score,
                "difference": diff,
                "met": None if diff is None else diff >= -data.get("target_points", TARGET_POINTS),
                "page_runs": [r["score"] for r in runs["page"]],
                "twin_runs": [r["score"] for r in runs["twin"]],
                **{f"page_{m}": median([r.get(m) for r in runs["page"]]) for m in METRICS},
                **{f"twin_{m}": median([r.get(m) for r in runs["twin"]]) for m in METRICS},
            }
        )
    return rows


def table(data: dict) -> str:
    rows = summarize(data)
    target = data.get("target_points", TARGET_POINTS)
    runs_done = max((len(r["page_runs"]) for r in rows), default=0)
    note = f" — {data['note']}" if data.get("note") else ""
    lines = [
        f"# Lighthouse: each post against its text-only twin{note}",
        "",
        f"Lighthouse {data['lighthouse']} (mobile, its default emulation and simulated throttling, "
        f"performance only) on {data['chromium']}, Node {data['node']}; {data['machine']['cpus']} cores; "
        f"served from 127.0.0.1{' with gzip' if data['settings'].get('gzip') else ''}; "
        f"{runs_done} of {data['settings']['runs']} rounds, page and twin alternated "
        f"({data['settings']['order']}); started {data['started']}"
        + (f", finished {data['finished']}" if data.get("finished") else " (in progress)")
        + f". Load average before: {data['machine']['loadavg_before'][0]:.2f}"
        + (
            f", after: {data['machine']['loadavg_after'][0]:.2f}"
            if data["machine"].get("loadavg_after")
            else ""
        )
        + ".",
        "",
        f"Target: each post within {target} points of its twin "
        f"(median page score ≥ median twin score − {target}).",
        "The twin is the page with every computed part taken out (`bench/lighthouse/twin.py`).",
        *([f"Made with: `{data['how']}`"] if data.get("how") else []),
        "",
        "| post | page: every run | twin: every run | page median | twin median | difference | within 5 |",
        "| --- | --- | --- | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        slug = row["post"].rstrip("/").split("/")[-1]
        date = "-".join(row["post"].split("/")[1:4])
        met = "–" if row["met"] is None else "met" if row["met"] else "missed"
        lines.append(
            f"| {date} {slug} | {', '.join(fmt(s) for s in row['page_runs'])} "
            f"| {', '.join(fmt(s) for s in row['twin_runs'])} | {fmt(row['page'])} | {fmt(row['twin'])} "
            f"| {fmt(row['difference'], sign=True)} | {met} |"
        )
    lines += [
        "",
        "Medians of the key metrics (page / twin):",
        "",
        "| post | LCP ms | TBT ms | FCP ms | Speed Index ms | CLS | DOM elements | total bytes |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        slug = row["post"].rstrip("/").split("/")[-1]
        cells = [
            f"{fmt(row['page_' + m])} / {fmt(row['twin_' + m])}"
            for m in ("lcp_ms", "tbt_ms", "fcp_ms", "si_ms", "cls", "dom_size", "total_bytes")
        ]
        lines.append(f"| {slug} | " + " | ".join(cells) + " |")
    errors = [
        f"- {post} {which} round {r.get('round')}: {r['error'][:300]}"
        for post, runs in data["posts"].items()
        for which in ("page", "twin")
        for r in runs[which]
        if r.get("error")
    ]
    if errors:
        lines += ["", "Failed runs (left out of the medians):", "", *errors]
    twins = data.get("twins") or {}
    if twins:
        lines += [
            "",
            "What each twin removed:",
            "",
            "| post | page HTML bytes | twin HTML bytes | removed |",
            "| --- | ---: | ---: | --- |",
        ]
        for post, made in twins.items():
            slug = post.rstrip("/").split("/")[-1]
            removed = ", ".join(f"{k} {v}" for k, v in made["removed"].items())
            lines.append(f"| {slug} | {made['page_bytes']} | {made['twin_bytes']} | {removed} |")
    return "\n".join(lines) + "\n"


def write(data: dict, json_path: Path, md_path: Path) -> None:
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    md_path.parent.mkdir(parents=True, exist_ok=True)
    md_path.write_text(table(data), encoding="utf-8")
