"""The lead's narrative: Markdown, rendered and then sanitised, so it is safe to show,
with figure placeholders (`{activities.total}`, `{new_contacts.commissioning}`: a row's
key, as in the files' `section_code` and `breakdown_code`) standing for the row's figure
of the report's period. An open report fills them from the log's figures, a signed-off
one from the figures it froze, so that the narrative and its figures freeze together.
A backslash before the brace (`\\{`) writes the brace itself.
"""

import re
from dataclasses import dataclass

import markdown
import nh3

from evaluations.reports.figures import formatted

PLACEHOLDER = re.compile(r"(?<!\\)\{([A-Za-z0-9_.]+)\}")

# What a progress report needs: paragraphs, emphasis, lists, links, headings, tables.
ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


def render_markdown(text):
    """HTML of `text`: Markdown first, then nh3 removes anything not allowed (scripts too)."""
    html = markdown.markdown(text or "", extensions=["sane_lists", "tables"])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


@dataclass(frozen=True)
class Placeholder:
    """A figure a narrative may name: what to write, where it comes from, its value now."""

    name: str
    section: str
    breakdown: str
    value: str

    @property
    def text(self):
        return "{" + self.name + "}"


def placeholders(figures):
    """Every placeholder of `figures` (a ReportFigures), by name, in report order."""
    return {
        row.key: Placeholder(row.key, title, row.breakdown, formatted(row.current, row.unit))
        for title, row in figures.rows()
    }


def unknown_placeholders(text, known):
    """The placeholders of `text` that name no figure of `known` (names), in order, once."""
    names = dict.fromkeys(match.group(1) for match in PLACEHOLDER.finditer(text or ""))
    return [name for name in names if name not in known]


def fill(text, figures):
    """`text` with each placeholder replaced by its figure of the period; a placeholder
    naming no figure (a row the period does not have) is left as written."""
    known = placeholders(figures)

    def value(match):
        found = known.get(match.group(1))
        return found.value if found else match.group(0)

    return PLACEHOLDER.sub(value, text or "")


def filled_narrative(report, figures):
    """The report's narrative sections as (label, Markdown) with their figures filled in:
    `figures` are the report's own, the frozen ones once it is signed off."""
    return [(label, fill(text, figures)) for label, text in report.narrative()]
