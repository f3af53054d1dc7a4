"""Swedish sorting (… X, Y, Z, Å, Ä, Ö): an ICU collation on PostgreSQL, a Python collation on SQLite."""

from django.db.models import F
from django.db.models.functions import Collate

COLLATION = "sv"

# After z come å, ä, ö; accented letters sort with their base letter.
_ORDER = str.maketrans({"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}", "é": "e", "è": "e", "ü": "y", "á": "a"})


def swedish_key(value: str) -> tuple[str, str]:
    return (value.casefold().translate(_ORDER), value)


def _sqlite_collate(a: str, b: str) -> int:
    ka, kb = swedish_key(a), swedish_key(b)
    return (ka > kb) - (ka < kb)


def register_sqlite_collation(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_collation(COLLATION, _sqlite_collate)


def swedish(field: str):
    """An order_by expression that sorts the field the Swedish way on both databases."""
    return Collate(F(field), COLLATION)
