"""A list's filter form drawn once for the same choices and filters, not on every request.

A list page draws its filter form on every request: a dozen fields, their
choices and their markup cost about as much as the page's rows. That markup is
a function of what the form's FilterSet names in `form_markup_key()`: the team,
every choice it offers, the filters asked for. The key holds those values
themselves, not a version of them, so that a renamed activity type or a new
quarter is a new key at once in every process, with nothing to invalidate, and
no team's key can be another's. A FilterSet whose form shows something the key
cannot hold (a chosen contact's name, read from the database) answers None and
its form is drawn afresh.

The markup is kept in the process: no round trip to a shared cache, and no
markup of an older release served by a newer one.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock

# Forms kept per process, the least recently drawn dropped first: a few teams' forms,
# each with a few filter combinations, of about 20 kB each.
SIZE = 256

_drawn: OrderedDict[Hashable, str] = OrderedDict()
_lock = Lock()


def drawn_form(key: Hashable | None, draw: Callable[[], str]) -> str:
    """The markup drawn for `key` before, else `draw()`'s, kept for the next request."""
    if key is None:
        return draw()
    with _lock:
        markup = _drawn.get(key)
        if markup is not None:
            _drawn.move_to_end(key)
            return markup
    markup = draw()
    with _lock:
        _drawn[key] = markup
        while len(_drawn) > SIZE:
            _drawn.popitem(last=False)
    return markup


def forget_drawn_forms() -> None:
    """Drop every kept form (for tests that count the queries of a first drawing)."""
    with _lock:
        _drawn.clear()
