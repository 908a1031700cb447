"""Stet's own exceptions: every one derives from StetError."""


class StetError(Exception):
    """Base class for errors Stet reports to the user in one line."""


class ConfigError(StetError):
    """A sources file, option or setting is wrong (exit status 2)."""


class ArchiveError(StetError):
    """The archive cannot be opened or written (exit status 2)."""
