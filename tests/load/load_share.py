"""One patient's submission over HTTP (bench/client.share_once), its story remembered by the
log watch so that no log line may carry it."""

from __future__ import annotations

from bench.client import share_once as _share_once
from bench.client import story_of
from tests.load import logwatch

__all__ = ["share_once", "story_of"]


def share_once(host: str, number: int) -> str:
    """The receipt token of a new story; raises if the site did not acknowledge it."""
    token, story = _share_once(host, number)
    logwatch.remember(story, token)
    return token
