"""The colour each theme carries on the coding screen, so that a highlight says its code.

Colours come from one palette of PALETTE_SIZE (classes `theme-c0` ... in
static/css/evaluations.css, each light enough for black text), handed out in the
framework's order: the same framework shows the same colours on every page. Colour
is never the only sign: every highlight carries its themes' names as well.
"""

# The highlight colours of `theme-c0` ... `theme-c11`, as the REFI-QDA codebook writes them.
HEX = (
    "#FFEC99",
    "#B2F2BB",
    "#A5D8FF",
    "#FFC9C9",
    "#D0BFFF",
    "#FFD8A8",
    "#96F2D7",
    "#FCC2D7",
    "#C0EB75",
    "#99E9F2",
    "#EEBEFA",
    "#DEE2E6",
)
PALETTE_SIZE = len(HEX)


def theme_colours(themes):
    """{theme id: palette index} for `themes` in the framework's order."""
    return {theme.pk: index % PALETTE_SIZE for index, theme in enumerate(themes)}


def colour_class(colours, theme_id):
    return f"theme-c{colours.get(theme_id, 0)}"
