"""What the report's charts draw, and the chart by month as a table."""

from activities.models import Category


def chart_data(figures, periods):
    """What the charts draw (read by static/js/reports.js through `json_script`)."""
    directions = figures.section("directions").rows
    pipeline = figures.section("pipeline").rows
    return {
        "monthly": {
            "labels": [periods.month_label(month) for month, _ in figures.months],
            "datasets": [
                {"label": label, "data": [counts.get(code, 0) for _, counts in figures.months]}
                for code, label in Category.choices
            ],
        },
        "direction": {
            "title": periods.labels[0],
            "labels": [row.breakdown for row in directions],
            "data": [row.current for row in directions],
        },
        "pipeline": {
            "labels": [row.breakdown for row in pipeline],
            "data": [row.current for row in pipeline],
        },
    }


def monthly_table(figures, periods):
    """The chart by month as table rows: (month's label, [count per category], total); a
    month charted only in part is labelled with its days (`15–31 Mar 2025`)."""
    rows = []
    for month, counts in figures.months:
        values = [counts.get(code, 0) for code in Category.values]
        rows.append((periods.month_label(month), values, sum(values)))
    return rows
