"""Stet: watch news sites, keep every version of every article, show what changed."""

__version__ = "0.1.0"
