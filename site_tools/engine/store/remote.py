"""The shared result cache over HTTP, with Bazel's HTTP cache semantics.

A result's manifest is at ``<url>/ac/<key>`` and each blob at ``<url>/cas/<sha256>``; the client only
uses ``GET``, ``HEAD`` and ``PUT``, so nginx with WebDAV, bazel-remote (with
``--disable_http_ac_validation``) or an object store behind either will do. Uploads put the blobs
first and the manifest last, so a manifest never points at a blob that is not there yet.

Nothing poisoned: every blob is checked against its sha256, and with ``SITE_TOOLS_CACHE_SECRET``
set, manifests are signed on upload and unsigned or wrongly signed ones are refused (a notice; the
snippet then runs). Nothing hangs: requests have short timeouts, run in parallel, and the first
failure (no connection, a timeout, an HTTP error other than "not found") switches the remote off for
the rest of the build, with a notice. Credentials (``SITE_TOOLS_CACHE_TOKEN``, a netrc entry, or
``user:password@`` in the URL) go into request headers only, never into a message or a file.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from urllib.parse import unquote, urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter
from requests.auth import AuthBase, HTTPBasicAuth

from site_tools.engine.model import RunResult
from site_tools.engine.store.remote_format import (
    ManifestError,
    blob_digests,
    pack,
    read_manifest,
    sha256,
    unpack,
)

ENV_SECRET = "SITE_TOOLS_CACHE_SECRET"
ENV_TOKEN = "SITE_TOOLS_CACHE_TOKEN"

CONNECT_TIMEOUT = 2.0  # seconds to open a connection
READ_TIMEOUT = 4.0  # seconds of silence while waiting for an answer
BODY_LIMIT = 6.0  # seconds a download may take in all before it counts as a stall
BUDGET = 10.0  # seconds a build may spend waiting for the server in all; past it, the remote is off
# A failed request costs at most CONNECT_TIMEOUT + READ_TIMEOUT (downloads: about BODY_LIMIT +
# READ_TIMEOUT); requests in flight fail together, and none starts after the first failure. A server
# that answers, but slowly, is given up once the build has waited BUDGET for it; each request's
# timeouts shrink to what is left of it. So a dead, stalling or slow server costs a build at most
# about BUDGET (the in-flight requests' last timeouts end with it).
PARALLEL = 8  # requests in flight at once
RETRY_AFTER = 300.0  # under `mkdocs serve`, a failed remote is tried again on a rebuild this much later


class _Off(Exception):
    """The remote is switched off (it failed earlier in this build): stop what you are doing."""


class _Bearer(AuthBase):
    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request


def public_url(url: str) -> str:
    """``url`` without user, password or query, fit for a message."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:  # IPv6
        host = f"[{host}]"
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path.rstrip("/"), "", ""))


class RemoteCache:
    """One client per engine; ``begin_build`` before each build, then fetch, upload, ``finish_build``."""

    def __init__(
        self,
        url: str,
        *,
        write: bool = False,
        secret: str | None = None,
        token: str | None = None,
        parallel: int = PARALLEL,
        budget: float | None = BUDGET,
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"cache_url {public_url(url)!r} is not an http(s) URL")
        self.url = public_url(url)
        self.write = write
        self.secret = secret or None
        self.parallel = parallel
        self.budget = budget  # None: no limit (``site-tools cache pull`` of a whole site)
        self.session = requests.Session()
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=parallel, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        if token:
            self.session.auth = _Bearer(token)
        elif parts.username:
            self.session.auth = HTTPBasicAuth(unquote(parts.username), unquote(parts.password or ""))
        # else: requests reads ~/.netrc (or $NETRC) for the host: basic auth from a netrc
        self.notices: list[str] = []  # refused entries and a failed server, for the build's summary
        self.failure: str | None = None
        self._failed_at = 0.0
        self._lock = threading.Lock()
        self._bad_blobs: set[str] = set()  # seen with the wrong content: uploaded again, never trusted
        self._uploads: list[Future] = []
        self._executor: ThreadPoolExecutor | None = None
        self._waited = 0.0  # seconds this build has waited for the server (phases that block it)
        self._waiting_since: float | None = None

    @classmethod
    def from_environment(cls, url: str, *, write: bool) -> RemoteCache:
        return cls(url, write=write, secret=os.environ.get(ENV_SECRET), token=os.environ.get(ENV_TOKEN))

    # -- a build ------------------------------------------------------------------------------------
    def begin_build(self) -> None:
        self.notices.clear()
        self._waited = 0.0
        if self.failure is not None and time.monotonic() - self._failed_at > RETRY_AFTER:
            self.failure = None

    @property
    def usable(self) -> bool:
        return self.failure is None

    def fetch_many(
        self, names: Mapping[str, str], progress: Callable[[str, RunResult | None], None] | None = None
    ) -> dict[str, RunResult]:
        """The results the server holds for these keys (key -> snippet name), checked, in parallel."""
        found: dict[str, RunResult] = {}
        if not names or not self.usable:
            return found
        with self._waiting(), ThreadPoolExecutor(self.parallel, thread_name_prefix="remote-get") as pool:
            futures = {key: pool.submit(self._fetch, key, name) for key, name in names.items()}
            for key, future in futures.items():
                result = future.result()
                if result is not None:
                    found[key] = result
                if progress:
                    progress(key, result)
        return found

    def submit_upload(self, result: RunResult) -> None:
        """Upload ``result`` in the background (successes, write-enabled clients only)."""
        if not (self.write and result.ok and self.usable):
            return
        if self._executor is None:
            self._executor = ThreadPoolExecutor(self.parallel, thread_name_prefix="remote-put")
        self._uploads.append(self._executor.submit(self._upload, result))

    def finish_build(self) -> int:
        """Wait for the uploads of this build; the number that reached the server."""
        with self._waiting():
            done = sum(1 for future in self._uploads if future.result())
        self._uploads.clear()
        if self._executor is not None:
            self._executor.shutdown()
            self._executor = None
        return done

    def upload_many(
        self, results: Iterable[RunResult], progress: Callable[[RunResult, bool], None] | None = None
    ) -> int:
        """Upload ``results`` now, in parallel, whatever ``write`` says (``site-tools cache push``)."""
        with ThreadPoolExecutor(self.parallel, thread_name_prefix="remote-put") as pool:
            futures = [(result, pool.submit(self._upload, result)) for result in results]
            done = 0
            for result, future in futures:
                ok = future.result()
                done += ok
                if progress:
                    progress(result, ok)
        return done

    def holding(self, keys: Iterable[str]) -> set[str]:
        """Those of ``keys`` the server holds a manifest for (asked in parallel with ``HEAD``)."""

        def held(key: str) -> bool:
            try:
                return self._head(f"ac/{key}")
            except _Off:
                return False

        keys = list(keys)
        with ThreadPoolExecutor(self.parallel, thread_name_prefix="remote-head") as pool:
            return {key for key, found in zip(keys, pool.map(held, keys), strict=True) if found}

    # -- one entry ----------------------------------------------------------------------------------
    def _fetch(self, key: str, name: str) -> RunResult | None:
        try:
            data = self._get(f"ac/{key}")
            if data is None:
                return None
            manifest = read_manifest(data, key, secret=self.secret)
            blobs: dict[str, bytes] = {}
            for digest in dict.fromkeys(blob_digests(manifest)):
                blob = self._get(f"cas/{digest}")
                if blob is None:
                    self._note(f"{name}: the remote cache lacks blob {digest[:12]}; running the snippet")
                    return None
                if sha256(blob) != digest:
                    with self._lock:
                        self._bad_blobs.add(digest)
                    self._note(
                        f"{name}: remote blob {digest[:12]} does not match its sha256; "
                        "ignored, running the snippet"
                    )
                    return None
                blobs[digest] = blob
            return unpack(manifest, blobs)
        except ManifestError as error:
            self._note(f"{name}: remote cache entry {key[:12]} refused: {error}; running the snippet")
            return None
        except _Off:
            return None

    def _upload(self, result: RunResult) -> bool:
        packed = pack(result, secret=self.secret)
        try:
            for digest, data in packed.blobs.items():
                if digest in self._bad_blobs or not self._head(f"cas/{digest}"):
                    self._put(f"cas/{digest}", data)
            self._put(f"ac/{result.key}", packed.manifest)  # last: every blob it names is there
            return True
        except _Off:
            return False

    # -- requests -----------------------------------------------------------------------------------
    @contextlib.contextmanager
    def _waiting(self) -> Iterator[None]:
        """The build waits for the server in this block: the time counts against ``budget``."""
        self._waiting_since = time.monotonic()
        try:
            yield
        finally:
            self._waited += time.monotonic() - self._waiting_since
            self._waiting_since = None

    def _left(self) -> float:
        """Seconds of the budget left (infinite without one, or while the build is not waiting)."""
        since = self._waiting_since
        if self.budget is None or since is None:
            return float("inf")
        return self.budget - self._waited - (time.monotonic() - since)

    def _request(self, method: str, path: str, **kwargs) -> requests.Response:
        if not self.usable:
            raise _Off
        left = self._left()
        too_slow = f"answering too slowly ({self.budget} s spent waiting for it in this build)"
        if left <= 0.5:
            self._fail(too_slow)
        try:
            response = self.session.request(
                method,
                f"{self.url}/{path}",
                timeout=(min(CONNECT_TIMEOUT, left), min(READ_TIMEOUT, left)),
                **kwargs,
            )
        except requests.Timeout:
            self._fail(too_slow if left < READ_TIMEOUT else f"no answer within {READ_TIMEOUT:.0f} s")
        except requests.ConnectionError:
            self._fail("cannot connect")
        except requests.RequestException as error:
            self._fail(f"request failed ({type(error).__name__})")
        if response.status_code in (401, 403):
            response.close()
            self._fail(f"refused the credentials (HTTP {response.status_code} on {method})")
        return response

    def _get(self, path: str) -> bytes | None:
        response = self._request("GET", path, stream=True)
        with response:
            if response.status_code == 404:
                return None
            if response.status_code != 200:
                self._fail(f"GET answered HTTP {response.status_code}")
            deadline = time.monotonic() + min(BODY_LIMIT, self._left())
            chunks = []
            try:
                for chunk in response.iter_content(1 << 16):
                    chunks.append(chunk)
                    if time.monotonic() > deadline:
                        self._fail("a download took too long")
            except requests.RequestException:
                self._fail("a download broke off")
            return b"".join(chunks)

    def _head(self, path: str) -> bool:
        response = self._request("HEAD", path)
        if response.status_code == 404:
            return False
        if response.status_code != 200:
            self._fail(f"HEAD answered HTTP {response.status_code}")
        return True

    def _put(self, path: str, data: bytes) -> None:
        response = self._request("PUT", path, data=data, headers={"Content-Type": "application/octet-stream"})
        response.close()
        if response.status_code not in (200, 201, 204):
            self._fail(f"PUT answered HTTP {response.status_code}")

    def _fail(self, reason: str):
        with self._lock:
            if self.failure is None:
                self.failure = reason
                self._failed_at = time.monotonic()
                self.notices.append(
                    f"remote cache {self.url}: {reason}; not used for the rest of this build "
                    "(the local cache and the site are unaffected)"
                )
        raise _Off

    def _note(self, message: str) -> None:
        with self._lock:
            self.notices.append(message)
