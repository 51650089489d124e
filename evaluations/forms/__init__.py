"""Forms of the evaluations app, one module per area: `reports` (the quarterly report's
narrative and the note kept on reopening), `log` (reflective log entries), `studies`
(studies, participants, sources), `framework` (themes, the framework's CSV) and `coding`
(excerpts, the framework matrix's summaries)."""
