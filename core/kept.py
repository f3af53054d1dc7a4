"""Rendered fragments kept in this process, by a key that names the rows and the version of them.

A page part that is the same for every visitor until someone changes its rows (a list of a few thousand people on a
form, the organisation chart, a long table of seats) is built once per version and then served from here. The key
must change whenever what the fragment shows can change: build it from the rows' newest history row, their count and
highest id, and the day where dates decide what is shown (see PersonQuerySet.options_version, BodyQuerySet.chart_version).
Nothing personal goes in: a fragment is the same for everyone who may see the page. What is computed from rows that
never change (two DocumentVersions compared, documents.compare.versions_compared) is keyed by their pks alone.

Bounded: when full, the oldest key goes first. Each worker keeps its own; a stale key is never asked for again.
"""

from collections.abc import Callable

_KEPT: dict[str, object] = {}
MAX_KEPT = 256


def _keep[T](store: dict[str, object], bound: int, key: str, build: Callable[[], T]) -> T:
    try:
        return store[key]  # type: ignore[return-value]
    except KeyError:
        pass
    value = build()
    while len(store) >= bound:
        store.pop(next(iter(store)))
    store[key] = value
    return value


def kept[T](key: str, build: Callable[[], T]) -> T:
    """The fragment under `key`, built by `build()` the first time the key is asked for."""
    return _keep(_KEPT, MAX_KEPT, key, build)


def is_kept(key: str) -> bool:
    return key in _KEPT or key in _PERSONAL or key in _LARGE


# What one user sees (the start page's "Väntar på dig", core.waiting.rendered) is kept apart, under keys that name the
# user, so that many users' pages never push out the fragments everyone shares.
_PERSONAL: dict[str, object] = {}
MAX_PERSONAL = 128


def kept_personal[T](key: str, build: Callable[[], T]) -> T:
    """Like `kept`, for a fragment only one user sees; `key` must name that user."""
    return _keep(_PERSONAL, MAX_PERSONAL, key, build)


def forget_personal() -> None:
    """Empty the store of personal fragments only (a test that counts what building them costs)."""
    _PERSONAL.clear()


# A large value that every pair of rows makes anew (two versions of a long document compared: a few hundred KB for a
# 40-page routine) is kept apart under a small bound, so that such values never push out the small fragments everyone
# shares, and a worker never holds more than a few of them.
_LARGE: dict[str, object] = {}
MAX_LARGE = 16


def kept_large[T](key: str, build: Callable[[], T]) -> T:
    """Like `kept`, for a large value (documents.compare.versions_compared)."""
    return _keep(_LARGE, MAX_LARGE, key, build)


def forget_all() -> None:
    """Empty the stores (tests do this before each test, since their databases reuse ids)."""
    _KEPT.clear()
    _PERSONAL.clear()
    _LARGE.clear()
