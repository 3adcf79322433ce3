"""What one build knows: every page's embeds, the problems found, and the files it generates."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from site_tools.engine import Collection, Engine, Snippet
from site_tools.engine.deps import local_dependencies
from site_tools.problems import Problem
from site_tools.render.downloads import bundled_script, script_notebook
from site_tools.render.report import report_markdown

DOWNLOADS_DIR = "downloads"


@dataclass
class BuildState:
    engine: Engine
    collection: Collection
    docs_prefix: str  # the docs folder, relative to the repository root
    texts: dict[str, str] = field(default_factory=dict)  # page -> its Markdown as read
    problems: list[Problem] = field(default_factory=list)
    downloads: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)  # snippet -> (label, src_uri)

    @classmethod
    def collect(cls, engine: Engine, files: Files, config: MkDocsConfig, *, notebooks: list[str]) -> BuildState:
        root = engine.config.root
        docs_prefix = Path(config.docs_dir).resolve().relative_to(root).as_posix()
        pages = {}
        for file in files.documentation_pages():
            if file.abs_src_path is None or not file.src_uri.endswith(".md"):
                continue
            text = Path(file.abs_src_path).read_bytes().decode("utf-8", errors="replace")
            pages[posixpath.join(docs_prefix, file.src_uri)] = text
        collection = engine.scan(pages)
        return cls(engine, collection, docs_prefix, pages, list(collection.problems))

    def add_problems(self, problems: list) -> None:
        self.problems.extend(problems)

    def page_path(self, src_uri: str) -> str:
        return posixpath.join(self.docs_prefix, src_uri)

    def snippets(self) -> list[Snippet]:
        return [embed.snippet for embed in self.collection.embeds]

    def errors(self) -> list[str]:
        """Every problem and every failed snippet, each naming the file and line to fix."""
        messages = [str(problem) for problem in self.problems]
        reported: set[str] = set()
        for embed in self.collection.embeds:
            result = self.engine.result(embed.snippet)
            if result is None or result.ok or result.status == "not-run" or result.key in reported:
                continue
            reported.add(result.key)
            messages.append(failure_message(embed.where, embed.snippet.name, result))
        return messages

    def generate_files(self, files: Files, config: MkDocsConfig, *, report_page: str) -> None:
        """Add the download files of each embedded snippet and the execution report page."""
        root = self.engine.config.root
        for embed in self.collection.embeds:
            snippet = embed.snippet
            if snippet.kind != "file" or snippet.path in self.downloads:
                continue
            code = snippet.cells[0].code
            helpers = {
                module.name: module.read_text(encoding="utf-8")
                for module in local_dependencies(code, self.engine.config.snippets_dir)
            }
            stem = posixpath.splitext(posixpath.basename(snippet.path))[0]
            script = bundled_script(code, helpers, source=snippet.path)
            notebook = script_notebook(code, helpers, source=snippet.path)
            entries = ((f"{stem}.py", script), (f"{stem}.ipynb", notebook))
            links = []
            for name, content in entries:
                uri = f"{DOWNLOADS_DIR}/{name}"
                if files.get_file_from_path(uri) is None:
                    files.append(File.generated(config, uri, content=content))
                links.append((name, uri))
            self.downloads[snippet.path] = tuple(links)
        if report_page:
            rows = [(embed, self.engine.result(embed.snippet)) for embed in self.collection.embeds]
            content = report_markdown(rows, root=root)
            existing = files.get_file_from_path(report_page)
            if existing is not None:
                files.remove(existing)
            files.append(File.generated(config, report_page, content=content))


def failure_message(where: str, name: str, result) -> str:
    location = f" at {result.error_location}" if result.error_location else ""
    details = (result.error or "").rstrip()
    return f"{where}: snippet {name} failed ({result.status}){location}:\n{details}"
