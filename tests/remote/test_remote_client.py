"""The remote-cache client against a real nginx, without a site: format, signatures, concurrency."""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path

import pytest

from site_tools.engine import CellOutput, Figure, RunResult
from site_tools.engine.store.remote import RemoteCache, public_url
from site_tools.engine.store.remote_format import ManifestError, pack, read_manifest, unpack
from site_tools.settings import OptionsError, describe, load_options
from tests.remote.cache_server import Nginx, SlowServer


def result(n: int) -> RunResult:
    key = hashlib.sha256(f"key {n}".encode()).hexdigest()
    figure = Figure(f'<svg xmlns="http://www.w3.org/2000/svg"><text>figure {n}</text></svg>')
    shared = Figure('<svg xmlns="http://www.w3.org/2000/svg"><text>shared</text></svg>')
    cells = (CellOutput(stdout=f"out {n}\n", stderr="", figures=(figure, shared)),)
    return RunResult(key, "ok", cells=cells, duration=1.5, peak_memory=1 << 20, torch_version="2.13.0+cpu")


def test_pack_and_unpack_give_the_same_result_back() -> None:
    original = result(1)
    packed = pack(original, secret=None)
    assert len(packed.blobs) == 2 and all(hashlib.sha256(b).hexdigest() == d for d, b in packed.blobs.items())
    back = unpack(read_manifest(packed.manifest, original.key, secret=None), packed.blobs)
    assert back.from_remote and back.cached
    assert back.cells == original.cells and back.duration == original.duration


def test_a_manifest_is_bound_to_its_key_and_its_secret() -> None:
    original = result(2)
    signed = pack(original, secret="s").manifest
    read_manifest(signed, original.key, secret="s")
    with pytest.raises(ManifestError, match="another key"):
        read_manifest(signed, result(3).key, secret="s")
    tampered = json.loads(signed)
    tampered["record"]["duration"] = 0.1
    with pytest.raises(ManifestError, match="signature does not match"):
        read_manifest(json.dumps(tampered).encode(), original.key, secret="s")
    with pytest.raises(ManifestError, match="not JSON"):
        read_manifest(b"<html>", original.key, secret=None)


def test_options_come_from_the_environment_first() -> None:
    yml = {"cache_url": "http://a", "cache_write": False}
    assert load_options(yml, environ={}).engine_config(Path("/x")).cache_url == "http://a"
    config = load_options(yml, environ={"SITE_TOOLS_CACHE_URL": "http://b", "SITE_TOOLS_CACHE_WRITE": "1"})
    assert (config.cache_url, config.cache_write) == ("http://b", True)
    assert not load_options({"cache_write": True}, environ={"SITE_TOOLS_CACHE_WRITE": "0"}).cache_write
    assert load_options({}, environ={}).cache_url is None  # no remote unless asked


def test_a_bad_cache_url_names_the_option_and_hides_the_value() -> None:
    with pytest.raises(OptionsError) as raised:
        load_options({}, environ={"SITE_TOOLS_CACHE_URL": "ftp://ci:s3cret@cache"})
    message = str(raised.value)
    assert "SITE_TOOLS_CACHE_URL" in message and "cache_url" in message and "s3cret" not in message


def test_credentials_in_the_url_never_reach_a_message() -> None:
    assert public_url("https://ci:p%40ss@cache.example:8443/site/?x=1") == "https://cache.example:8443/site"
    client = RemoteCache("https://ci:p%40ss@cache.example/site/")
    assert "p%40ss" not in client.url and client.session.auth is not None
    with pytest.raises(ValueError, match="not an http"):
        RemoteCache("ftp://cache.example/")


def test_many_clients_uploading_the_same_keys_at_once_all_succeed(nginx: Nginx) -> None:
    results = [result(n) for n in range(12)]
    clients = [RemoteCache(nginx.url, write=True) for _ in range(4)]
    counts: list[int] = []
    start = threading.Barrier(len(clients))

    def upload(client: RemoteCache) -> None:
        start.wait()
        counts.append(client.upload_many(results))

    threads = [threading.Thread(target=upload, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert counts == [len(results)] * len(clients)
    assert all(client.failure is None for client in clients)
    reader = RemoteCache(nginx.url)
    found = reader.fetch_many({r.key: f"s{n}" for n, r in enumerate(results)})
    assert {key: r.cells for key, r in found.items()} == {r.key: r.cells for r in results}
    assert reader.notices == []


def test_a_read_only_client_never_writes(nginx: Nginx) -> None:
    client = RemoteCache(nginx.url)  # write defaults to False
    client.begin_build()
    client.submit_upload(result(1))
    assert client.finish_build() == 0
    assert client.fetch_many({result(1).key: "s"}) == {}
    assert nginx.methods() == ["GET"]


def test_a_missing_blob_is_a_miss_with_a_warning(nginx: Nginx, tmp_path: Path) -> None:
    writer = RemoteCache(nginx.url, write=True)
    assert writer.upload_many([result(1)]) == 1
    next((nginx.store / "cas").iterdir()).unlink()
    reader = RemoteCache(nginx.url)
    assert reader.fetch_many({result(1).key: "snippets/x.py"}) == {}
    assert reader.notices and "lacks blob" in reader.notices[0] and reader.failure is None


def test_a_slow_server_is_given_up_when_the_build_has_waited_its_budget() -> None:
    slow = SlowServer(delay=1.5)  # answers, each time under the read timeout, but slowly
    try:
        client = RemoteCache(slow.url, parallel=2)
        client.begin_build()
        keys = {result(n).key: f"s{n}" for n in range(30)}  # 15 rounds of 1.5 s without a budget
        assert client.fetch_many(keys) == {}
    finally:
        slow.stop()
    assert client.failure is not None and "too slowly" in client.failure
    assert len(slow.requests) < len(keys)  # it stopped asking: the budget, not the keys, ended it
    assert client.fetch_many(keys) == {}  # and stays off for the rest of the build
    assert len(slow.requests) < len(keys)


def test_options_are_described_without_the_password_of_the_url() -> None:
    options = load_options({"cache_url": "https://ci:pw-5d2e@cache.example/site"}, environ={})
    described = "\n".join(describe(options))
    assert "cache_url='https://cache.example/site'" in described and "pw-5d2e" not in described
    assert "pw-5d2e" not in repr(options) and "pw-5d2e" not in repr(options.engine_config(Path("/x")))
