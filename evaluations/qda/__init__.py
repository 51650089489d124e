"""A study's work in the forms other analysis software reads: REFI-QDA projects (`.qdpx`,
read and written) and codebooks (`.qdc`), and tidy tables for R, Stata or pandas (one row
per coding, a codebook, code-by-case matrices).

`codebook` names each theme with a plain code (`theme_code`) and a colour; `project`
writes a study as REFI-QDA; `reader` reads a `.qdpx` into a new study; `tidy` declares the
tables. Participants leave the study by their codes only, as in every evaluator export.
"""
