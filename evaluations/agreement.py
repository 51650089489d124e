"""Inter-coder agreement: how far two or more evaluators who coded the same sources agree.

The text of each source is cut into units (characters, sentences or paragraphs, the
user chooses). For each theme, each coder's decision on a unit is 1 when one of their
coded passages with that theme covers it (for sentences and paragraphs: touches any
of its characters) and 0 when it does not. A coder counts for a source once they have
coded at least one passage of it; a source counts once two coders have.

The figures, per theme and overall (every theme's decisions pooled):

- percentage agreement: the share of pairs of coders' decisions on the same unit that
  agree (with two coders, the share of units they agree on);
- Cohen's kappa, for two coders: (p_o - p_e) / (1 - p_e), chance from each coder's
  own proportions (Cohen 1960);
- Krippendorff's alpha for nominal data, any number of coders, missing decisions
  allowed: 1 - D_o / D_e from the coincidence matrix (Krippendorff 2011).

With characters as units, the characters between two places where some passage starts
or ends are all decided alike, so they are counted as one run weighted by its length:
the figures are those of counting every character one by one.
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations, pairwise

from django.contrib.auth import get_user_model

from evaluations.models import Excerpt, Source, Theme
from kmtracker.lib.names import display_name

CHARACTERS, SENTENCES, PARAGRAPHS = "characters", "sentences", "paragraphs"
UNIT_KINDS = {
    CHARACTERS: "Characters",
    SENTENCES: "Sentences",
    PARAGRAPHS: "Paragraphs",
}
UNIT_DESCRIPTIONS = {
    CHARACTERS: "every character of the text (Unicode code points, as the offsets count them)",
    SENTENCES: "each sentence: text ending with . ! ? or … and a space, or with a line break",
    PARAGRAPHS: "each paragraph: the text between line breaks",
}
# Disagreements listed on the page at most (the figures count them all).
DISAGREEMENTS_SHOWN = 200

_LINE = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’')\]]*\s+")


# The coefficients, on units that may carry a weight (a run of characters) ----------------------


def percentage_agreement(units):
    """The share of agreeing pairs of decisions within units, or None without any pair.

    `units` are (weight, [decision of each coder, None where missing]).
    """
    agreeing = total = 0
    for weight, values in units:
        present = [v for v in values if v is not None]
        for a, b in combinations(present, 2):
            total += weight
            agreeing += weight * (a == b)
    return agreeing / total if total else None


def cohens_kappa(units):
    """Cohen's kappa of two coders' decisions on the units both decided, or None.

    None when there is no unit or when chance agreement is certain (both coders gave
    one and the same value to every unit: kappa is undefined).
    """
    pairs = [(w, a, b) for w, (a, b) in units if a is not None and b is not None]
    total = sum(w for w, _, _ in pairs)
    if not total:
        return None
    observed = sum(w for w, a, b in pairs if a == b) / total
    first, second = Counter(), Counter()
    for w, a, b in pairs:
        first[a] += w
        second[b] += w
    expected = sum(first[v] * second[v] for v in first) / (total * total)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def krippendorff_alpha(units):
    """Krippendorff's alpha for nominal decisions of any number of coders, or None.

    Units with fewer than two decisions are not pairable and are left out. None when
    nothing is pairable or every decision has the same value (no variation to explain).
    """
    coincidences = defaultdict(float)  # (c, k) -> o_ck
    for weight, values in units:
        present = [v for v in values if v is not None]
        m = len(present)
        if m < 2:
            continue
        counts = Counter(present)
        for c in counts:
            for k in counts:
                pairs = counts[c] * (counts[k] - (c == k))
                coincidences[c, k] += weight * pairs / (m - 1)
    totals = defaultdict(float)  # n_c
    for (c, _k), value in coincidences.items():
        totals[c] += value
    n = sum(totals.values())
    if n <= 1:
        return None
    disagreeing = sum(v for (c, k), v in coincidences.items() if c != k)
    expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k)
    if expected == 0:
        return None
    return 1 - (n - 1) * disagreeing / expected


# Units of a text ---------------------------------------------------------------------------------


def _trimmed(text, start, end):
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def text_units(text, kind, cuts=()):
    """The units of `text` as (start, end, weight).

    Sentences and paragraphs weigh one each, without the spaces at their edges; runs of
    characters are cut at `cuts` (where passages start or end) and weigh their length.
    """
    if kind == CHARACTERS:
        bounds = sorted({0, len(text), *(c for c in cuts if 0 <= c <= len(text))})
        return [(a, b, b - a) for a, b in pairwise(bounds) if b > a]
    units = []
    for line in _LINE.finditer(text):
        if kind == PARAGRAPHS:
            pieces = [(line.start(), line.end())]
        else:
            pieces, at = [], line.start()
            for end in _SENTENCE_END.finditer(text, line.start(), line.end()):
                pieces.append((at, end.start()))
                at = end.end()
            pieces.append((at, line.end()))
        for start, end in pieces:
            start, end = _trimmed(text, start, end)
            if end > start:
                units.append((start, end, 1))
    return units


# A study's agreement -----------------------------------------------------------------------------


@dataclass
class Coding:
    """One coder's passage of a source, with the ids of its themes."""

    coder_id: int
    start: int
    end: int
    theme_ids: frozenset


@dataclass
class Figures:
    units: int  # how many units (characters: how many characters) were decided by 2+ coders
    percentage: float | None
    kappa: float | None
    alpha: float | None


@dataclass
class ThemeRow:
    theme: object
    coded_by: dict  # coder id -> units coded with the theme
    figures: Figures


@dataclass
class Disagreement:
    """A passage on which coders chose different themes: each coder's themes beside it."""

    source: object
    start: int
    end: int
    text: str
    themes_by_coder: list  # [(coder, [theme labels] or None where the coder did not code)]


@dataclass
class Agreement:
    unit: str
    coders: list
    sources: list
    rows: list = field(default_factory=list)
    overall: Figures | None = None
    disagreements: list = field(default_factory=list)
    disagreement_count: int = 0
    last_disagreement: Disagreement | None = None

    @property
    def two_coders(self):
        return len(self.coders) == 2


def _figures(units, two_coders):
    decided = sum(w for w, values in units if sum(v is not None for v in values) >= 2)
    return Figures(
        units=decided,
        percentage=percentage_agreement(units),
        kappa=cohens_kappa(units) if two_coders else None,
        alpha=krippendorff_alpha(units),
    )


def _covers(coding, start, end, kind):
    if kind == CHARACTERS:
        return coding.start <= start and end <= coding.end
    return coding.start < end and start < coding.end


def compute(sources, codings, coders, themes, unit=CHARACTERS):
    """The agreement of `coders` on `sources`.

    `codings` maps a source's id to its Codings; `themes` are the framework's themes
    in order; `coders` the users who coded, in the order the page shows them.
    """
    if unit not in UNIT_KINDS:
        raise ValueError(f"unit must be one of {tuple(UNIT_KINDS)}")
    result = Agreement(unit=unit, coders=list(coders), sources=[])
    coder_ids = [c.pk for c in coders]
    two = len(coder_ids) == 2
    per_theme = {theme.pk: [] for theme in themes}
    coded_by = {theme.pk: Counter() for theme in themes}
    labels = {theme.pk: theme.label for theme in themes}
    for source in sources:
        own = codings.get(source.pk, [])
        present = {c.coder_id for c in own}
        if len(present & set(coder_ids)) < 2:
            continue
        result.sources.append(source)
        cuts = {c.start for c in own} | {c.end for c in own}
        units = text_units(source.text, unit, cuts)
        for start, end, weight in units:
            chosen = {cid: set() for cid in coder_ids if cid in present}
            for coding in own:
                if coding.coder_id in chosen and _covers(coding, start, end, unit):
                    chosen[coding.coder_id] |= coding.theme_ids
            for theme_id in per_theme:
                values = [(theme_id in chosen[cid]) if cid in chosen else None for cid in coder_ids]
                per_theme[theme_id].append((weight, values))
                for cid in chosen:
                    if theme_id in chosen[cid]:
                        coded_by[theme_id][cid] += weight
            _note_disagreement(result, source, start, end, chosen, coders, labels)
    result.rows = [
        ThemeRow(theme, dict(coded_by[theme.pk]), _figures(per_theme[theme.pk], two))
        for theme in themes
    ]
    pooled = [unit for units in per_theme.values() for unit in units]
    result.overall = _figures(pooled, two)
    return result


def _note_disagreement(result, source, start, end, chosen, coders, labels):
    """Count the unit when the coders' themes differ; units that follow one another (or
    are apart by spaces alone) with the same difference are one passage."""
    if len({frozenset(themes) for themes in chosen.values()}) < 2:
        return
    if not source.text[start:end].strip():
        return
    themes_by_coder = [
        (coder, sorted(labels[t] for t in chosen[coder.pk] if t in labels))
        if coder.pk in chosen
        else (coder, None)
        for coder in coders
    ]
    last = result.last_disagreement
    if (
        last is not None
        and last.source is source
        and not source.text[last.end : start].strip()
        and last.themes_by_coder == themes_by_coder
    ):
        last.end = end
        last.text = source.text[last.start : end]
        return
    result.disagreement_count += 1
    result.last_disagreement = Disagreement(
        source, start, end, source.text[start:end], themes_by_coder
    )
    if len(result.disagreements) < DISAGREEMENTS_SHOWN:
        result.disagreements.append(result.last_disagreement)


def study_coders(study, user):
    """The users who coded passages of `study` that `user` may read, by name."""
    excerpts = Excerpt.objects.for_user(user).filter(source__study=study, coder__isnull=False)
    coders = get_user_model().objects.filter(pk__in=excerpts.values("coder_id"))
    return sorted(coders, key=lambda u: (display_name(u), u.pk))


def study_agreement(study, user, unit=CHARACTERS, source_id=None, coder_ids=None):
    """The agreement of the coders of `study`, on what `user` may read (one source, or all;
    every coder, or those of `coder_ids`: two of three, say, for their kappa)."""
    excerpts = Excerpt.objects.for_user(user).filter(source__study=study, coder__isnull=False)
    if source_id is not None:
        excerpts = excerpts.filter(source_id=source_id)
    if coder_ids:
        excerpts = excerpts.filter(coder_id__in=coder_ids)
    codings = defaultdict(list)
    coder_ids = set()
    for excerpt in excerpts.prefetch_related("themes").only(
        "source_id", "coder_id", "start", "end"
    ):
        theme_ids = frozenset(theme.pk for theme in excerpt.themes.all())
        codings[excerpt.source_id].append(
            Coding(excerpt.coder_id, excerpt.start, excerpt.end, theme_ids)
        )
        coder_ids.add(excerpt.coder_id)
    coders = sorted(
        get_user_model().objects.filter(pk__in=coder_ids), key=lambda u: (display_name(u), u.pk)
    )
    shared = [pk for pk, own in codings.items() if len({c.coder_id for c in own}) >= 2]
    sources = Source.objects.for_user(user).filter(study=study, pk__in=shared)
    themes = list(Theme.objects.filter(study=study).in_framework_order().select_related("parent"))
    return compute(sources.only("title", "date", "text", "study_id"), codings, coders, themes, unit)
