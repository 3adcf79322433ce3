"""A run result as the remote cache stores it: one JSON manifest plus content-addressed blobs.

The manifest (``/ac/<key>``) is the engine's own result record (``engine/store/record.py``: status,
timings, versions, each cell's stdout and stderr) plus, for each figure file the record names, the
sha256 and size of its SVG, which is a blob (``/cas/<sha256>``).
With a secret, the manifest carries an HMAC-SHA256 of its canonical JSON (key included, so a
manifest cannot be moved to another key); the blobs are covered through their digests.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, replace

from site_tools.engine.model import RunResult
from site_tools.engine.store.record import from_record, to_record

FORMAT = 2


class ManifestError(ValueError):
    """A manifest that cannot be trusted or read: unsigned, wrongly signed, malformed, another key."""


@dataclass(frozen=True)
class Packed:
    manifest: bytes
    blobs: dict[str, bytes]  # sha256 -> content


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pack(result: RunResult, *, secret: str | None) -> Packed:
    """``result`` (a success) as a manifest (the engine's record, figures by digest) and its blobs."""
    record, files = to_record(replace(result, from_remote=False))
    blobs: dict[str, bytes] = {}
    digests = {}
    for name, svg in files.items():
        data = svg.encode("utf-8")
        blobs[sha256(data)] = data
        digests[name] = {"sha256": sha256(data), "size": len(data)}
    manifest = {"format": FORMAT, "key": result.key, "record": record, "files": digests}
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
    if manifest.get("key") != key or not isinstance(manifest.get("record"), dict):
        raise ManifestError("its manifest holds another key")
    if manifest["record"].get("key") != key:
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
        return [entry["sha256"] for entry in manifest["files"].values()]
    except (AttributeError, KeyError, TypeError) as error:
        raise ManifestError(f"its manifest is malformed ({error!r})") from None


def unpack(manifest: dict, blobs: dict[str, bytes]) -> RunResult:
    """The result a checked manifest describes, with its blobs (already verified against their sha256)."""
    files = manifest["files"]
    try:
        result = from_record(manifest["record"], lambda name: blobs[files[name]["sha256"]].decode("utf-8"))
    except (KeyError, TypeError, ValueError) as error:
        raise ManifestError(f"its manifest is malformed ({error!r})") from None
    return replace(result, cached=True, from_remote=True)


def _signature(manifest: dict, secret: str) -> str:
    unsigned = {name: value for name, value in manifest.items() if name != "signature"}
    canonical = json.dumps(unsigned, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hmac.new(secret.encode("utf-8"), canonical.encode("utf-8"), hashlib.sha256).hexdigest()
