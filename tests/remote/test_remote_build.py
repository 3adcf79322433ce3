"""The fixture site built against a real nginx: one checkout writes, a fresh one reads, nothing breaks."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from click.testing import CliRunner

from site_tools.hosts.cli import main
from tests.remote.cache_server import Nginx, StallingServer, start_nginx
from tests.remote.support import fixture_copy, remote_build, remote_count, store_files, without_provenance

SNIPPETS = 2  # the fixture site: wave.py and one inline block


def test_a_writer_fills_the_server_and_a_fresh_checkout_runs_nothing(nginx: Nginx, tmp_path: Path) -> None:
    writer = remote_build(fixture_copy(tmp_path, "a"), nginx.url, write=True)
    assert writer.counts == {"total": SNIPPETS, "executed": SNIPPETS, "cached": 0, "failed": 0}
    assert remote_count(writer) == 0
    # A manifest per snippet; a blob per drawing: each snippet's one figure, wide and for a phone.
    assert len(store_files(nginx, "ac")) == SNIPPETS and len(store_files(nginx, "cas")) == 2 * SNIPPETS
    puts = [path for method, path, _ in nginx.requests() if method == "PUT"]
    last_blob = max(i for i, path in enumerate(puts) if path.startswith("/cas/"))
    assert all(path.startswith("/ac/") for path in puts[last_blob + 1 :])  # manifests after their blobs

    before = len(nginx.requests())
    reader_root = fixture_copy(tmp_path, "b")
    reader = remote_build(reader_root, nginx.url)  # read-only: the default
    assert reader.counts == {"total": SNIPPETS, "executed": 0, "cached": SNIPPETS, "failed": 0}
    assert remote_count(reader) == SNIPPETS
    assert "0 failed in" in reader.log and "s (2 from the remote cache)" in reader.log
    read_requests = nginx.requests()[before:]
    assert read_requests and {method for method, _, _ in read_requests} == {"GET"}  # no PUT, no write
    report = (reader.site / "execution-report" / "index.html").read_text(encoding="utf-8")
    assert report.count("<td>remote</td>") == SNIPPETS
    for page in ("index.html", "blog/2024/01/01/a-post/index.html"):
        assert without_provenance((reader.site / page).read_text()) == without_provenance(
            (writer.site / page).read_text()
        )

    stats = CliRunner().invoke(main, ["cache", "stats", "--root", str(reader_root)])
    assert stats.exit_code == 0, stats.output
    assert "entries: 2" in stats.output  # backfilled into the local cache
    assert "last build: 2 snippets, 0 executed, 2 cached (2 from the remote cache" in stats.output

    before = len(nginx.requests())
    again = remote_build(reader_root, nginx.url)
    assert again.counts["cached"] == SNIPPETS and remote_count(again) == 0
    assert nginx.requests()[before:] == []  # local hits cost no request


def test_without_a_remote_the_summary_line_is_unchanged(tmp_path: Path) -> None:
    from tests.plugin.conftest import build_site

    build = build_site(fixture_copy(tmp_path, "plain"))
    assert build.returncode == 0, build.log
    assert remote_count(build) is None and "remote cache" not in build.log


def test_a_tampered_blob_is_ignored_and_the_writer_repairs_it(nginx: Nginx, tmp_path: Path) -> None:
    remote_build(fixture_copy(tmp_path, "a"), nginx.url, write=True)
    blob = next(iter(store_files(nginx, "cas").values()))
    good = blob.read_bytes()
    blob.write_bytes(good.replace(b"</svg>", b"<script>alert(1)</script></svg>"))
    build = remote_build(fixture_copy(tmp_path, "b"), nginx.url, write=True)
    assert build.counts["executed"] == 1 and remote_count(build) == SNIPPETS - 1
    assert "does not match its sha256" in build.log
    assert "<script>alert(1)</script></svg>" not in "".join(  # not in a page nor a drawing file
        p.read_text(errors="replace") for p in build.site.rglob("*") if p.suffix in (".html", ".svg")
    )
    assert blob.read_bytes() == good  # the writer ran it again and uploaded the true blob


def test_signatures_refuse_unsigned_and_wrongly_signed_manifests(nginx: Nginx, tmp_path: Path) -> None:
    remote_build(fixture_copy(tmp_path, "a"), nginx.url, write=True, SITE_TOOLS_CACHE_SECRET="right")
    manifest = next(iter(store_files(nginx, "ac").values())).read_text()
    assert '"signature"' in manifest and "right" not in manifest

    wrong = remote_build(fixture_copy(tmp_path, "b"), nginx.url, SITE_TOOLS_CACHE_SECRET="wrong")
    assert wrong.counts["executed"] == SNIPPETS and remote_count(wrong) == 0
    assert wrong.log.count("signature does not match") == SNIPPETS

    right = remote_build(fixture_copy(tmp_path, "c"), nginx.url, SITE_TOOLS_CACHE_SECRET="right")
    assert right.counts["executed"] == 0 and remote_count(right) == SNIPPETS


def test_an_unsigned_entry_is_refused_when_a_secret_is_set(nginx: Nginx, tmp_path: Path) -> None:
    remote_build(fixture_copy(tmp_path, "a"), nginx.url, write=True)  # no secret: unsigned
    build = remote_build(fixture_copy(tmp_path, "b"), nginx.url, SITE_TOOLS_CACHE_SECRET="s")
    assert build.counts["executed"] == SNIPPETS and "is not signed" in build.log


def test_a_stopped_server_costs_a_notice_not_the_build(nginx: Nginx, tmp_path: Path) -> None:
    nginx.stop()
    build = remote_build(fixture_copy(tmp_path, "a"), nginx.url, write=True)
    assert build.counts["executed"] == SNIPPETS and remote_count(build) == 0
    assert "cannot connect; not used for the rest of this build" in build.log
    assert "WARNING" not in build.log  # a notice: --strict builds pass


def test_a_stalling_server_is_given_up_after_its_first_timeout(tmp_path: Path) -> None:
    stalling = StallingServer()
    try:
        build = remote_build(fixture_copy(tmp_path, "a"), stalling.url, write=True)
    finally:
        stalling.stop()
    from site_tools.engine.store.remote import PARALLEL

    assert build.counts["executed"] == SNIPPETS and remote_count(build) == 0
    assert "no answer within" in build.log
    # Only the first requests (in flight together) ever reached it; the upload never tried.
    assert 1 <= len(stalling.accepted) <= min(PARALLEL, SNIPPETS)


def test_server_errors_and_refused_credentials_are_notices(tmp_path: Path) -> None:
    failing = start_nginx(tmp_path / "failing", extra="return 503;")
    try:
        build = remote_build(fixture_copy(tmp_path, "a"), failing.url, write=True)
    finally:
        failing.stop()
    assert build.counts["executed"] == SNIPPETS and "GET answered HTTP 503" in build.log
    assert len(failing.requests()) <= SNIPPETS  # nothing after the first failure but what was in flight


def test_a_bearer_token_is_sent_and_never_shown(tmp_path: Path) -> None:
    token = "tok-7f3a9c-never-print-me"
    guarded = start_nginx(
        tmp_path / "guarded", extra=f'if ($http_authorization != "Bearer {token}") {{ return 401; }}'
    )
    try:
        refused = remote_build(fixture_copy(tmp_path, "a"), guarded.url, write=True)
        assert "refused the credentials (HTTP 401" in refused.log
        root = fixture_copy(tmp_path, "b")
        writer = remote_build(root, guarded.url, write=True, SITE_TOOLS_CACHE_TOKEN=token)
        reader = remote_build(fixture_copy(tmp_path, "c"), guarded.url, SITE_TOOLS_CACHE_TOKEN=token)
    finally:
        guarded.stop()
    assert len(store_files(guarded, "ac")) == SNIPPETS and remote_count(reader) == SNIPPETS
    for build in (writer, reader):
        assert token not in build.log
    written = [p for p in root.rglob("*") if p.is_file()]
    assert all(token.encode() not in p.read_bytes() for p in written)  # pages, cache, record


def test_basic_auth_from_a_netrc(tmp_path: Path) -> None:
    users = tmp_path / "htpasswd"
    users.write_text("ci:{PLAIN}s3cret-pass\n")
    guarded = start_nginx(tmp_path / "guarded", extra=f'auth_basic "cache"; auth_basic_user_file {users};')
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login ci password s3cret-pass\n")
    netrc.chmod(0o600)
    try:
        build = remote_build(fixture_copy(tmp_path, "a"), guarded.url, write=True, NETRC=str(netrc))
    finally:
        guarded.stop()
    assert "remote cache" not in build.log.replace("from the remote cache", "")  # no notice
    assert len(store_files(guarded, "ac")) == SNIPPETS
    assert "s3cret-pass" not in build.log


def test_an_upload_failing_halfway_leaves_no_manifest(tmp_path: Path) -> None:
    no_blobs = start_nginx(
        tmp_path / "noblobs",
        extra="location /cas/ { dav_methods PUT; create_full_put_path on; "
        "if ($request_method = PUT) { return 507; } }",
    )
    try:
        build = remote_build(fixture_copy(tmp_path, "a"), no_blobs.url, write=True)
    finally:
        no_blobs.stop()
    assert "PUT answered HTTP 507" in build.log
    assert store_files(no_blobs, "ac") == {}  # no manifest points at a missing blob


def test_push_then_pull_share_a_cache_without_building(nginx: Nginx, tmp_path: Path) -> None:
    from tests.plugin.conftest import build_site

    root = fixture_copy(tmp_path, "a")
    assert build_site(root).returncode == 0  # a local cache, no remote
    runner = CliRunner()
    env = {"SITE_TOOLS_CACHE_URL": nginx.url}
    pushed = runner.invoke(main, ["cache", "push", "--root", str(root)], env=env)
    assert pushed.exit_code == 0, pushed.output
    assert "uploaded 2, already there 0" in pushed.output
    again = runner.invoke(main, ["cache", "push", "--root", str(root)], env=env)
    assert "uploaded 0, already there 2" in again.output
    assert len(store_files(nginx, "ac")) == SNIPPETS

    fresh = fixture_copy(tmp_path, "b")
    before = len(nginx.requests())
    pulled = runner.invoke(main, ["cache", "pull", "--root", str(fresh)], env=env)
    assert pulled.exit_code == 0, pulled.output
    assert "fetched 2, not on the server 0, already local 0" in pulled.output
    assert "PUT" not in [method for method, _, _ in nginx.requests()[before:]]
    build = remote_build(fresh, nginx.url)
    assert build.counts["executed"] == 0 and remote_count(build) == 0  # all local after the pull


def test_push_without_a_remote_or_to_a_dead_one_is_a_clear_error(nginx: Nginx, tmp_path: Path) -> None:
    root = fixture_copy(tmp_path, "a")
    runner = CliRunner()
    missing = runner.invoke(main, ["cache", "push", "--root", str(root)])
    assert missing.exit_code != 0 and "SITE_TOOLS_CACHE_URL" in missing.output
    nginx.stop()
    dead = runner.invoke(
        main, ["cache", "pull", "--root", str(root)], env={"SITE_TOOLS_CACHE_URL": nginx.url}
    )
    assert dead.exit_code != 0 and "cannot connect" in dead.output and "Traceback" not in dead.output


def test_two_builds_uploading_the_same_keys_at_once_both_succeed(nginx: Nginx, tmp_path: Path) -> None:
    roots = [fixture_copy(tmp_path, name) for name in ("a", "b")]
    with ThreadPoolExecutor(2) as pool:
        builds = list(pool.map(lambda root: remote_build(root, nginx.url, write=True), roots))
    for build in builds:
        assert build.counts["executed"] == SNIPPETS and "remote cache http" not in build.log  # no notice
    assert len(store_files(nginx, "ac")) == SNIPPETS
    assert all(status in (200, 201, 204) for method, _, status in nginx.requests() if method == "PUT")
    reader = remote_build(fixture_copy(tmp_path, "c"), nginx.url)
    assert reader.counts["executed"] == 0 and remote_count(reader) == SNIPPETS


def test_a_password_in_the_url_is_used_and_never_logged(tmp_path: Path) -> None:
    from tests.plugin.conftest import build_site

    users = tmp_path / "htpasswd"
    users.write_text("ci:{PLAIN}url-pass-93b1\n")
    guarded = start_nginx(tmp_path / "guarded", extra=f'auth_basic "cache"; auth_basic_user_file {users};')
    url = guarded.url.replace("http://", "http://ci:url-pass-93b1@")
    try:
        env = {"SITE_TOOLS_CACHE_URL": url, "SITE_TOOLS_CACHE_WRITE": "1"}
        build = build_site(fixture_copy(tmp_path, "a"), "--verbose", env=env)  # the debug log too
    finally:
        guarded.stop()
    assert build.returncode == 0, build.log
    assert len(store_files(guarded, "ac")) == SNIPPETS
    assert "url-pass-93b1" not in build.log and "DEBUG" in build.log
