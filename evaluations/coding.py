"""Coding: where a passage lies in a source's text, how coded passages are drawn, and how
they follow their words when the text is corrected.

Offsets count characters (Unicode code points) from the start of the source's
text, as Python's `str` does; the page's script counts the same way. An
excerpt's offsets are its own: adding, changing or removing other excerpts
never moves it. Only a change of the text itself does, through
`replace_text()`, which finds each coded passage again by its words.
"""

import re
from dataclasses import dataclass, field
from itertools import pairwise

from django.db import transaction
from django.utils.html import escape
from django.utils.safestring import mark_safe

from evaluations.colours import colour_class

# How much text around a passage is shown to tell its occurrences apart.
CONTEXT = 40


@dataclass
class Passage:
    start: int
    end: int
    text: str


def trimmed(text, start, end):
    """The passage `start`–`end` without the spaces and line breaks at its edges."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Passage(start, end, text[start:end])


def _pattern(quote):
    """A pattern for `quote` that allows any run of spaces or line breaks between words."""
    words = quote.split()
    return re.compile(r"\s+".join(re.escape(word) for word in words)) if words else None


def occurrences(text, quote):
    """Every place `quote` appears in `text`, as Passages, in order (spacing may differ)."""
    pattern = _pattern(quote)
    if pattern is None:
        return []
    found = []
    position = 0
    while (match := pattern.search(text, position)) is not None:
        found.append(Passage(match.start(), match.end(), match.group()))
        position = match.start() + 1
    return found


def context_of(text, passage):
    """(before, passage, after): the passage with a little text either side, for choosing."""
    before = text[max(0, passage.start - CONTEXT) : passage.start]
    after = text[passage.end : passage.end + CONTEXT]
    return (("…" if passage.start > CONTEXT else "") + before, passage.text, after + "…")


def nearest(passages, position):
    """The passage starting nearest to `position` (the first of two equally near)."""
    return min(passages, key=lambda passage: abs(passage.start - position), default=None)


# Drawing the text with its coded passages -------------------------------------------------------


@dataclass
class Segment:
    """A run of the text covered by the same excerpts (none: plain text)."""

    start: int
    end: int
    excerpts: list = field(default_factory=list)
    opens: list = field(default_factory=list)  # excerpts that start here


def segments(text, excerpts):
    """The text cut wherever a coded passage starts or ends; overlapping passages are allowed."""
    length = len(text)
    placed = [e for e in excerpts if 0 <= e.start < e.end <= length]
    bounds = sorted({0, length, *(e.start for e in placed), *(e.end for e in placed)})
    result = []
    for start, end in pairwise(bounds):
        covering = [e for e in placed if e.start <= start and e.end >= end]
        opens = [e for e in placed if e.start == start]
        result.append(Segment(start, end, covering, opens))
    return result


def _themes_of(excerpt):
    """The excerpt's themes (none for one not saved yet)."""
    if excerpt._state.adding:
        return []
    return list(excerpt.themes.all())


def highlighted(text, excerpts, colours=None):
    """The source's text as HTML with each coded passage in a <mark>.

    Nothing but the text's own characters is written between the tags (the
    anchors are empty), so the page's script can count offsets in the DOM. A
    passage's anchor carries its themes' names (`data-label`, drawn by the style
    sheet before the passage, and read by screen readers), and each mark its
    themes' names in `title`: colour is never the only sign of a code. A mark takes
    the colour of the first theme of the first passage covering it; where passages
    overlap, it is underlined in the colour of the second and marked `overlap`.
    """
    colours = colours or {}
    html = []
    for segment in segments(text, excerpts):
        for e in segment.opens:
            themes = _themes_of(e)
            label = escape("; ".join(theme.label for theme in themes))
            colour = colour_class(colours, themes[0].pk) if themes else "theme-c0"
            html.append(
                f'<span id="passage-{e.pk}" class="passage-anchor code-label {colour}" '
                f'data-label="{label}"></span>'
            )
        words = escape(text[segment.start : segment.end])
        if segment.excerpts:
            ids = " ".join(str(e.pk) for e in segment.excerpts)
            depth = min(len(segment.excerpts), 3)
            firsts = [(_themes_of(e) or [None])[0] for e in segment.excerpts]
            classes = ["code-mark", f"depth-{depth}"]
            classes.append(colour_class(colours, firsts[0].pk) if firsts[0] else "theme-c0")
            if len(segment.excerpts) > 1:
                second = firsts[1]
                classes += ["overlap", "under-" + colour_class(colours, second.pk if second else 0)]
            names = sorted({theme.label for e in segment.excerpts for theme in _themes_of(e)})
            title = escape("; ".join(names))
            html.append(
                f'<mark class="{" ".join(classes)}" title="{title}" '
                f'data-excerpts="{ids}">{words}</mark>'
            )
        else:
            html.append(words)
    return mark_safe("".join(html))


# Correcting a coded source's text ----------------------------------------------------------------


def _common_prefix(a, b):
    limit = min(len(a), len(b))
    index = 0
    while index < limit and a[index] == b[index]:
        index += 1
    return index


def reanchor(old_text, new_text, excerpts):
    """Where each excerpt's words are in `new_text`: ({excerpt: Passage}, [excerpts lost]).

    An excerpt whose words are still at its offsets stays; otherwise it moves to
    the occurrence of its words nearest to where the edit would have put it
    (text inserted or removed before a passage shifts it by that much).
    """
    shift = len(new_text) - len(old_text)
    unchanged_before = _common_prefix(old_text, new_text)
    moved, lost = {}, []
    for excerpt in excerpts:
        if new_text[excerpt.start : excerpt.end] == excerpt.text:
            continue
        expected = excerpt.start + (shift if excerpt.start >= unchanged_before else 0)
        found = [p for p in occurrences(new_text, excerpt.text) if p.text == excerpt.text]
        passage = nearest(found, expected)
        if passage is None:
            lost.append(excerpt)
        else:
            moved[excerpt] = passage
    return moved, lost


@transaction.atomic
def replace_text(source, new_text, moved):
    """Save `new_text` as the source's text and move excerpts as `reanchor()` found them."""
    source.text = new_text
    source.save()
    for excerpt, passage in moved.items():
        excerpt.start, excerpt.end = passage.start, passage.end
        excerpt.save(update_fields=["start", "end", "updated_at"])
