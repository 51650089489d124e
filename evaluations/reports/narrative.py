"""The lead's narrative: Markdown, rendered and then sanitised, so it is safe to show."""

import markdown
import nh3

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
