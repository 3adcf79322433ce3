"""A run result as the remote cache stores it: one JSON manifest plus content-addressed blobs.

The manifest (``/ac/<key>``) holds everything small: status, timings, versions, each cell's stdout
and stderr, and for each figure the sha256 and size of its SVG, which is a blob (``/cas/<sha256>``).
With a secret, the manifest carries an HMAC-SHA256 of its canonical JSON (key included, so a
manifest cannot be moved to another key); the blobs are covered through their digests.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass

from site_tools.engine.model import CellOutput, Figure, RunResult

FORMAT = 1
_RESULT_FIELDS = (
    "status",
    "error",
    "error_location",
    "duration",
    "peak_memory",
    "torch_version",
    "device",
    "warnings",
)


class ManifestError(ValueError):
    """A manifest that cannot be trusted or read: unsigned, wrongly signed, malformed, another key."""


@dataclass(frozen=True)
class Packed:
    manifest: bytes
    blobs: dict[str, bytes]  # sha256 -> content


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pack(result: RunResult, *, secret: str | None) -> Packed:
    """``result`` (a success) as a manifest and its blobs."""
    blobs: dict[str, bytes] = {}
    cells = []
    for cell in result.cells:
        figures = []
        for figure in cell.figures:
            data = figure.svg.encode("utf-8")
            digest = sha256(data)
            blobs[digest] = data
            figures.append({"sha256": digest, "size": len(data)})
        cells.append({"stdout": cell.stdout, "stderr": cell.stderr, "figures": figures})
    record = {name: getattr(result, name) for name in _RESULT_FIELDS}
    record["warnings"] = list(result.warnings)
    manifest = {"format": FORMAT, "key": result.key, "result": record, "cells": cells}
    if secret:
        manifest["signature"] = _signature(manifest, secret)
    return Packed(json.dumps(manifest, sort_keys=True).encode("utf-8"), blobs)


def read_manifest(data: bytes, key: str, *, secret: str | None) -> dict:
    """The manifest's JSON, checked: right key and format, and signed when a secret is set."""
    try:
        manifest = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise ManifestError(f"its manifest is not JSON ({error})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ManifestError("its manifest has an unknown format")
    if manifest.get("key") != key:
        raise ManifestError("its manifest holds another key")
    if secret:
        given = manifest.get("signature")
        if not isinstance(given, str):
            raise ManifestError("its manifest is not signed, and SITE_TOOLS_CACHE_SECRET is set")
        if not hmac.compare_digest(given, _signature(manifest, secret)):
            raise ManifestError("its manifest's signature does not match SITE_TOOLS_CACHE_SECRET")
    return manifest


def blob_digests(manifest: dict) -> list[str]:
    try:
        return [figure["sha256"] for cell in manifest["cells"] for figure in cell["figures"]]
    except (KeyError, TypeError) as error:
        raise ManifestError(f"its manifest is malformed ({error!r})") from None


def unpack(manifest: dict, blobs: dict[str, bytes]) -> RunResult:
    """The result a checked manifest describes, with its blobs (already verified against their sha256)."""
    try:
        cells = tuple(
            CellOutput(
                stdout=cell["stdout"],
                stderr=cell["stderr"],
                figures=tuple(Figure(blobs[f["sha256"]].decode("utf-8")) for f in cell["figures"]),
            )
            for cell in manifest["cells"]
        )
        record = {name: manifest["result"][name] for name in _RESULT_FIELDS}
        record["warnings"] = tuple(record["warnings"])
        return RunResult(key=manifest["key"], cells=cells, cached=True, from_remote=True, **record)
    except (KeyError, TypeError, UnicodeDecodeError) as error:
        raise ManifestError(f"its manifest is malformed ({error!r})") from None


def _signature(manifest: dict, secret: str) -> str:
    unsigned = {name: value for name, value in manifest.items() if name != "signature"}
    canonical = json.dumps(unsigned, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hmac.new(secret.encode("utf-8"), canonical.encode("utf-8"), hashlib.sha256).hexdigest()
