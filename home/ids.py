"""Database ids as people type them in URLs and forms."""


def is_id(value):
    """A database id as typed in a URL or a form: ASCII digits, at most 12 of them
    (str.isdigit() alone accepts "²", which int() refuses: a 500, not a 404; more
    digits overflow SQLite's integers)."""
    return isinstance(value, str) and 0 < len(value) <= 12 and value.isascii() and value.isdigit()
