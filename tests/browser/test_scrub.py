"""A scrubbable figure in Chromium: each control moved by keyboard and mouse swaps the pixels, the
caption, the cited values and the alt text; the URL keeps the choice; a phone's width holds it."""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.browser_support import PageLoad, contrast_failures, figure_colours, serve
from tests.hosts.support import build, copy_real_site, host_available
from tests.scrub.conftest import scrub_site

pytestmark = pytest.mark.browser
FIGURE = "figure#fig-curve"


@pytest.fixture(scope="module")
def scrub_dir(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Path:
    site = scrub_site(tmp_path_factory.mktemp("scrub-browser") / "site")
    run = site.build()
    assert run.returncode == 0, run.log
    return site.root / "site"


@pytest.fixture(scope="module")
def origin(scrub_dir: Path) -> Iterator[str]:
    url, stop = serve(scrub_dir)
    yield url
    stop()


def _open(browser: Browser, origin: str, path: str, width: int = 1280) -> tuple[Page, PageLoad]:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    load = PageLoad(origin)
    load.watch(page)
    page.goto(origin + path, wait_until="networkidle")
    return page, load


def _problems(page: Page, load: PageLoad) -> list[str]:
    """The page's problems once its requests have ended (variants fetched ahead may be in flight)."""
    page.wait_for_load_state("networkidle")
    return load.problems()


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


def test_keyboard_and_mouse_swap_the_variant(browser: Browser, origin: str) -> None:
    page, load = _open(browser, origin, "/curve/")
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
    assert _problems(page, load) == []
    variants = [url for url in load.bytes_by_url if "/variants/" in url]
    # The five others, each once: shown, or fetched ahead one step from a choice; the default never.
    assert len(variants) == 5, variants


def test_the_fragment_opens_the_variant_it_names(browser: Browser, origin: str) -> None:
    page, load = _open(browser, origin, "/curve/#fig-curve:power=1,tone=cool")
    _shown(page, "power=1,tone=cool")
    assert _state(page)["caption"] == "x to the power 1, ending at 2.0."
    assert page.locator(f"{FIGURE} input[type=range]").input_value() == "0"
    assert page.locator(f"{FIGURE} input[value=cool]").is_checked()
    assert _problems(page, load) == []


def test_instant_navigation_binds_the_figure(browser: Browser, origin: str) -> None:
    page, load = _open(browser, origin, "/")
    page.locator("article a", has_text="scrubbable figure").click()
    page.wait_for_selector(f"{FIGURE} .st-scrub-controls")
    assert page.evaluate("() => performance.getEntriesByType('navigation').length") == 1  # no reload
    page.locator(f"{FIGURE} input[value=cool]").check()
    _shown(page, "power=2,tone=cool")
    assert _problems(page, load) == []


def test_a_swapped_variant_follows_the_light_and_dark_palettes(browser: Browser, origin: str) -> None:
    page, load = _open(browser, origin, "/curve/#fig-curve:power=3,tone=cool")
    _shown(page, "power=3,tone=cool")
    colours = {}
    for scheme in ("default", "slate"):
        page.evaluate("(s) => document.body.setAttribute('data-md-color-scheme', s)", scheme)
        (colours[scheme],) = figure_colours(page)
        assert contrast_failures([colours[scheme]]) == [], scheme
    text = {scheme: {m[2] for m in found["marks"] if m[0] == "text"} for scheme, found in colours.items()}
    assert text["default"] and text["slate"] and not text["default"] & text["slate"]
    assert _problems(page, load) == []


def test_a_phone_width_holds_the_controls(browser: Browser, origin: str) -> None:
    page, load = _open(browser, origin, "/curve/", width=390)
    controls = page.locator(f"{FIGURE} .st-scrub-controls")
    box = controls.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    page.locator(f"{FIGURE} input[type=range]").focus()
    page.keyboard.press("ArrowLeft")
    _shown(page, "power=1,tone=warm")
    assert _problems(page, load) == []


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
    page, load = _open(browser, url, "/" + path)
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
    assert _problems(page, load) == []


LINKED_STATE = """() => ({
  curve: document.querySelector('#fig-curve').dataset.stVariant || 'power=2,tone=warm',
  area: document.querySelector('#fig-area').dataset.stVariant || 'power=2',
  captions: [...document.querySelectorAll('figcaption')].map((c) => c.textContent),
  cited: [...document.querySelectorAll('.st-value')].filter((v) => !v.closest('figure'))
    .map((v) => v.textContent),
  sliders: [...document.querySelectorAll('input[type=range]')].map((r) => r.value),
  live: document.querySelector('#fig-area .st-scrub-live').textContent,
  hash: location.hash, history: history.length,
})"""
DEFAULT_CITED = ["4.00", "2.67", "2.667", "2.7"]  # prose (curve, area), the table, the admonition


def _linked(page: Page, curve: str, area: str) -> dict:
    page.wait_for_function(
        "([c, a]) => (document.querySelector('#fig-curve').dataset.stVariant || 'power=2,tone=warm') === c"
        " && (document.querySelector('#fig-area').dataset.stVariant || 'power=2') === a"
        " && !document.querySelector('figure[aria-busy]')",
        arg=[curve, area],
    )
    return page.evaluate(LINKED_STATE)


def test_one_control_moves_every_linked_figure_and_value(browser: Browser, origin: str) -> None:
    page, load = _open(browser, origin, "/linked/")
    assert [url for url in load.bytes_by_url if "/variants/" in url] == []  # nothing ahead of a move
    assert page.locator(".st-scrub-static").count() == 0  # the script's controls replace the sentence
    start = page.evaluate(LINKED_STATE)
    assert start["cited"] == DEFAULT_CITED and start["sliders"] == ["1", "1"]

    page.locator("#fig-area input[type=range]").focus()
    page.keyboard.press("ArrowRight")  # power 2 -> 3, under the second figure
    state = _linked(page, "power=3,tone=warm", "power=3")
    assert state["captions"] == [
        "x to the power 3, ending at 8.0.",
        "The area under x to the power 3 is 4.00; the curve ends at 8.0.",  # the curve's value too
    ]
    assert state["cited"] == ["8.00", "4.00", "4.000", "4.0"]  # prose, table and admonition follow
    assert state["sliders"] == ["2", "2"]  # the other figure's control shows the same choice
    assert (
        state["live"]
        == "power 3: A warm curve of x to the power 3. The area under x to the power 3, shaded; the curve "
        "ends at 8.0."  # the area's alt cites the curve's snippet, and follows its variant too
    )
    assert page.locator("#fig-area picture img").get_attribute("alt").endswith("the curve ends at 8.0.")
    assert state["hash"] == "#fig-area:power=3,tone=warm" and state["history"] == start["history"] + 1

    # After that first move, the variants one step away are fetched ahead: the curve's cool one.
    cool = json.loads(page.locator("#fig-curve").get_attribute("data-st-scrub"))["variants"][
        "power=3,tone=cool"
    ]
    page.wait_for_function(
        "(f) => performance.getEntriesByType('resource').some((e) => e.name.endsWith(f))", arg=cool
    )
    page.locator("#fig-curve input[value=cool]").check()  # a name only the curve varies
    state = _linked(page, "power=3,tone=cool", "power=3")
    assert state["hash"] == "#fig-curve:power=3,tone=cool"

    page.go_back()  # each settled choice is a place in the history
    assert _linked(page, "power=3,tone=warm", "power=3")["sliders"] == ["2", "2"]
    page.go_back()
    assert _linked(page, "power=2,tone=warm", "power=2")["cited"] == DEFAULT_CITED
    page.go_forward()
    _linked(page, "power=3,tone=warm", "power=3")
    page.reload(wait_until="networkidle")  # the URL keeps the choice
    assert _linked(page, "power=3,tone=warm", "power=3")["sliders"] == ["2", "2"]
    assert _problems(page, load) == []


def test_a_drag_replaces_the_history_entry_and_a_settled_choice_adds_one(
    browser: Browser, origin: str
) -> None:
    page, load = _open(browser, origin, "/linked/")
    before = page.evaluate("() => history.length")
    page.evaluate(
        """() => { const r = document.querySelector('#fig-area input[type=range]');
                   for (const v of ['0', '1', '2', '0']) {
                     r.value = v; r.dispatchEvent(new Event('input', {bubbles: true}));
                   }
                   r.dispatchEvent(new Event('change', {bubbles: true})); }"""
    )
    state = _linked(page, "power=1,tone=warm", "power=1")
    assert state["history"] == before + 1 and state["hash"] == "#fig-area:power=1,tone=warm"
    page.go_back()
    _linked(page, "power=2,tone=warm", "power=2")
    assert _problems(page, load) == []


def test_old_single_figure_links_open_their_choice(browser: Browser, origin: str) -> None:
    page, load = _open(browser, origin, "/linked/#fig-area:power=1")  # one figure's names, as before
    state = _linked(page, "power=1,tone=warm", "power=1")
    assert state["cited"] == ["2.00", "2.00", "2.000", "2.0"]
    assert _problems(page, load) == []


def test_instant_navigation_away_and_back_keeps_the_choice(browser: Browser, origin: str) -> None:
    page, load = _open(browser, origin, "/linked/#fig-area:power=3,tone=cool")
    _linked(page, "power=3,tone=cool", "power=3")
    page.locator("nav a", has_text="Scrub").first.click()  # Material's instant navigation
    page.wait_for_function("() => !document.querySelector('#fig-area')")
    page.go_back()
    page.wait_for_selector("#fig-area .st-scrub-controls")
    state = _linked(page, "power=3,tone=cool", "power=3")
    assert state["cited"] == ["8.00", "4.00", "4.000", "4.0"]
    assert page.evaluate("() => performance.getEntriesByType('navigation').length") == 1  # no reload
    assert _problems(page, load) == []


def test_a_word_in_any_script_is_a_choice_and_a_place(browser: Browser, origin: str) -> None:
    page, load = _open(browser, origin, "/words/")
    page.locator("#fig-tones input[value='冷たい']").check()
    page.wait_for_function("() => document.querySelector('#fig-tones').dataset.stVariant === 'tone=冷たい'")
    assert page.locator("#fig-tones figcaption").text_content() == "A 冷たい curve."
    assert page.evaluate("() => location.hash") == "#fig-tones:tone=%E5%86%B7%E3%81%9F%E3%81%84"
    page.reload(wait_until="networkidle")  # the choice is a place: a reload, or the link, shows it
    page.wait_for_function("() => document.querySelector('#fig-tones').dataset.stVariant === 'tone=冷たい'")
    assert page.locator("#fig-tones input[value='冷たい']").is_checked()
    assert _problems(page, load) == []


@pytest.mark.parametrize("cut_file", ["variant", "drawing"])
def test_a_variant_whose_file_or_drawing_does_not_match_its_digest_is_refused(
    browser: Browser, scrub_dir: Path, tmp_path: Path, cut_file: str
) -> None:
    site = tmp_path / "site"
    shutil.copytree(scrub_dir, site)
    soup = (site / "linked" / "index.html").read_text(encoding="utf-8")
    links = json.loads(html.unescape(re.search(r'id="fig-area" data-st-scrub="([^"]+)"', soup)[1]))[
        "variants"
    ]
    cut = site / links["power=3"]
    if cut_file == "drawing":  # the wide drawing its picture shows at 1280 px
        cut = site / re.search(r'data-st-src="([^"]+)"', json.loads(cut.read_text())["svg"])[1]
    cut.write_bytes(cut.read_bytes()[:-40])  # cut short, as an interrupted upload leaves it
    url, stop = serve(site)
    try:
        page, _ = _open(browser, url, "/linked/")
        page.locator("#fig-area input[type=range]").focus()
        page.keyboard.press("ArrowRight")
        error = page.locator("#fig-area .st-scrub-error")
        error.wait_for()
        what = "its file" if cut_file == "variant" else f"its drawing {cut.name}"
        assert f"Could not show power=3: {what} does not match its digest" in error.text_content()
        assert "still show power=2" in error.text_content()
        state = page.evaluate(LINKED_STATE)  # the previous choice stays, everywhere
        assert state["sliders"] == ["1", "1"] and state["cited"] == DEFAULT_CITED
        assert state["hash"] == "#fig-area:power=2,tone=warm"
        assert page.locator("figure[aria-busy]").count() == 0
    finally:
        stop()


def test_a_switch_between_loaded_variants_takes_milliseconds(browser: Browser, origin: str) -> None:
    """Measured, not asserted (speed targets live in benchmarks): printed for the record."""
    page, _ = _open(browser, origin, "/linked/")
    for value in ("0", "2"):  # load both variants first
        page.evaluate(
            "(v) => { const r = document.querySelector('#fig-area input[type=range]'); r.value = v;"
            " r.dispatchEvent(new Event('input', {bubbles: true}));"
            " r.dispatchEvent(new Event('change', {bubbles: true})); }",
            value,
        )
        page.wait_for_function("() => !document.querySelector('figure[aria-busy]')")
    times = page.evaluate(
        """async () => {
          const r = document.querySelector('#fig-area input[type=range]'), out = [];
          for (const v of ['0', '2', '0', '2', '0', '2']) {
            await new Promise((res) => setTimeout(res, 50));
            const figures = [...document.querySelectorAll('figure[data-st-scrub]')];
            const swapped = (f) => new Promise((res) => new MutationObserver((m, o) => {
              o.disconnect(); res(performance.now()); }).observe(f, {attributeFilter: ['data-st-variant']}));
            const done = Promise.all(figures.map(swapped));
            const t0 = performance.now();
            r.value = v; r.dispatchEvent(new Event('input', {bubbles: true}));
            out.push(Math.max(...(await done)) - t0);
            r.dispatchEvent(new Event('change', {bubbles: true}));
          }
          return out;
        }"""
    )
    assert len(times) == 6
    print(f"linked switch, both figures, ms after the input event: {[round(t, 1) for t in times]}")
