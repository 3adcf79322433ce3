"""The site-tools options: one schema, one validator, for the MkDocs plugin, the pytest plugin and the CLI.

Each option is a field of ``SiteToolsOptions`` whose metadata holds its documentation, its kind and,
where it has one, the environment variable that overrides it. Precedence: environment, then the
plugin's entry in mkdocs.yml, then the default. Every entry point reads options through
``load_options``, so the same mkdocs.yml and environment give the same values and the same error
messages everywhere. This module imports nothing from MkDocs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from site_tools.engine.collect.embed_options import suggest
from site_tools.engine.config import EngineConfig
from site_tools.engine.run.registry import executor_names
from site_tools.problems import Problem
from site_tools.render.budgets import FIGURE_BUDGET_KB, PAGE_BUDGET_KB
from site_tools.render.scrub import SCRUB_BUDGET_KB

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def _option(
    default: Any, doc: str, *, kind: str, env: str | None = None, shown: bool = True, **rules: Any
) -> Any:
    """A field of the schema: its default, what it does, how its value is read, and its variable.

    ``shown=False`` keeps the value out of the options' repr (the debug log): a URL may hold a password.
    """
    metadata = {"doc": doc, "kind": kind, "env": env, **rules}
    return field(default=default, metadata=metadata, repr=shown)


@dataclass(frozen=True)
class SiteToolsOptions:
    """``plugins: - site-tools: {...}`` in mkdocs.yml, after the environment has had its say."""

    snippets_dir: str = _option(
        "snippets", "Folder of snippet files and their helper modules, relative to mkdocs.yml.", kind="str"
    )
    cache_dir: str = _option(
        ".cache/site_tools", "Where results are kept between builds, relative to mkdocs.yml.", kind="str"
    )
    execute: bool = _option(
        True,
        "Run snippets that have no cached result; when off, cached figures or a note are shown.",
        kind="bool",
        env="SITE_TOOLS_EXECUTE",
    )
    workers: int | None = _option(
        None,
        "Worker processes running snippets at once; default: the number of cores.",
        kind="int",
        minimum=1,
    )
    timeout: float = _option(
        120.0,
        "Seconds a snippet may run before it is stopped; an embed's `timeout:` overrides it.",
        kind="float",
        minimum=0.001,
    )
    memory_limit_mb: int = _option(
        4096,
        "MiB a snippet may allocate beyond what its worker starts with; 0 for no limit.",
        kind="int",
        minimum=0,
    )
    cache_url: str | None = _option(
        None,
        "Base URL of a shared result cache (Bazel's HTTP cache protocol: `/ac/<key>`, `/cas/<sha256>`), "
        "read after the local cache; see Sharing results.",
        kind="url",
        env="SITE_TOOLS_CACHE_URL",
        shown=False,
    )
    cache_write: bool = _option(
        False,
        "Upload what this build runs to `cache_url` (CI); off: read-only (laptops).",
        kind="bool",
        env="SITE_TOOLS_CACHE_WRITE",
    )
    notebooks: tuple[str, ...] = _option(
        (), "Docs-relative globs of jupytext notebooks (`.py`) to execute and render.", kind="list"
    )
    report_page: str = _option(
        "execution-report.md",
        "The generated page listing every snippet with its runtime, memory and cache state.",
        kind="str",
    )
    validate_posts: bool = _option(
        True, "Check blog posts' front matter against the site's schema before building.", kind="bool"
    )
    executor: str = _option(
        "local",
        "Where snippets run: `local` (this machine's cores), `daemon` (the same, through the checkout's "
        "worker daemon, which keeps torch loaded between commands), `dask` (a Dask cluster, "
        "`site-tools[dask]`), or one an installed package adds (entry point `site_tools.executors`).",
        kind="choice",
        choices=executor_names,
        env="SITE_TOOLS_EXECUTOR",
    )
    dask_address: str | None = _option(
        None,
        "The Dask scheduler for `executor: dask`, e.g. `tcp://host:8786`.",
        kind="str",
        env="SITE_TOOLS_DASK_ADDRESS",
    )
    dask_fallback: bool = _option(
        False,
        "Run snippets locally, with a notice, when the Dask scheduler is unreachable (else the build fails).",
        kind="bool",
    )
    daemon: bool = _option(
        False,
        "Deprecated: `executor: daemon` says it (when `executor` is `local`, true means `daemon`).",
        kind="bool",
        env="SITE_TOOLS_DAEMON",
    )
    daemon_idle_minutes: float = _option(
        10.0, "Minutes without work after which the worker daemon stops itself.", kind="float", minimum=0.01
    )

    figure_budget_kb: int = _option(
        FIGURE_BUDGET_KB,
        "KiB of SVG one figure may take, its wide and phone drawings together; over it `build` fails "
        "and `serve` warns; 0: no limit.",
        kind="int",
        minimum=0,
    )
    page_budget_kb: int = _option(
        PAGE_BUDGET_KB,
        "KiB of HTML one page may take with its figures' drawings; over it `build` fails and `serve` "
        "warns; 0: no limit.",
        kind="int",
        minimum=0,
    )
    scrub_budget_kb: int = _option(
        SCRUB_BUDGET_KB,
        "KiB that the variant files of one scrubbable figure (`vary:`) may take together; over it "
        "`build` fails and `serve` warns; 0: no limit.",
        kind="int",
        minimum=0,
    )
    show_warnings: bool = _option(
        False,
        "Show readers a snippet's warnings and stderr in a closed box under its output "
        "(`serve` always shows it; the build log always lists them).",
        kind="bool",
    )

    @classmethod
    def fields(cls) -> tuple[dataclasses.Field, ...]:
        return dataclasses.fields(cls)

    def notices(self) -> list[str]:
        """What the options' author should change, for the log at INFO (a strict build still passes)."""
        if not self.daemon:
            return []
        if self.executor != "local":
            return [f"the `daemon` option is deprecated and ignored with `executor: {self.executor}`"]
        return ["the `daemon` option (SITE_TOOLS_DAEMON) is deprecated; write `executor: daemon` instead"]

    def engine_config(self, root: Path) -> EngineConfig:
        """What the engine needs of these options, with paths made absolute against ``root``."""
        return EngineConfig(
            root=root,
            snippets_dir=root / self.snippets_dir,
            cache_dir=root / self.cache_dir,
            workers=self.workers,
            execute=self.execute,
            timeout=self.timeout,
            memory_limit=(self.memory_limit_mb << 20) or None,
            daemon_idle=self.daemon_idle_minutes * 60,
            executor="daemon" if self.daemon and self.executor == "local" else self.executor,
            dask_address=self.dask_address,
            dask_fallback=self.dask_fallback,
            cache_url=self.cache_url,
            cache_write=self.cache_write,
            figure_budget_kb=self.figure_budget_kb,
        )


class OptionsError(Exception):
    """Options that cannot be used; each problem names mkdocs.yml (or the variable), the key and the fix."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


def load_options(
    raw: Mapping[str, Any] | None,
    *,
    environ: Mapping[str, str],
    config_file: str = "mkdocs.yml",
    line_of: Callable[[str], int | None] = lambda key: None,
) -> SiteToolsOptions:
    """Validate the plugin's entry ``raw`` and the environment into options, or raise ``OptionsError``.

    ``line_of`` finds the line of a key in mkdocs.yml, so that messages point at it.
    """
    raw = dict(raw or {})
    known = [f.name for f in SiteToolsOptions.fields()]
    problems = [
        Problem(
            config_file,
            line_of(key),
            f"site-tools.{key}",
            f"site-tools has no option `{key}`{suggest(str(key), known)}; known options: {', '.join(known)}",
        )
        for key in raw
        if key not in known
    ]
    values: dict[str, Any] = {}
    for spec in SiteToolsOptions.fields():
        env = spec.metadata["env"]
        if env and environ.get(env, "").strip():
            value, where, line = environ[env], f"environment variable {env}", None
        elif spec.name in raw:
            value, where, line = raw[spec.name], config_file, line_of(spec.name)
        else:
            continue
        try:
            values[spec.name] = parse_value(value, spec)
        except ValueError as error:
            problems.append(Problem(where, line, f"site-tools.{spec.name}", f"`{spec.name}` {error}"))
    if problems:
        raise OptionsError(problems)
    return SiteToolsOptions(**values)


def parse_value(value: Any, spec: dataclasses.Field) -> Any:
    """``value`` (from YAML or a variable) as the field's kind; ValueError says what to write instead."""
    kind, rules = spec.metadata["kind"], spec.metadata
    if value is None and spec.default is None:
        return None
    if kind == "bool":
        return parse_bool(value)
    if kind in ("int", "float"):
        number = _parse_number(value, whole=kind == "int")
        if "minimum" in rules and number < rules["minimum"]:
            raise ValueError(f"is {value!r}; use a number of at least {rules['minimum']:g}")
        return number
    if kind == "list":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ValueError(f'is {value!r}; use a list of texts, e.g. ["tutorials/*.py"]')
        return tuple(value)
    if kind == "choice":
        choices = rules["choices"]() if callable(rules["choices"]) else rules["choices"]
        if value not in choices:
            raise ValueError(f"is {value!r}; use one of: {', '.join(choices)}")
        return value
    if kind == "url":
        return _parse_url(value)
    if not isinstance(value, str) or (not value.strip() and spec.default is not None):
        raise ValueError(f"is {value!r}; use a text")
    return value.strip() or None


def parse_bool(value: Any) -> bool:
    """true/false as YAML writes them, or 1/0, yes/no, on/off as text (variables, quoted YAML)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"is {value!r}; use true or false (or 1/0, yes/no, on/off)")


def _parse_url(value: Any) -> str | None:
    """An http(s) URL with a host, or None for an empty text; credentials in it are never echoed."""
    if not isinstance(value, str):
        raise ValueError(f"is {value!r}; use an http(s) URL, e.g. https://cache.example.org/site")
    parts = urlsplit(value.strip())
    if not value.strip():
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("is not an http(s) URL; use one such as https://cache.example.org/site")
    return value.strip()


def _parse_number(value: Any, *, whole: bool) -> float:
    if isinstance(value, bool):
        raise ValueError(f"is {value!r}; use a {'whole ' if whole else ''}number")
    try:
        number = float(str(value).strip()) if isinstance(value, str) else value
    except ValueError:
        number = None
    if not isinstance(number, int | float) or (whole and number != int(number)):
        raise ValueError(f"is {value!r}; use a {'whole ' if whole else ''}number, e.g. 2")
    return int(number) if whole else float(number)


def describe(options: SiteToolsOptions) -> list[str]:
    """``name=value`` for every option, as the plugin (``-v``), pytest (its header) and the CLI print it.

    A URL is shown without the user, password or query it may hold.
    """
    lines = []
    for spec in SiteToolsOptions.fields():
        value = getattr(options, spec.name)
        if spec.metadata["kind"] == "url" and value:
            from site_tools.engine.store.remote import public_url  # the HTTP client, only when a URL is set

            value = public_url(value)
        lines.append(f"{spec.name}={value!r}")
    return lines


def options_markdown() -> str:
    """The options table of the contributing guide, made from the schema (a test keeps them equal)."""
    rows = ["| option | environment variable | default | meaning |", "| --- | --- | --- | --- |"]
    for spec in SiteToolsOptions.fields():
        env = f"`{spec.metadata['env']}`" if spec.metadata["env"] else ""
        default = "none" if spec.default is None else f"`{_yaml_text(spec.default)}`"
        rows.append(f"| `{spec.name}` | {env} | {default} | {spec.metadata['doc']} |")
    return "\n".join(rows) + "\n"


def _yaml_text(value: Any) -> str:
    """A default as it would be written in mkdocs.yml."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + ", ".join(value) + "]"
    return f"{value:g}" if isinstance(value, float) else str(value)
