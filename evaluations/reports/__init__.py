"""The quarterly progress report, and the same report for any period.

- `periods`: the three columns of a report (the period, the one before, the year to date);
- `figures`: every figure of a report, as rows of sections (`ReportFigures`);
- `computation`: counting them from the log, in a fixed number of queries, one module
  per thing counted (`activity_figures`, `contact_figures`, `project_figures`,
  `outcome_figures`), in the columns of `tallies`;
- `charts`: what the page's charts draw;
- `pages`: a quarter's report as its readers see it (frozen once signed off, and what
  changed since), and the index of quarters;
- `narrative`: the lead's Markdown, made safe to show;
- `exports`: the report as CSV and XLSX, through the one writer.
"""
