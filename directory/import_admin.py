"""Wagtail admin: bulk import of associations."""
