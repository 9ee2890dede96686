"""Errors a user can cause and fix. Each prints as one line, never as a traceback: the
command line catches :class:`ResettleError` in one place (``resettle.cli.main``).

``ResettleError`` is a ``ValueError``, so code that guards against bad values catches it too.
:func:`reason` words an ``OSError`` for such a line.
"""

from __future__ import annotations

import errno
from typing import Self


class ResettleError(ValueError):
    """A user's mistake. The message names the file or option, the key and what is allowed."""

    def with_file(self, path: object) -> Self:
        """The same error, prefixed with the file it came from (once)."""
        text = str(self)
        prefix = f"{path}: "
        return type(self)(text if text.startswith(prefix) else prefix + text)


class ScenarioError(ResettleError):
    """An invalid scenario file, sweep specification, parameter value or argument."""


class OutputError(ResettleError):
    """An output directory that cannot be used (it exists and is not empty, say)."""


class FontError(ResettleError):
    """No font with Chinese glyphs is installed (``--lang zh``)."""


class SchedulerError(ResettleError):
    """A Dask scheduler that cannot be used (not installed, or not reachable in time)."""


class SweepError(ResettleError):
    """A sweep directory in the wrong state: not a sweep, not finished, or made otherwise."""


class RunFailure(Exception):
    """A run that failed for a reason outside the user's input (its worker process died twice,
    say): one line and exit status 1, with nothing written."""


def reason(err: OSError) -> str:
    """An OSError as a short reason for a one-line message: 'No space left on device
    (ENOSPC)'."""
    code = errno.errorcode.get(err.errno or 0)
    text = err.strerror or type(err).__name__
    return f"{text} ({code})" if code else text
