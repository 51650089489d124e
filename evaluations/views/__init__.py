"""Views of the evaluations app, one module per area: `reports` (quarterly progress
reports), `log` (the reflective log), `studies` (studies, participants, sources),
`framework` (themes), `coding` (a source's coded passages) and `analysis` (the excerpts,
the framework matrix and the sampling frame)."""
