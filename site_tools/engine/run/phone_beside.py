"""A figure's phone drawing made in a forked copy of the run, beside the next figure's wide drawing,
when the run has a core to spare.

A snippet edited while serving runs alone: the pool gives it every core as torch threads, and its
figures are then drawn one after another on one of them, each twice (wide, then for a phone: about
as long again). The fork is a copy of the run as it stands once the wide drawing is saved, so the
phone drawing it makes is the one the run itself would make, byte for byte; the run goes on with
the next figure meanwhile. One copy at a time: the run and its copy keep two cores busy, no more.

Not when the snippet defines ``phone(fig)``: its own code then runs on the drawing, and what it
raises is the run's error, with its traceback, which only the run itself can report. A copy that
dies without an answer (killed, out of memory) leaves the drawing to the run, as if never forked.
"""

from __future__ import annotations

import contextlib
import json
import os
import warnings
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from site_tools.engine.run.phone import PhoneOutcome, draw_phone, raster_by_nature


def spare_core(threads: int, hook: object) -> bool:
    """Whether a run given ``threads`` torch threads may draw its phone drawings beside it: the pool
    gives a run more than one thread only when fewer runs than workers are left (``pool_settings``)."""
    return threads > 1 and hook is None and hasattr(os, "fork")


def phone_beside(figure, path: Path, *, budget_kb: int) -> Callable[[], PhoneOutcome]:
    """Start the phone drawing of ``figure`` (its wide drawing saved) in a forked copy of this process;
    the returned call waits for it and gives its outcome. The caller must not change ``figure`` (or
    close it) before calling it: a copy that fails leaves the drawing to this process."""
    if raster_by_nature(figure):  # no phone drawing to make: the answer costs no copy
        kept = draw_phone(figure, path, hook=None, budget_kb=budget_kb)
        return lambda: kept
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # a run with threads: the copy only draws
        pid = os.fork()
    if pid == 0:  # the copy: draw, answer, and leave without running anything of the run's teardown
        code = 1
        try:
            os.close(read_end)
            outcome = draw_phone(figure, path, hook=None, budget_kb=budget_kb)
            with os.fdopen(write_end, "wb") as answer:
                answer.write(json.dumps(asdict(outcome)).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)

    def outcome() -> PhoneOutcome:
        with os.fdopen(read_end, "rb") as answer:
            data = answer.read()
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
        if data:
            with contextlib.suppress(ValueError, TypeError):
                return PhoneOutcome(**json.loads(data))
        return draw_phone(figure, path, hook=None, budget_kb=budget_kb)

    return outcome
