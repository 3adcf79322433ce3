"""The pre-step for a host without site-wide events (Zensical): collect every page, run every snippet
together through the engine, and write the files the host cannot make (``hostfiles``) and the host's
config (``zensical_config``). The host's own build then renders pages through ``site_tools.markdown``,
which finds every result in the cache."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from site_tools.engine import Engine
from site_tools.posts.validate import validate_posts
from site_tools.project import Project, read_inventory
from site_tools.site.generated_files import MANIFEST, host_files, write_host_files
from site_tools.site.state import SiteState


def collect_site(project: Project, engine: Engine) -> SiteState:
    """Every page and notebook of the docs folder, read from disk."""
    inventory = read_inventory(project, engine)
    texts = {
        page: (project.root / page).read_text(encoding="utf-8", errors="replace") for page in inventory.pages
    }
    docs_prefix = project.docs_dir.resolve().relative_to(project.root.resolve()).as_posix()
    return SiteState(engine, inventory, docs_prefix, texts, list(inventory.problems))


@dataclass
class Prepared:
    state: SiteState
    errors: list[str]  # each naming file and line; a build stops on any
    summary: str
    written: list[str]  # docs-relative files written (changed) this time


def prepare(
    project: Project,
    engine: Engine,
    *,
    progress: Callable | None = None,
    collect: Callable[[Project, Engine], SiteState] = collect_site,
) -> Prepared:
    """``collect``: how the site is collected (the Zensical command hands its extension the result)."""
    state = collect(project, engine)
    if project.options.validate_posts:
        state.add_problems(validate_posts(project.root, project.config))
    report = engine.run(state.snippets(), progress=progress)
    errors = state.errors()
    files = host_files(state, report_page=project.options.report_page)
    written = write_host_files(project.docs_dir, files, engine.config.cache_dir / MANIFEST)
    report = replace(report, failed=report.failed + state.mismatched())  # ran, but not what was promised
    return Prepared(state, errors, report.summary(), written)
