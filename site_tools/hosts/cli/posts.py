"""The contributor's commands for posts: ``new``, ``import`` and ``check``.

``check`` runs every registered check (post validation first); other parts of site_tools add
theirs with :func:`register_check`, so one command reports every problem of the site.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path

import click

from site_tools.configfile import SiteConfig
from site_tools.hosts.cli.project_root import root_option, site_config
from site_tools.posts.document import PostReadError, relative_name
from site_tools.posts.import_fixes import ImportNotes
from site_tools.posts.importer import PostImportError, import_post
from site_tools.posts.site_config import SiteSettings, SiteSettingsError, load_site_settings
from site_tools.posts.validate import validate_post_file, validate_posts
from site_tools.posts.writer import (
    PostExistsError,
    post_filename,
    skeleton_post,
    slugify,
    write_new_file,
)

Check = Callable[[SiteConfig], Iterable[object]]


def post_problems(config: SiteConfig) -> list:
    return validate_posts(config.root, config)


_CHECKS: list[Check] = [post_problems]


def register_check(check: Check) -> None:
    """Add a check to ``site-tools check``; it gets the site's config and returns problems."""
    if check not in _CHECKS:
        _CHECKS.append(check)


def run_checks(config: SiteConfig) -> list[str]:
    """The messages of every registered check, in registration order."""
    return [str(problem) for check in _CHECKS for problem in check(config)]


def _settings(config: SiteConfig) -> SiteSettings:
    try:
        return load_site_settings(config.root, config)
    except SiteSettingsError as error:
        raise click.ClickException(str(error.problem)) from None


def _author(settings: SiteSettings, author: str | None) -> str:
    if author is None and settings.known_authors:
        return settings.known_authors[0]
    if author is None or author not in settings.known_authors:
        known = ", ".join(settings.known_authors) or "none"
        rel = relative_name(settings.authors_file, settings.root)
        raise click.UsageError(f"author {author!r} is not in {rel} (known: {known})")
    return author


author_option = click.option("--author", help="Author id from .authors.yml; default: the first.")


@click.command("new")
@click.argument("title")
@author_option
@root_option
def new_post(title: str, author: str | None, root: Path | None) -> None:
    """Write a post skeleton dated today, named after TITLE, and print its path."""
    config = site_config(root)
    project = config.root
    settings = _settings(config)
    if not title.strip():
        raise click.UsageError("the title is empty")
    today = dt.date.today()
    category = settings.allowed_categories[0] if settings.allowed_categories else "Blog"
    text = skeleton_post(title.strip(), date=today, author=_author(settings, author), category=category)
    path = settings.posts_dir / post_filename(today, slugify(title))
    try:
        write_new_file(path, text)
    except (PostExistsError, OSError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(relative_name(path, project))


@click.command("import")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--title", help="Title, for a file that has none (only with one FILE).")
@click.option("--date", "date_", type=click.DateTime(formats=["%Y-%m-%d"]), help="Date as YYYY-MM-DD.")
@click.option(
    "--unresolved",
    type=click.Choice(["keep", "drop"]),
    default="keep",
    show_default=True,
    help="Liquid tags and links to missing files: keep them (and fix them by hand) or drop them.",
)
@author_option
@root_option
def import_posts(  # noqa: PLR0917 (click passes every option)
    files: tuple[Path, ...],
    title: str | None,
    date_: dt.datetime | None,
    unresolved: str,
    author: str | None,
    root: Path | None,
) -> None:
    """Convert posts written for another blog engine into docs/blog/posts/.

    Reads Hugo-like, Jekyll, Docusaurus and Academic Pages front matter, or none at all, and
    reports what it dropped, guessed or found suspicious. Never overwrites a post.
    """
    if title is not None and len(files) > 1:
        raise click.UsageError("--title names one post; import such files one at a time")
    config = site_config(root)
    project = config.root
    settings = _settings(config)
    chosen_author = _author(settings, author) if author is not None else None
    failures = 0
    for file in files:
        try:
            imported = import_post(
                file,
                settings,
                title=title,
                date=date_.date() if date_ else None,
                author=chosen_author,
                unresolved=unresolved,
            )
            target = settings.posts_dir / imported.filename
            write_new_file(target, imported.text)
        except PostReadError as error:
            click.echo(f"not imported: {error.problem}", err=True)
            failures += 1
            continue
        except (PostImportError, PostExistsError, OSError) as error:
            click.echo(f"not imported: {file}: {error}", err=True)
            failures += 1
            continue
        click.echo(f"{relative_name(target, project)}  <- {file} ({imported.dialect})")
        _echo_notes(imported.notes)
        problems = validate_post_file(
            target,
            project_root=project,
            allowed_categories=settings.allowed_categories,
            known_authors=settings.known_authors,
            excerpt_separator=settings.excerpt_separator,
            links=settings.links,
        )
        for problem in problems:
            click.echo(f"  still to fix: {problem}")
        failures += bool(problems)
    if failures:
        raise SystemExit(1)


def _echo_notes(notes: ImportNotes) -> None:
    for kind in ("dropped", "guessed", "suspicious", "fixed"):
        for note in getattr(notes, kind):
            click.echo(f"  {kind}: {note}")


@click.command("check")
@root_option
def check(root: Path | None) -> None:
    """Validate every post (and whatever else is registered); exit 1 if anything is wrong."""
    messages = run_checks(site_config(root))
    for message in messages:
        click.echo(message)
    if messages:
        click.echo(f"{len(messages)} problem(s) found.", err=True)
        raise SystemExit(1)
    click.echo("No problems found.")
