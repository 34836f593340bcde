"""Accessibility checks of built outputs: HTML, PDF, DOCX, EPUB, and the colours of the styles.

One module per job: `pdf.py` (PDF/UA-1 with pdfua and pikepdf), `docx.py` (Word's accessibility
checker rules), `html.py` (axe-core and keyboard, zoom and spacing checks in Chromium),
`epub.py` (EPUBCheck, DAISY Ace and the media overlays), `contrast.py` (colour pairs
of styles/), `report.py` (finding outputs and the table).
Every module returns `Result`s: one per output, with each named check and what it found.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Failure:
    """One problem a check found, with the page it is on when a page is known."""

    check: str
    message: str
    page: int | None = None

    def __str__(self) -> str:
        where = f" on page {self.page}" if self.page else ""
        return f"check '{self.check}'{where}: {self.message}"


@dataclass
class Result:
    """The checks run on one output and what each found; a check with no failure passed."""

    output: str
    checks: dict[str, list[Failure]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # artefacts written, things for a person

    def add(self, check: str, problems=()) -> None:
        """Record that `check` ran; `problems` are Failures or plain messages."""
        found = self.checks.setdefault(check, [])
        for problem in problems:
            found.append(problem if isinstance(problem, Failure) else Failure(check, str(problem)))

    @property
    def run(self) -> int:
        return len(self.checks)

    @property
    def passed(self) -> int:
        return sum(1 for failures in self.checks.values() if not failures)

    @property
    def failures(self) -> list[Failure]:
        return [failure for failures in self.checks.values() for failure in failures]

    @property
    def ok(self) -> bool:
        return self.run > 0 and not self.failures


def known_language(tag: str) -> bool:
    """Whether `tag` (en-GB, cy, ar) names a language that exists (Babel's CLDR data)."""
    from ..languages import is_known

    return is_known(tag)
