"""The real site as its readers' tools judge it: the Nu HTML checker finds no error that the same pages
built without the project do not have, on MkDocs and on Zensical; axe-core finds no WCAG 2.1 A/AA
violation on the blog index, each post, the execution report and the contributing page, light and
dark, 1280 and 390 px wide.

One run of the Nu checker reads every page of every build; one browser runs axe on each page in turn,
in the front tab: a tab in the background does not render, so the theme's resize handlers (which make
an overflowing code block focusable) would not have run when axe reads it.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.browser_support import serve
from tests.readers.judges import AXE_JS, AXE_OPTIONS, need_axe, vnu_errors

pytestmark = [pytest.mark.slow, pytest.mark.browser]

# mkdocs-jupyter's notebook template is not ours (60-odd errors of its own: CSS, a <style> in the
# body, clipboard-copy's aria-label): the notebook page is left out of the Nu checker's verdict.
NOT_OURS = ("tutorials/",)
# A page only the project makes is held against a plain text page of the theme.
PLAIN_TEXT_PAGE = "contributing/index.html"
VIEWS = [("default", 1280), ("default", 390), ("slate", 390), ("slate", 1280)]
# The theme's transitions (the header's search field, the palette) last 250 ms at most: axe reads
# the colours once they have ended.
SETTLE_MS = 400
PALETTE_TOGGLE = 'label[for^="__palette"]:visible'  # the header's light/dark switch


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


@pytest.fixture(scope="session")
def nu_errors(
    site_dir: Path, zensical_site_dir: Path, plain_sites: dict[str, Path]
) -> dict[Path, Counter[str]]:
    """Every page of every build (real and plain, both hosts), through one run of the Nu checker."""
    files = [page for site in (site_dir, zensical_site_dir, *plain_sites.values()) for page in _pages(site)]
    return vnu_errors(files)


@pytest.mark.parametrize("host", ["mkdocs", "zensical"])
def test_no_nu_checker_error_that_the_plain_theme_does_not_make(
    host: str, request: pytest.FixtureRequest, plain_sites: dict[str, Path], nu_errors: dict
) -> None:
    site = request.getfixturevalue("site_dir" if host == "mkdocs" else "zensical_site_dir")
    plain = plain_sites[host]
    # The baseline is the real thing: it has the posts, and the theme's own errors on them.
    posts = sorted(p.relative_to(site) for p in site.glob("blog/[0-9][0-9][0-9][0-9]/**/index.html"))
    assert len(posts) >= 5 and all((plain / post).is_file() for post in posts)
    assert sum(nu_errors[plain / posts[0]].values()) > 0, "no theme error at all: is vnu reading?"
    ours = {}
    for page in _pages(site):
        relative = page.relative_to(site).as_posix()
        if relative.startswith(NOT_OURS):
            continue
        baseline = plain / relative if (plain / relative).is_file() else plain / PLAIN_TEXT_PAGE
        extra = nu_errors[page] - nu_errors[baseline]
        if extra:
            ours[relative] = dict(extra)
    assert ours == {}


def _axe_pages(site: Path) -> list[str]:
    posts = sorted(p.parent.relative_to(site).as_posix() for p in site.glob("blog/[0-9]*/**/index.html"))
    return ["blog/", *(f"{post}/" for post in posts), "execution-report/", "contributing/"]


def _axe_everywhere(browser: Browser, site: Path) -> dict[str, list[str]]:
    """'page scheme width' -> axe's violations there, for every page and view.

    Each page loads once, light: axe runs at 390 and 1280 px, then the header's palette toggle turns
    it dark (as a reader would) and axe runs at 1280 and 390 px again."""
    need_axe()
    origin, stop = serve(site)
    context = browser.new_context(color_scheme="light", viewport={"width": 1280, "height": 900})
    context.add_init_script("localStorage.clear()")  # each page opens light: no palette choice kept
    found: dict[str, list[str]] = {}

    def judge(page: Page, path: str, width: int) -> None:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(SETTLE_MS)
        scheme = page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
        result = page.evaluate("(options) => axe.run(document, options)", AXE_OPTIONS)
        found[f"{path} {scheme} {width}"] = [
            f"{violation['id']} {node['target']}: {(node.get('failureSummary') or '')[:200]}"
            for violation in result["violations"]
            for node in violation["nodes"]
        ]

    try:
        for path in _axe_pages(site):
            page = context.new_page()
            page.goto(f"{origin}/{path}", wait_until="load")
            page.add_script_tag(path=str(AXE_JS))
            judge(page, path, 390)
            judge(page, path, 1280)
            page.locator(PALETTE_TOGGLE).first.click()
            page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
            judge(page, path, 1280)
            judge(page, path, 390)
            page.close()
    finally:
        context.close()
        stop()
    return found


@pytest.mark.parametrize("host", ["mkdocs", "zensical"])
def test_no_axe_violation_light_and_dark_desktop_and_phone(
    host: str, browser: Browser, request: pytest.FixtureRequest
) -> None:
    site = request.getfixturevalue("site_dir" if host == "mkdocs" else "zensical_site_dir")
    found = _axe_everywhere(browser, site)
    assert len(found) == len(_axe_pages(site)) * len(VIEWS) >= 8 * 4
    assert {view.split(" ", 1)[1] for view in found} == {f"{scheme} {width}" for scheme, width in VIEWS}
    assert {view: violations for view, violations in found.items() if violations} == {}
