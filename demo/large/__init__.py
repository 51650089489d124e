"""A large dataset on demand, for measuring: `seed_demo --scale large`.

Twenty teams of a national programme, 400 brokers, 100,000 contacts, 1,000,000
activities with about 2,500,000 activity–contact links, 200,000 outcomes and
20,000 projects (`activities=` scales every count but teams and brokers).

The distributions are those of a real log, not uniform noise: teams differ in
size (Zipf-like weights), a few brokers log most of a team's work, a few key
contacts appear again and again while the network grows over the years,
activity follows the year's seasons (quiet Augusts and Christmases, busy
year-ends) and grows as teams mature, and the mix of categories, types,
settings, directions and conduits follows the demo teams' shape.

Rows are generated in Python and written with PostgreSQL's COPY; the big
tables' secondary indexes and constraints are dropped first and rebuilt after
(every foreign key is re-validated when it is added back), all in one
transaction, so a failure leaves the database as it was. SQLite gets the same
rows through plain INSERTs: slower, and fine for small counts. Bulk-seeded rows
have no history records, and these teams have no reflective log or evaluations.
"""

from demo.large.seed import delete_large, seed_large
from demo.large.shape import (
    BULK_TABLES,
    LARGE_ACTIVITIES,
    LARGEST_TEAM_LEAD,
    LARGEST_TEAM_SLUG,
    TEAM_COUNT,
    TEAM_SLUGS,
)

__all__ = [
    "BULK_TABLES",
    "LARGEST_TEAM_LEAD",
    "LARGEST_TEAM_SLUG",
    "LARGE_ACTIVITIES",
    "TEAM_COUNT",
    "TEAM_SLUGS",
    "delete_large",
    "seed_large",
]
