"""Which file is the site's config: the one the host in use would read, or the one named.

Each host looks in the project folder in its own order: MkDocs reads ``mkdocs.yml``, ProperDocs
``properdocs.yml`` before ``mkdocs.yml``, Zensical ``zensical.toml`` before ``mkdocs.yml``; each takes
``-f/--config-file`` instead. Commands with no host of their own (``check``, ``options``, ``new``,
``import``, pytest) take the file named by a flag or by ``SITE_TOOLS_CONFIG``, else the only config
file there is; where there are several and nothing says which, they stop and list them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from site_tools.configfile.errors import AmbiguousConfigError, ConfigFileError
from site_tools.problems import Problem

CONFIG_ENV = "SITE_TOOLS_CONFIG"
# Set by `site-tools serve --host ...` for the host it starts ("1"); a plain `zensical serve` is seen in argv.
SERVING_ENV = "SITE_TOOLS_SERVING"
HOST_CONFIG_NAMES: dict[str, tuple[str, ...]] = {
    "mkdocs": ("mkdocs.yml", "mkdocs.yaml"),
    "properdocs": ("properdocs.yml", "properdocs.yaml", "mkdocs.yml", "mkdocs.yaml"),
    "zensical": ("zensical.toml", "mkdocs.yml", "mkdocs.yaml"),
}
HOSTS = tuple(HOST_CONFIG_NAMES)
# Every name any host reads, each once: what a command with no host of its own looks for.
CONFIG_NAMES = tuple(dict.fromkeys(name for names in HOST_CONFIG_NAMES.values() for name in names))


def config_names(host: str | None) -> tuple[str, ...]:
    return HOST_CONFIG_NAMES[host] if host else CONFIG_NAMES


def find_config(
    start: Path,
    *,
    host: str | None = None,
    config_file: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Path:
    """The config file for ``host`` (None: no host of its own) in ``start`` or the nearest folder above
    that has one; ``config_file`` (else ``SITE_TOOLS_CONFIG``) names it outright."""
    environ = os.environ if environ is None else environ
    named = config_file or environ.get(CONFIG_ENV, "").strip() or None
    if named is not None:
        path = Path(named).expanduser()
        if not path.is_file():
            source = "" if config_file else f" ({CONFIG_ENV})"
            raise ConfigFileError(Problem(str(named), None, None, f"no such config file{source}"))
        return path.resolve()
    names = config_names(host)
    start = start.resolve()
    for folder in (start, *start.parents):
        present = [folder / name for name in names if (folder / name).is_file()]
        if not present:
            continue
        if host or len(present) == 1:
            return present[0]
        listed = ", ".join(path.name for path in present)
        raise AmbiguousConfigError(
            Problem(
                str(folder),
                None,
                None,
                f"several site configs ({listed}); say which with --config-file FILE or {CONFIG_ENV}=FILE",
            )
        )
    raise ConfigFileError(
        Problem(
            str(start),
            None,
            None,
            f"no site config ({', '.join(names)}) here or in any folder above; "
            "run inside the project, or pass --root or --config-file",
        )
    )
