"""The ``convert`` command's progress display: one labelled bar per phase, each with an ETA.

Phases: ``indexing`` (pass 1: items read of the estimate, when the inputs allow one),
``converting`` (pass 2: documents of the index's total, known from its first moment),
``downloading media`` (files of the media phase's total), and ``fetching`` for a live site.
The callbacks are those :func:`migrator.convert` takes.
"""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn, TimeElapsedColumn
from rich.text import Text

from .output.media import ProgressCallback, media_task


class EtaColumn(ProgressColumn):
    """``ETA 0:01:23`` while a task with a total runs; nothing before its total is known."""

    max_refresh = 0.5

    def render(self, task: Task) -> Text:
        if task.finished or task.total is None:
            return Text("")
        remaining = task.time_remaining
        if remaining is None:
            return Text("ETA …", style="progress.remaining")
        minutes, seconds = divmod(int(remaining + 0.5), 60)
        hours, minutes = divmod(minutes, 60)
        return Text(f"ETA {hours}:{minutes:02d}:{seconds:02d}", style="progress.remaining")


def progress_bar(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description:<18}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        EtaColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


class ConvertDisplay:
    """The callbacks of one ``convert`` run, drawing on ``bar``."""

    def __init__(self, bar: Progress) -> None:
        self.bar = bar
        self.indexing = None
        self.converting = None

    def index(self, done: int, total: int | None) -> None:
        if self.indexing is None:
            self.indexing = self.bar.add_task("indexing", total=total, rate="")
        if total is not None and done > total:
            total = None  # the estimate was short: no bar rather than a wrong one
        self.bar.update(self.indexing, completed=done, total=total, rate=f"{done:,} items read")

    def convert(self, done: int, total: int) -> None:
        if self.converting is None:
            if self.indexing is not None:  # pass 1 is over: its bar shows it done
                task = self.bar.tasks[self.indexing]
                self.bar.update(self.indexing, total=task.completed, completed=task.completed)
            self.converting = self.bar.add_task("converting", total=total, rate="")
        speed = self.bar.tasks[self.converting].speed
        self.bar.update(self.converting, completed=done, total=total, rate=f"{speed:,.0f} items/s" if speed else "")

    def media(self) -> ProgressCallback:
        return media_task(self.bar, "downloading media")

    def fetch(self, done: int, total: int | None) -> None:
        """Reading a live site (items fetched of X-WP-Total, or pages crawled)."""
        if not hasattr(self, "_fetching"):
            self._fetching = self.bar.add_task("fetching", total=None, rate="")
        self.bar.update(self._fetching, completed=done, total=total)
