"""Test support code shared by the test packages (imported, unlike conftest.py)."""
