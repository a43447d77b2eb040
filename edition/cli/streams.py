"""The command's output streams when their reader goes away: `build.py build 2>&1 | head -1`.

Input: sys.stdout and sys.stderr. Output: the same streams, wrapped so that a write to a pipe
whose reader has closed sends the rest of the command's output to /dev/null instead of raising
BrokenPipeError, which stopped a build at its next progress line and left no output. The build
goes on and its exit status says how it went; only lines nobody could read are lost.
"""

from __future__ import annotations

import contextlib
import os
from typing import Any, TextIO


class Unbroken:
    """A text stream that, once its pipe is broken, writes to /dev/null (on the same descriptor, so
    what is still in its buffer and what child processes inherit go there too)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            self._mute()
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._mute()

    def _mute(self) -> None:
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, self._stream.fileno())
        finally:
            os.close(null)
        with contextlib.suppress(OSError, ValueError):
            self._stream.flush()  # what the failed write left in the buffer, now to /dev/null

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def guard(stream: TextIO) -> TextIO:
    """`stream` wrapped, when it is a real file descriptor (not a test's capture)."""
    try:
        stream.fileno()
    except (OSError, ValueError, AttributeError):
        return stream
    return Unbroken(stream)  # type: ignore[return-value]
