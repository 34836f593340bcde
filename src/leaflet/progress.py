"""Long work shown on a terminal: a bar while it runs, then one line saying what was done."""

from __future__ import annotations

import sys


class TerminalMeter:
    """A bar on stderr, drawn only on a terminal; `close(summary)` prints the summary line.

    Made in the worker that does the work: give the class itself (Options.meter).
    """

    def __init__(self, label: str, total: int, unit: str):
        from tqdm import tqdm

        tqdm.monitor_interval = 0  # no monitor thread: the offline voice forks this process
        self.label = label
        # disable=None: shown only on a terminal; the summary line says the same in a log
        self._bar = tqdm(total=total, desc=label, unit=unit, disable=None, leave=False,
                         file=sys.stderr)

    def update(self) -> None:
        self._bar.update()

    def close(self, summary: str | None = None) -> None:
        self._bar.close()
        if summary:
            print(f"{self.label}: {summary}", file=sys.stderr, flush=True)
