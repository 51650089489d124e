"""A team's lists and the files they download: the layer every list is declared on.

`views.TeamListView` is a list of team data: its FilterSet decides the rows,
its table partial (built on `templates/includes/list_frame.html`) shows them a
page at a time, and the same address with `?export=csv` or `xlsx` downloads
every row through `exports.download()`, with the columns its `Export`
declarations name. docs/architecture.md shows how to add one.
"""
