"""Wagtail admin: the review queue of applications to join."""
