"""Put results into one page: code blocks in its Markdown, figures and output into its HTML.

Executable fences are replaced in ``on_page_markdown`` by the source block and a slot comment; the
slot becomes HTML in ``on_page_content``, after Markdown has run, so an SVG never goes through it.
"""

from __future__ import annotations

import textwrap

from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from site_tools.engine import Embed, Engine
from site_tools.engine.discover import Fence, is_embed, is_inline_exec, iter_fences
from site_tools.mkdocs_plugin.build_state import BuildState, embed_error, inline_figure
from site_tools.render.budgets import figure_problem
from site_tools.render.html import not_run_html, output_html, problem_markdown, source_markdown
from site_tools.render.snippet_notes import notes_html

SLOT = "<!-- site-tools:slot:{} -->"


class PageRenderer:
    def __init__(
        self,
        state: BuildState,
        engine: Engine,
        page: Page,
        *,
        show_problems: bool,
        show_warnings: bool = False,
        figure_budget_kb: int = 0,
    ) -> None:
        self.state = state
        self.engine = engine
        self.page = page
        self.path = state.page_path(page.file.src_uri)
        self.scan = state.collection.pages.get(self.path)
        self.show_problems = show_problems
        self.show_warnings = show_warnings
        self.figure_budget_kb = figure_budget_kb

    def markdown(self, markdown: str) -> str:
        """Replace each executable fence (and, while serving, each broken one) in the page's Markdown."""
        if self.scan is None or not (self.scan.embeds or self.scan.problems):
            return markdown
        # MkDocs hands over the body without its front matter: shift file lines by what was removed.
        offset = len(self.state.texts[self.path].split("\n")) - len(markdown.split("\n"))
        fences = {
            fence.start + offset: fence
            for fence in iter_fences(markdown)
            if is_embed(fence.info) or is_inline_exec(fence.info)
        }
        replacements: dict[int, tuple[Fence, str]] = {}
        for index, embed in enumerate(self.scan.embeds):
            if embed.start not in fences:
                raise PluginError(f"site_tools: {embed.where}: lost track of this code block while rendering")
            replacements[embed.start] = (fences[embed.start], self._embed_markdown(embed, index))
        if self.show_problems:
            for problem in self.scan.problems:
                for start, fence in fences.items():
                    if start <= (problem.line or 0) <= fence.end + offset:
                        title = f"This block cannot run: {problem.path}:{problem.line}"
                        shown = problem_markdown(title, problem.message)
                        # A block that runs but breaks a page rule (a duplicate id) shows both.
                        below = replacements[start][1] if start in replacements else ""
                        replacements[start] = (fence, f"{shown}\n{below}" if below else shown)
        lines = markdown.split("\n")
        for fence, text in sorted(replacements.values(), key=lambda item: -item[0].start):
            lines[fence.start - 1 : fence.end] = textwrap.indent(text, fence.indent, lambda _: True).split(
                "\n"
            )
        return "\n".join(lines)

    def _embed_markdown(self, embed: Embed, index: int) -> str:
        error = embed_error(embed, self.engine.result(embed.snippet))
        parts = [source_markdown(embed)]
        if error is not None:
            parts.append(problem_markdown(f"Snippet failed: {embed.snippet.name}", error))
        else:
            parts.append(SLOT.format(index) + "\n")
        return "\n".join(part for part in parts if part)

    def content(self, html: str) -> str:
        if self.scan is None:
            return html
        taken: set[str] = set()
        for index, embed in enumerate(self.scan.embeds):
            slot = SLOT.format(index)
            if slot not in html:
                continue
            html = html.replace(slot, self._output(embed, taken), 1)
        return html

    def _output(self, embed: Embed, taken: set[str]) -> str:
        result = self.engine.result(embed.snippet)
        if result is None or result.status == "not-run":
            return not_run_html(embed)
        downloads = tuple(
            (label, get_relative_url(uri, self.page.url))
            for label, uri in self.state.downloads.get(embed.snippet.path, ())
        )
        sizes: list[tuple[str, int]] = []

        def measured(svg: str, fig_id: str, alt: str) -> str:
            inline = inline_figure(svg, fig_id, alt)
            sizes.append((fig_id, len(inline.encode())))
            return inline

        output = output_html(
            embed,
            result,
            render_figure=measured,
            taken_ids=taken,
            downloads=downloads,
        )
        for fig_id, size in sizes:
            problem = figure_problem(embed.where, embed.snippet.name, fig_id, size, self.figure_budget_kb)
            if problem:
                self.state.budget_problems[problem] = None
        return output + (notes_html(result) if self.show_warnings else "")
