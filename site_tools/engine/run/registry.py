"""The executors an option can name: the built-in ones (``local``, ``daemon``, ``dask``), then those a
third party installs under the entry-point group ``site_tools.executors`` (``name = "module:factory"``,
a factory taking an ``ExecutorContext``). Apart from the interface (``executor.py``), which the
executors themselves import: the registry imports them, they never import it.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import metadata

from site_tools.engine.run.executor import Executor, ExecutorContext, ExecutorError

ExecutorFactory = Callable[[ExecutorContext], Executor]
ENTRY_POINT_GROUP = "site_tools.executors"


def _local(context: ExecutorContext) -> Executor:
    from site_tools.engine.run.pool import LocalExecutor

    return LocalExecutor(context.pool_settings)


def _daemon(context: ExecutorContext) -> Executor:
    from site_tools.engine.run.daemon_client import DaemonExecutor

    config = context.config
    idle, replacement = config.daemon_idle, context.fall_back
    return DaemonExecutor(context.pool_settings, config.root, idle=idle, replacement=replacement)


def _dask(context: ExecutorContext) -> Executor:
    # Imported here: only a site that uses Dask needs the `site-tools[dask]` extra.
    from site_tools.engine.run.dask_executor import connect

    config = context.config
    return connect(config.dask_address, fallback=config.dask_fallback, notice=context.notice)


BUILT_IN: dict[str, ExecutorFactory] = {"local": _local, "daemon": _daemon, "dask": _dask}


def executor_names() -> tuple[str, ...]:
    """Every executor an option may name: the built-in ones, then those installed by entry point."""
    return tuple(dict.fromkeys([*BUILT_IN, *(point.name for point in _entry_points())]))


def make_executor(name: str, context: ExecutorContext) -> Executor:
    """The executor registered as ``name``; ``ExecutorUnavailable`` when it cannot start here."""
    factory = BUILT_IN.get(name)
    if factory is None:
        point = next((point for point in _entry_points() if point.name == name), None)
        if point is None:
            known = ", ".join(f"`{known}`" for known in executor_names())
            raise ExecutorError(f"executor `{name}` is not known; use one of {known}")
        factory = point.load()
    return factory(context)


def _entry_points() -> tuple[metadata.EntryPoint, ...]:
    return tuple(metadata.entry_points(group=ENTRY_POINT_GROUP))
