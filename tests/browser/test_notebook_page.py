"""The tutorial notebook's page (mkdocs-jupyter) shows its figures as a post does, and the notebook a
reader downloads from beside it shows them offline (site_tools/site/notebooks.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import Browser, Page

from site_tools.engine.run.phone import PHONE_WIDTH_PX
from tests.site.downloads_support import reader_environment

PAGE = "/tutorials/first-network/"
DOWNLOAD = "tutorials/first-network/first-network.ipynb"  # where mkdocs-jupyter's include_source puts it

SHOWN = """async () => {
  const shown = [];
  for (const figure of document.querySelectorAll("figure.st-figure")) {
    const img = figure.querySelector("img");
    img.scrollIntoView();  // each loads lazily
    if (!(img.complete && img.naturalWidth)) {
      await new Promise((done) => img.addEventListener("load", done, {once: true}));
    }
    shown.push({
      id: figure.id, drawings: figure.querySelectorAll(".st-fig-box > picture.st-drawing").length,
      inline: figure.querySelectorAll("svg").length, natural: img.naturalWidth,
      width: img.getBoundingClientRect().width, src: img.currentSrc,
    });
  }
  return shown;
}"""


def _figures(page: Page) -> list[dict]:
    shown = page.evaluate(SHOWN)
    assert len(shown) >= 2, "the notebook page shows no computed figure"
    assert all(f["drawings"] == 1 and f["inline"] == 0 for f in shown), shown  # one drawing, a file
    return shown


def test_the_notebook_page_shows_the_drawing_that_fits(browser: Browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(site_url + PAGE, wait_until="load")
    phone = _figures(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload(wait_until="load")
    wide = _figures(page)
    context.close()
    # At its own size in a phone's column (not shrunk by the notebook's prompts and padding), so its
    # text is as large as engine/run/phone.py drew it.
    assert all(f["natural"] == PHONE_WIDTH_PX and f["width"] == PHONE_WIDTH_PX for f in phone), phone
    pairs = zip(phone, wide, strict=True)
    assert all(w["natural"] > PHONE_WIDTH_PX and w["src"] != p["src"] for p, w in pairs), wide


def test_the_downloaded_notebook_shows_its_figures_offline(
    browser: Browser, site_dir: Path, tmp_path: Path
) -> None:
    """Opened alone in an empty folder (here: nbconvert's HTML of it, read from file:// with every
    other request refused), each figure shows: the download holds its drawings."""
    shutil.copyfile(site_dir / DOWNLOAD, tmp_path / "first-network.ipynb")
    command = [sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", "first-network.ipynb"]
    env = reader_environment()
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    context = browser.new_context()
    refused: list[str] = []

    def offline(route) -> None:
        refused.append(route.request.url)
        route.abort()

    context.route(lambda url: not url.startswith(("file:", "data:")), offline)
    page = context.new_page()
    page.goto((tmp_path / "first-network.html").as_uri(), wait_until="load")
    shown = page.evaluate(
        """() => [...document.querySelectorAll("figure.st-figure img")].map(
             (img) => [img.complete, img.naturalWidth, img.src.slice(0, 26)])"""
    )
    context.close()
    assert len(shown) >= 2, "the downloaded notebook shows no figure"
    assert all(
        complete and width > 0 and src == "data:image/svg+xml;base64," for complete, width, src in shown
    )
    assert not any("figures/" in url for url in refused), refused  # nothing points back at the site
