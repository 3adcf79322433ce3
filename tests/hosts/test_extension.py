"""``site_tools.markdown`` with plain Python-Markdown: off under MkDocs, pages rendered from the engine
where the host says which page it renders, and a clear error where it does not."""

from __future__ import annotations

import shutil
from pathlib import Path

import frontmatter
import markdown
import pytest

from site_tools.markdown import SiteToolsExtension, SnippetError

FIXTURE = Path(__file__).parents[1] / "fixtures" / "site"
EXTENSIONS = ["admonition", "pymdownx.details", "pymdownx.superfences", "pymdownx.highlight"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fixture") / "site"
    shutil.copytree(FIXTURE, root)
    return root


def render(site: Path, page: tuple[str, dict] | None, **config: object) -> str:
    md = markdown.Markdown(extensions=[*EXTENSIONS, SiteToolsExtension(root=str(site), **config)])
    if page is not None:
        md.site_tools_page = page
    return md.convert(frontmatter.load(site / "docs" / "index.md").content)


def test_off_leaves_the_page_to_the_mkdocs_plugin(site: Path) -> None:
    html = render(site, ("index.md", {}), off=True)
    assert "st-figure" not in html and "plt.plot" in html


def test_renders_figures_and_output_from_the_engine(site: Path) -> None:
    html = render(site, ("index.md", {}))
    assert '<figure class="st-figure"' in html and '<picture class="st-drawing">' in html
    assert "A line of squares" in html
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in html and "<script>alert" not in html
    assert "site-tools:slot" not in html and "site-tools:figure" not in html  # every marker replaced


def test_a_host_that_does_not_name_the_page_gets_a_clear_error(site: Path) -> None:
    with pytest.raises(SnippetError, match="did not say which page it renders"):
        render(site, None)


def test_a_page_over_its_budget_stops_a_build(tmp_path: Path) -> None:
    """Under MkDocs the plugin checks the page's final HTML; on a host that runs only the extension,
    the page's own HTML (text and inline figures) is held to the same budget."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace(
        "  - site-tools:\n", "  - site-tools:\n      page_budget_kb: 1\n"
    )
    config.write_text(text, encoding="utf-8")
    with pytest.raises(SnippetError, match=r"docs/index\.md: the page is .* over the page budget of 1 KiB"):
        render(root, ("index.md", {}))


def test_a_same_size_save_in_the_same_clock_tick_is_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A serving host asks the extension for the site on every page; a second save that keeps the
    file's size and lands within the same mtime tick (stood for by restoring the mtime) must still
    count as an edit, and a file merely growing old must not."""
    import os
    import time

    from site_tools.hosts.zensical import extension
    from site_tools.project import load_project

    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    site = extension.Site(load_project(root, environ={}))
    snippet = root / "snippets" / "helper.py"
    text = snippet.read_text(encoding="utf-8")
    snippet.write_text(text, encoding="utf-8")  # saved just now
    before = site._stamp()
    assert site._stamp() == before  # nothing changed, nothing seen
    saved = snippet.stat()
    same_size = text.replace("2", "3", 1)
    assert same_size != text and len(same_size) == len(text)
    snippet.write_text(same_size, encoding="utf-8")
    os.utime(snippet, ns=(saved.st_atime_ns, saved.st_mtime_ns))
    edited = site._stamp()
    assert edited != before
    # Seconds later, size and time unchanged: the same stamp, no edit seen where there was none.
    later = time.time() + 10
    monkeypatch.setattr(extension.time, "time", lambda: later)
    assert site._stamp() == edited
    site.engine.close()


def test_drawings_published_while_other_pages_add_theirs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Zensical renders pages on several threads: one page's drawings are published while another
    page adds its own to the shared map (this ended `zensical serve` with "dictionary changed size")."""
    from site_tools.site.generated_files import publish_named_files

    files = {"figures/a.svg": "<svg>a</svg>"}
    write_text = Path.write_text

    def another_page_renders_meanwhile(path: Path, *args: object, **kwargs: object) -> int:
        files.setdefault("figures/b.svg", "<svg>b</svg>")
        return write_text(path, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", another_page_renders_meanwhile)
    publish_named_files(tmp_path, files)
    assert (tmp_path / "figures" / "a.svg").read_text(encoding="utf-8") == "<svg>a</svg>"
    assert [p.name for p in (tmp_path / "figures").iterdir()] == ["a.svg"]  # no partial file is left
