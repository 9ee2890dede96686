"""Errors a user can cause and fix: each prints as one line, never as a traceback."""


class ScenarioError(ValueError):
    """An invalid scenario or argument. The message names the file, the key and what is allowed."""

    def with_file(self, path: object) -> "ScenarioError":
        """The same error, prefixed with the file it came from (once)."""
        text = str(self)
        prefix = f"{path}: "
        return ScenarioError(text if text.startswith(prefix) else prefix + text)
