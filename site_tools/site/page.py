"""Put results into one page, on any host: code blocks in its Markdown, figures and output as HTML.

Executable fences are replaced by the source block and a slot comment; the slot becomes HTML once
Markdown has run (MkDocs: ``on_page_content``; the extension: its raw-HTML stash), so an SVG never
goes through Markdown. Figures are markers until the host's HTML is final (``SiteState.insert_figures``).
"""

from __future__ import annotations

import posixpath
import textwrap
from collections.abc import Callable

from site_tools.engine import Embed, RunResult, Snippet
from site_tools.engine.collect.discover import Block, executable_fences
from site_tools.engine.model import Figure
from site_tools.engine.sizes import utf8_size
from site_tools.render.budgets import figure_problem
from site_tools.render.figure_box import box
from site_tools.render.figure_files import picture_html
from site_tools.render.html import not_run_html, output_html, problem_markdown, source_markdown
from site_tools.render.scrub import alt_follows, budget_problem, fragment_label, scrub_parts
from site_tools.render.snippet_notes import notes_html
from site_tools.render.source_box import defer_code
from site_tools.render.values import ROLE, Citer, page_sources
from site_tools.site.checks import embed_error
from site_tools.site.figures import figure_drawings
from site_tools.site.state import SiteState

SLOT = "<!-- site-tools:slot:{} -->"


class PageChanged(Exception):
    """The page's code blocks are not those read when the build collected the site."""


def relative_url(url: str, page_url: str) -> str:
    """``url`` (site-relative) as linked from the page at ``page_url``, as MkDocs writes it."""
    if page_url != ".":
        head, tail = posixpath.split(page_url)
        page_url = head if "." in tail else page_url
    relative = posixpath.relpath("/" + url, "/" + page_url)
    return relative + "/" if url.endswith("/") else relative


class PageRenderer:
    def __init__(
        self,
        state: SiteState,
        src_uri: str,
        *,
        url: str,
        meta: dict | None = None,
        show_problems: bool,
        show_warnings: bool = False,
        figure_budget_kb: int = 0,
        scrub_budget_kb: int = 0,
    ) -> None:
        self.state = state
        self.engine = state.engine
        self.url = url  # the page's URL, for links to downloads
        self.meta = meta if meta is not None else {}
        self.path = state.page_path(src_uri)
        self.scan = state.inventory.pages.get(self.path)
        self.show_problems = show_problems
        self.show_warnings = show_warnings
        self.figure_budget_kb = figure_budget_kb
        self.scrub_budget_kb = scrub_budget_kb

    def markdown(self, markdown: str) -> str:
        """Replace each executable fence (and, while serving, each broken one) in the page's Markdown.

        The k-th executable fence of ``markdown`` is the k-th block the scan found in the page's file:
        fences are matched by order and checked by their text, so whatever the host or a plugin added
        or removed around them (front matter, the recent-posts listing) does not matter.
        """
        markdown = self.cite(markdown)  # values cited in the prose; fences are left as they are
        if self.scan is None or not self.scan.blocks:
            return markdown
        fences = executable_fences(markdown)
        blocks = self.scan.blocks
        if len(fences) != len(blocks) or any(
            (fence.info, fence.body) != (block.fence.info, block.fence.body)
            for fence, block in zip(fences, blocks, strict=False)
        ):
            raise PageChanged(
                f"{self.path}: its code blocks changed between reading and rendering "
                "(a plugin rewrote them?); build again"
            )
        lines = markdown.split("\n")
        for index in reversed(range(len(blocks))):
            text = self._block_markdown(index, blocks[index])
            if text is None:
                continue
            fence = fences[index]
            lines[fence.start - 1 : fence.end] = textwrap.indent(text, fence.indent, lambda _: True).split(
                "\n"
            )
        return "\n".join(lines)

    def citer(self) -> Citer:
        return Citer(self.state.sources(self.path))

    def cite(self, markdown: str) -> str:
        """Cited values into the prose and the description, before Markdown, excerpts, search or feeds."""
        description = self.meta.get("description")
        if isinstance(description, str) and ROLE in description:
            self.meta["description"] = self.citer().plain(description)
        return self.citer().markdown(markdown) if ROLE in markdown else markdown

    def _block_markdown(self, index: int, block: Block) -> str | None:
        """What replaces one block: its source and output slot, then (serving) what stops it."""
        parts = [self._embed_markdown(block.embed, index)] if block.embed is not None else []
        if self.show_problems:
            # A block that runs but breaks a page rule (a duplicate id) shows both.
            parts[:0] = [
                problem_markdown(f"This block cannot run: {problem.path}:{problem.line}", problem.message)
                for problem in block.problems
            ]
        return "\n".join(parts) if parts else None

    def _embed_markdown(self, embed: Embed, index: int) -> str:
        error = embed_error(embed, self.engine.result(embed.snippet))
        parts = [source_markdown(embed)]
        if error is not None:
            parts.append(problem_markdown(f"Snippet failed: {embed.snippet.name}", error))
        else:
            parts.append(SLOT.format(index) + "\n")
        return "\n".join(part for part in parts if part)

    def content(self, html: str) -> tuple[str, set[str]]:
        """``html`` with each slot replaced by its embed's output, and the figure anchors it made."""
        taken: set[str] = set()
        if self.scan is None:
            return html, taken
        self.state.page_drawing_bytes[self.path] = 0  # counted again as the figures render
        for index, block in enumerate(self.scan.blocks):
            slot = SLOT.format(index)
            if block.embed is not None and slot in html:
                html = html.replace(slot, self._output(block.embed, taken), 1)
        return defer_code(html), taken  # collapsed source boxes: their code waits until opened

    def _output(self, embed: Embed, taken: set[str]) -> str:
        result = self.engine.result(embed.snippet)
        if result is None or result.status == "not-run":
            return not_run_html(embed)
        downloads = tuple(
            (label, relative_url(uri, self.url))
            for label, uri in self.state.downloads.get(embed.snippet.path, ())
        )
        citer, default = self.citer(), embed.snippet.path.removeprefix(self.state.snippets_prefix + "/")
        sizes: list[tuple[str, int]] = []

        def measured(figure: Figure, fig_id: str, alt: str) -> str:
            # The figure's files, both drawings, are what a reader may load for it: measure them.
            first = taken == {fig_id}  # the page's first figure: it may be on the first screen
            picture, size = self._picture(result, figure, alt, page_relative=True, first=first)
            sizes.append((fig_id, size))
            return self.state.markers.add(box(picture))  # in the page once its HTML is final

        output = output_html(
            embed,
            result,
            render_figure=measured,
            taken_ids=taken,
            downloads=downloads,
            caption_markup=lambda text: citer.caption_html(text, default),
            plain_text=lambda text: citer.plain(text, default),
            alt_markup=self._following_alt(citer, default),
            decorate=self._scrub(embed) if embed.variants else None,
        )
        for fig_id, size in sizes:
            self.state.page_drawing_bytes[self.path] = self.state.page_drawing_bytes.get(self.path, 0) + size
            problem = figure_problem(embed.where, embed.snippet.name, fig_id, size, self.figure_budget_kb)
            if problem:
                self.state.budget_problems[problem] = None
        return output + (notes_html(result) if self.show_warnings else "")

    def _following_alt(self, citer: Citer, own: str) -> Callable[[str], str | None]:
        """On a page with scrubbable figures, an alt text that cites another snippet as HTML, which
        the page's script fills with the values that snippet's figure shows (render/scrub.py)."""
        scrubs = self.scan is not None and any(embed.variants for embed in self.scan.embeds)
        return lambda alt: citer.caption_html(alt, own) if scrubs and alt_follows(alt, own) else None

    def _picture(
        self, result: RunResult, figure: Figure, alt: str, *, page_relative: bool, first: bool = False
    ) -> tuple[str, int]:
        """The figure's ``<picture>`` (render/figure_files.py), its files published with the site, and
        their bytes. Linked from this page, or from the site's root for a scrub variant's file."""
        drawings = [d for d in figure_drawings(self.engine.cache, result.key, figure) if d is not None]
        for drawing in drawings:
            self.state.figure_files[drawing.uri] = drawing.content
        url = (lambda uri: relative_url(uri, self.url)) if page_relative else None
        phone = drawings[1] if len(drawings) > 1 else None
        html = picture_html(drawings[0], phone, alt=alt, url=url, first=first)
        return html, sum(utf8_size(d.content) for d in drawings)

    def _scrub(self, embed: Embed):
        """A scrubbable figure's controls and variant files (render/scrub.py), with their budgets."""
        runs = {s.params: self.engine.result(s) for s in embed.variants}
        results = {point: r for point, r in runs.items() if r and r.ok and len(r.figures) == 1}
        prefix = self.state.snippets_prefix
        embeds = self.scan.embeds if self.scan else ()

        def citer_for(result: RunResult) -> Citer:
            def result_of(snippet: Snippet) -> RunResult | None:
                return result if snippet == embed.snippet else self.engine.result(snippet)

            return Citer(page_sources(embeds, result_of, prefix))

        drawing_bytes: dict[str, int] = {}
        # What the page cites: its prose, and its figures' captions and alt texts (which Markdown fences
        # hide), since another figure's caption or alt may cite this snippet and must follow it too.
        options = "\n".join(t for other in embeds for t in (*other.options.caption, *other.options.alt))
        cited_text = self.state.texts.get(self.path, "") + "\n" + options

        def render_variant(result: RunResult, svg: str, fig_id: str, alt: str) -> str:
            picture, size = self._picture(result, result.figures[0], alt, page_relative=False)
            drawing_bytes[result.key] = size
            return picture  # what the script puts into the figure's box when a reader picks it

        def decorate(fig_id: str, caption: str, alt: str, rendered: str) -> tuple[str, str]:
            parts = scrub_parts(
                embed,
                results,
                fig_id=fig_id,
                page_text=cited_text,
                citer_for=citer_for,
                caption=caption,
                alt=alt,
                render_variant=render_variant,
                own=embed.snippet.path.removeprefix(prefix + "/"),
            )
            self.state.variant_files.update(parts.files)
            for point, variant in results.items():  # a variant costs its file and its drawings
                if fragment_label(point) in parts.sizes:
                    parts.sizes[fragment_label(point)] += drawing_bytes.get(variant.key, 0)
            problems = [budget_problem(embed.where, embed.snippet.path, parts.sizes, self.scrub_budget_kb)]
            for label, size in parts.sizes.items():
                name = f"{embed.snippet.path}[{label}]"
                problems.append(figure_problem(embed.where, name, fig_id, size, self.figure_budget_kb))
            self.state.budget_problems.update(dict.fromkeys(p for p in problems if p))
            return parts.attributes, parts.figure(rendered)

        return decorate
