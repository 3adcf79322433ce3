"""A scrubbable figure in Chromium: each control moved by keyboard and mouse swaps the pixels, the
caption, the cited values and the alt text; the URL keeps the choice; a phone's width holds it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.browser_support import contrast_failures, figure_colours, serve
from tests.browser.scrub_support import open_page, settled_problems
from tests.hosts.support import build, copy_real_site, host_available

pytestmark = pytest.mark.browser
FIGURE = "figure#fig-curve"


def _shown(page: Page, label: str) -> None:
    page.wait_for_function(
        "([sel, label]) => document.querySelector(sel).dataset.stVariant === label", arg=[FIGURE, label]
    )


def _state(page: Page) -> dict[str, str]:
    return page.evaluate(
        """(sel) => {
          const f = document.querySelector(sel);
          return {caption: f.querySelector("figcaption").textContent,
                  alt: f.querySelector(".st-scrub-view picture img").getAttribute("alt"),
                  live: f.querySelector(".st-scrub-live").textContent,
                  prose: document.querySelector("article p > .st-value").textContent,
                  hash: location.hash};
        }""",
        FIGURE,
    )


def test_keyboard_and_mouse_swap_the_variant(browser: Browser, scrub_origin: str) -> None:
    page, load = open_page(browser, scrub_origin, "/curve/")
    view = page.locator(f"{FIGURE} .st-scrub-view")
    slider = page.locator(f"{FIGURE} input[type=range]")
    assert slider.is_visible()
    pixels = {"power=2,tone=warm": view.screenshot()}
    height = view.bounding_box()["height"]
    assert _state(page)["caption"] == "x to the power 2, ending at 4.0."

    slider.focus()
    page.keyboard.press("ArrowRight")  # power 2 -> 3
    _shown(page, "power=3,tone=warm")
    state = _state(page)
    assert state["caption"] == "x to the power 3, ending at 8.0."
    assert state["prose"] == "8.00"
    assert state["alt"] == "A warm curve of x to the power 3."
    assert state["live"] == "power 3: A warm curve of x to the power 3."  # the value, then what changed
    assert state["hash"] == "#fig-curve:power=3,tone=warm"
    assert page.locator(f"{FIGURE} input[type=range]").get_attribute("aria-valuetext") == "3"
    pixels["power=3,tone=warm"] = view.screenshot()

    page.locator(f"{FIGURE} [role=radiogroup] label", has_text="cool").click()  # the mouse
    _shown(page, "power=3,tone=cool")
    assert _state(page)["alt"] == "A cool curve of x to the power 3."
    pixels["power=3,tone=cool"] = view.screenshot()

    page.keyboard.press("ArrowLeft")  # the focused radio group: back to warm
    _shown(page, "power=3,tone=warm")

    box = slider.bounding_box()
    page.mouse.click(box["x"] + 2, box["y"] + box["height"] / 2)  # the slider's left end: power 1
    _shown(page, "power=1,tone=warm")
    assert _state(page)["caption"] == "x to the power 1, ending at 2.0."
    pixels["power=1,tone=warm"] = view.screenshot()

    slider.focus()
    page.keyboard.press("ArrowRight")  # back to the default, shown from the page itself
    _shown(page, "power=2,tone=warm")
    assert view.screenshot() == pixels["power=2,tone=warm"]
    assert _state(page)["prose"] == "4.00"

    assert len(set(pixels.values())) == 4, "each variant shows other pixels"
    assert view.bounding_box()["height"] == height, "the figure keeps its size between variants"
    assert settled_problems(page, load) == []
    variants = [url for url in load.bytes_by_url if "/variants/" in url]
    # The five others, each once: shown, or fetched ahead one step from a choice; the default never.
    assert len(variants) == 5, variants


def test_the_fragment_opens_the_variant_it_names(browser: Browser, scrub_origin: str) -> None:
    page, load = open_page(browser, scrub_origin, "/curve/#fig-curve:power=1,tone=cool")
    _shown(page, "power=1,tone=cool")
    assert _state(page)["caption"] == "x to the power 1, ending at 2.0."
    assert page.locator(f"{FIGURE} input[type=range]").input_value() == "0"
    assert page.locator(f"{FIGURE} input[value=cool]").is_checked()
    assert settled_problems(page, load) == []


def test_instant_navigation_binds_the_figure(browser: Browser, scrub_origin: str) -> None:
    page, load = open_page(browser, scrub_origin, "/")
    page.locator("article a", has_text="scrubbable figure").click()
    page.wait_for_selector(f"{FIGURE} .st-scrub-controls")
    assert page.evaluate("() => performance.getEntriesByType('navigation').length") == 1  # no reload
    page.locator(f"{FIGURE} input[value=cool]").check()
    _shown(page, "power=2,tone=cool")
    assert settled_problems(page, load) == []


def test_a_swapped_variant_follows_the_light_and_dark_palettes(browser: Browser, scrub_origin: str) -> None:
    page, load = open_page(browser, scrub_origin, "/curve/#fig-curve:power=3,tone=cool")
    _shown(page, "power=3,tone=cool")
    colours = {}
    for scheme in ("default", "slate"):
        page.evaluate("(s) => document.body.setAttribute('data-md-color-scheme', s)", scheme)
        (colours[scheme],) = figure_colours(page)
        assert contrast_failures([colours[scheme]]) == [], scheme
    text = {scheme: {m[2] for m in found["marks"] if m[0] == "text"} for scheme, found in colours.items()}
    assert text["default"] and text["slate"] and not text["default"] & text["slate"]
    assert settled_problems(page, load) == []


def test_a_phone_width_holds_the_controls(browser: Browser, scrub_origin: str) -> None:
    page, load = open_page(browser, scrub_origin, "/curve/", width=390)
    controls = page.locator(f"{FIGURE} .st-scrub-controls")
    box = controls.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    page.locator(f"{FIGURE} input[type=range]").focus()
    page.keyboard.press("ArrowLeft")
    _shown(page, "power=1,tone=warm")
    assert settled_problems(page, load) == []


def test_from_a_file_the_default_shows_without_controls(browser: Browser, scrub_dir: Path) -> None:
    page = browser.new_context().new_page()
    page.goto((scrub_dir / "curve" / "index.html").as_uri(), wait_until="load")
    figure = page.locator(FIGURE)
    assert figure.locator(".st-scrub-view picture img").is_visible()
    assert figure.locator(".st-scrub-view picture img").evaluate("(img) => img.naturalWidth > 0")  # loaded
    assert figure.locator(".st-scrub-controls").count() == 0
    assert figure.locator("figcaption").text_content() == "x to the power 2, ending at 4.0."


REAL = {  # the real site's scrubbable figures: post path, figure id, each control's other state
    "learning-rate": ("blog/2024/02/20/deep-learning-how-neural-networks-learn-from-data/", ["lr"]),
    "depth-gradients": (
        "blog/2023/08/15/understanding-deep-learning-unraveling-the-depths/",
        ["depth", "relu"],
    ),
}


@pytest.fixture(scope="module")
def zensical_url(zensical_site_dir: Path) -> Iterator[str]:
    """The session's build of the real site on Zensical (tests/conftest.py), served."""
    url, stop = serve(zensical_site_dir)
    yield url
    stop()


@pytest.fixture(scope="module")
def properdocs_url(site_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real site built on ProperDocs from its own config (after ``site_dir``: its cache is warm)."""
    if not host_available("properdocs"):
        pytest.skip("properdocs is not installed (the `properdocs` extra)")
    root = copy_real_site(tmp_path_factory.mktemp("properdocs-real"))
    done = build("properdocs", root, root / "built")
    assert done.returncode == 0, done.stderr[-4000:]
    url, stop = serve(root / "built")
    yield url
    stop()


@pytest.mark.parametrize("host", ["mkdocs", "properdocs", "zensical"])
@pytest.mark.parametrize("ident", sorted(REAL))
def test_the_real_posts_scrub(
    ident: str, host: str, browser: Browser, request: pytest.FixtureRequest
) -> None:
    path, controls = REAL[ident]
    url = request.getfixturevalue("site_url" if host == "mkdocs" else f"{host}_url")
    page, load = open_page(browser, url, "/" + path)
    figure = f"figure#fig-{ident}"
    view = page.locator(f"{figure} .st-scrub-view")
    view.scroll_into_view_if_needed()
    before = (view.screenshot(), page.locator(f"{figure} figcaption").text_content())
    for control in controls:
        if control == "relu":
            page.locator(f"{figure} input[value=relu]").check()
        else:
            page.locator(f"{figure} input[name={control}]").focus()
            page.keyboard.press("ArrowLeft")
        page.wait_for_function(
            "([sel, old]) => document.querySelector(sel + ' figcaption').textContent !== old",
            arg=[figure, before[1]],
        )
        after = (view.screenshot(), page.locator(f"{figure} figcaption").text_content())
        assert after[0] != before[0] and after[1] != before[1]
        before = after
    assert settled_problems(page, load) == []
