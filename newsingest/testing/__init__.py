"""Helpers for tests and benchmarks, not for library users."""
