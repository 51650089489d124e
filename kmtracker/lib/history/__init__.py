"""The change history of the team's records: writing it (`writing`) and reading it (`reading`).

django-simple-history keeps a copy of a record at each save; `writing` adds what
it cannot see (bulk statements, the request and the command behind a change),
and `reading` turns the copies into "who changed what, and when".
"""
