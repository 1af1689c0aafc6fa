"""Podium: run an expert lecture series as webinars, from planning to the published report."""

__version__ = "0.1.0"
