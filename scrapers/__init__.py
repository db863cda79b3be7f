"""Polite fetching, list discovery and page extraction for government report columns."""
