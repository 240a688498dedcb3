"""Why a request failed: for good, for now (worth another try), or refused before it was made."""

from __future__ import annotations


class Failure(Exception):
    """A request that failed; ``reason`` says why in a few words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Transient(Failure):
    """A failure another attempt may mend (a dropped connection, a 429 or 5xx answer); wait
    ``delay`` seconds first when the server said so (``Retry-After``)."""

    def __init__(self, reason: str, delay: float | None = None):
        super().__init__(reason)
        self.delay = delay


class GaveUp(Failure):
    """Every attempt failed for a transient reason (the last reason, and how many attempts)."""


class UrlRefused(Failure):
    """A URL that may not be fetched; ``retryable`` when only the resolver failed for now."""

    def __init__(self, reason: str, retryable: bool = False):
        super().__init__(reason)
        self.retryable = retryable


class OutOfTime(Failure):
    """The fetch used up its total time (``--max-fetch-time``): not tried again."""


class Cancelled(Failure):
    """The fetch was stopped because the run is stopping (:meth:`Fetcher.cancel`)."""
