"""The docs cannot drift from the code.

- Every command of ``archiver.cli.cli`` (groups and their subcommands, walked
  recursively) has a section in ``docs/commands.md`` whose heading is its full name
  (``## archiver crawl``, ``### archiver jobs add``), and every option of the command
  (each long and short name, both sides of a ``--flag/--no-flag`` pair; ``--help``
  aside) appears, in backquotes, inside that section — not merely somewhere in the
  docs, so an option documented under another command does not count.  The options of
  the top-level ``archiver`` group go in the page's introduction.
- Every ``ARCHIVER_*`` setting of ``archiver/crawl/settings.py`` is in ``docs/settings.md``.
- Every table and view of a new archive, and each of their columns, is in
  ``docs/archive-schema.md``.
- The README opens with the two set-up commands, stays well under 15 KB, and every
  relative link of the README and of docs/*.md points at a file (and heading)
  that exists.

Failure messages name exactly what is missing and where it goes.
"""

from __future__ import annotations

import re
from pathlib import Path

import click

from archiver import store
from archiver.cli import cli
from archiver.crawl import settings as archiver_settings
from tests.conftest import ROOT

DOCS = ROOT / "docs"
README = ROOT / "README.md"
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*$", re.MULTILINE)


def commands(group: click.Group, prefix: str = "archiver") -> list[tuple[str, click.Command]]:
    """Every command and group under ``group``, depth first, with its full name."""
    found: list[tuple[str, click.Command]] = []
    for name in sorted(group.commands):
        command = group.commands[name]
        if command.hidden:
            continue
        path = f"{prefix} {name}"
        found.append((path, command))
        if isinstance(command, click.Group):
            found.extend(commands(command, path))
    return found


def option_names(command: click.Command) -> list[str]:
    names: list[str] = []
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            names.extend(
                n for n in (*param.opts, *param.secondary_opts) if n not in ("--help", "-h")
            )
    return names


def headings(text: str) -> list[tuple[int, int, int, str]]:
    """(start, end, level, title) of each Markdown heading outside fenced code blocks."""
    found, fenced, offset = [], False, 0
    for line in text.splitlines(keepends=True):
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and (m := HEADING.match(line)):
            found.append((offset, offset + len(line), len(m.group(1)), m.group(2)))
        offset += len(line)
    return found


def sections(text: str) -> dict[str, str]:
    """Heading text -> the text under it, down to the next heading of the same or a
    higher level (subsections included)."""
    heads = headings(text)
    out: dict[str, str] = {}
    for i, (_, end_of_head, level, title) in enumerate(heads):
        end = next((h[0] for h in heads[i + 1 :] if h[2] <= level), len(text))
        out[title.strip("` ")] = text[end_of_head:end]
    return out


def mentions(text: str, name: str) -> bool:
    """``name`` appears in backquotes, alone or at the start of a code span
    (`--max-pages N`, `-q`, `--autothrottle / --no-autothrottle`)."""
    return (
        re.search(r"`[^`\n]*(?<![\w-])" + re.escape(name) + r"(?![\w-])[^`\n]*`", text) is not None
    )


def missing_from_commands_page(text: str) -> list[str]:
    """One line per command or option of the CLI that docs/commands.md does not document."""
    problems: list[str] = []
    by_heading = sections(text)
    heads = headings(text)
    intro = text[: heads[1][0]] if len(heads) > 1 else text
    for name in option_names(cli):
        if not mentions(intro, name):
            problems.append(
                f"option {name} of `archiver`: add it to the introduction of docs/commands.md"
            )
    for path, command in commands(cli):
        section = by_heading.get(path)
        if section is None:
            problems.append(
                f"command `{path}`: add a section headed `## {path}` (or ###) to docs/commands.md"
            )
            continue
        for name in option_names(command):
            if not mentions(section, name):
                problems.append(
                    f"option {name} of `{path}`: add it to the `{path}` section of docs/commands.md"
                )
    return problems


def test_every_command_and_option_is_in_the_commands_page() -> None:
    problems = missing_from_commands_page((DOCS / "commands.md").read_text("utf-8"))
    assert not problems, "docs/commands.md is missing:\n" + "\n".join(problems)


def test_the_check_notices_a_missing_option() -> None:
    """The check itself: an option dropped from the page is reported by name."""
    text = (DOCS / "commands.md").read_text("utf-8")
    crawl = sections(text)["archiver crawl"]
    assert "`--max-pages" in crawl
    broken = text.replace(crawl, crawl.replace("--max-pages", "--most-pages"))
    assert (
        "option --max-pages of `archiver crawl`: add it to the `archiver crawl` section "
        "of docs/commands.md"
    ) in missing_from_commands_page(broken)


def test_every_setting_is_in_the_settings_page() -> None:
    text = (DOCS / "settings.md").read_text("utf-8")
    missing = [
        name
        for name in dir(archiver_settings)
        if name.startswith("ARCHIVER_") and f"`{name}`" not in text
    ]
    assert not missing, (
        "docs/settings.md is missing the setting(s) "
        + ", ".join(missing)
        + " of archiver/crawl/settings.py"
    )


def test_every_table_and_column_is_in_the_schema_page(tmp_path: Path) -> None:
    text = (DOCS / "archive-schema.md").read_text("utf-8")
    db = store.open_db(tmp_path / "archive.db")
    try:
        names = [
            r[0]
            for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'documents_fts_%' ORDER BY name"
            )
        ]
        missing = []
        for name in names:
            if f"`{name}`" not in text and name not in sections(text):
                missing.append(f"table {name}")
            if name == "documents_fts":
                continue
            for row in db.execute(f'PRAGMA table_info("{name}")'):
                if f"`{row[1]}`" not in text:
                    missing.append(f"column {name}.{row[1]}")
    finally:
        db.close()
    assert not missing, "docs/archive-schema.md is missing: " + ", ".join(missing)


def test_readme_is_short_and_opens_with_the_two_setup_commands() -> None:
    text = README.read_text("utf-8")
    assert len(text.encode()) < 15_000, "the README is for newcomers: reference goes to docs/"
    block = text.split("```sh", 1)[1].split("```", 1)[0].strip().splitlines()
    assert [line.split("#")[0].strip() for line in block] == [
        "python3 tasks.py demo",
        "python3 tasks.py test",
    ]
    assert "python3 tasks.py test" in (ROOT / ".ci" / "run").read_text()


def anchors(page: Path) -> set[str]:
    """The anchors GitHub makes of a page's headings."""
    return {
        re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")
        for _, _, _, title in headings(page.read_text("utf-8"))
    }


def test_relative_links_point_at_files_and_headings_that_exist() -> None:
    broken = []
    for page in [README, *sorted(DOCS.glob("*.md"))]:
        for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text("utf-8")):
            if re.match(r"[a-z]+:", target):
                continue
            path, _, anchor = target.partition("#")
            file = page.parent / path if path else page
            if not file.exists() or (anchor and anchor not in anchors(file)):
                broken.append(f"{page.relative_to(ROOT)} -> {target}")
    assert not broken, "broken links: " + ", ".join(broken)
