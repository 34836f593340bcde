"""Find every output in a build folder by its file type, check it, and print one table."""

from __future__ import annotations

from pathlib import Path

from ..paths import STYLES
from . import Result

KINDS = (".pdf", ".docx", ".html", ".epub")


def outputs(folder: Path) -> dict[str, list[Path]]:
    """The outputs under `folder` by suffix, whatever the leaflet or language; review
    screenshots, hidden and temporary files are not outputs."""
    found: dict[str, list[Path]] = {kind: [] for kind in KINDS}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).parts
        if (path.suffix in found and path.is_file() and "review" not in relative[:-1]
                and not any(part.startswith(".") for part in relative)):
            found[path.suffix].append(path)
    return found


def audit_outputs(folder: Path, styles: Path = STYLES, review: bool = True) -> list[Result]:
    """Every check of every output in `folder`, and of the colours in `styles`."""
    from .contrast import audit_styles
    from .docx import audit_docx
    from .epub import audit_epubs
    from .html import audit_html
    from .pdf import audit_pdf

    found = outputs(folder)
    results = [audit_styles(styles, "styles/*.css" if styles == STYLES else f"{_shown(styles)}/*.css")]
    results += [audit_pdf(path, str(path)) for path in found[".pdf"]]
    results += [audit_docx(path, str(path)) for path in found[".docx"]]
    results += audit_html(found[".html"], review=review)
    results += audit_epubs(found[".epub"])
    return results


def table(results: list[Result]) -> str:
    """A Markdown table: output, checks run, checks passed, and a total line."""
    rows = [("output", "checks run", "checks passed")]
    rows += [(result.output, str(result.run), str(result.passed)) for result in results]
    rows.append(("total", str(sum(r.run for r in results)), str(sum(r.passed for r in results))))
    widths = [max(len(row[column]) for row in rows) for column in range(3)]

    def line(row):
        return "| " + " | ".join([row[0].ljust(widths[0]), row[1].rjust(widths[1]),
                                  row[2].rjust(widths[2])]) + " |"

    rule = f"| {'-' * widths[0]} | {'-' * (widths[1] - 1)}: | {'-' * (widths[2] - 1)}: |"
    return "\n".join([line(rows[0]), rule, *map(line, rows[1:])])


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
