"""The framework as a codebook: each theme's plain code, its colour and its GUID.

A theme's code (`theme_code`) is its name in lower case ASCII letters, digits and
underscores (`impact`), a sub-theme's its theme's code, two underscores and its own
(`impact__policy_change`): a column name that R, Stata and pandas take as it is, which
stays the same when themes are reordered. Names that come out alike get `_2`, `_3`, ... in
framework order. A theme's colour is the one the coding screen highlights it in
(`evaluations/colours.py`), so that another program shows the codes as the evaluators saw
them.
"""

import re
import unicodedata
import uuid
from dataclasses import dataclass

from evaluations.colours import HEX, theme_colours

# GUIDs of a study's records are derived from this namespace and the records' ids, so that
# exporting a study twice gives the same GUIDs.
NAMESPACE = uuid.UUID("5b0e8a64-3c6f-4d5e-9a55-8f1e4f0a1c2d")


def guid(kind, pk):
    """The stable GUID of record `pk` of `kind` ("theme", "source", ...) in the exports."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{pk}"))


def slug(name):
    """`name` as lower-case ASCII letters, digits and single underscores."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")
    if not text or text[0].isdigit():
        text = f"t_{text}".rstrip("_")
    return text


@dataclass(frozen=True)
class Entry:
    """One theme of the codebook."""

    theme: object
    code: str
    colour: str
    parent_code: str


def entries(themes):
    """The codebook of `themes`, given in framework order with their parents loaded."""
    themes = list(themes)
    on_screen = theme_colours(themes)
    codes, colours, taken, result = {}, {}, set(), []
    for theme in themes:
        if theme.parent_id is None:
            base = slug(theme.name)
        else:
            parent_code = codes.get(theme.parent_id) or slug(theme.parent.name)
            base = f"{parent_code}__{slug(theme.name)}"
        colours[theme.pk] = HEX[on_screen[theme.pk]]
        code, number = base, 1
        while code in taken:
            number += 1
            code = f"{base}_{number}"
        taken.add(code)
        codes[theme.pk] = code
        parent = codes.get(theme.parent_id, "") if theme.parent_id else ""
        result.append(Entry(theme, code, colours[theme.pk], parent))
    return result


def codes(themes):
    """{theme id: theme_code} of `themes` in framework order."""
    return {entry.theme.pk: entry.code for entry in entries(themes)}
