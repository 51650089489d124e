"""Realistic demo data: two knowledge-mobilisation teams, so that isolation is visible.

`seed_demo()` is what the `seed_demo` management command and the tests call.
The Bristol team has the shape the seed evaluation describes: two NHS fellows
seconded into the Centre for Academic Primary Care, three researchers-in-
residence seconded into the integrated care board, relationship building the
most common work, about ten seminars a year, co-produced bids. The West
Midlands programme is smaller and younger, with its own people and places.

People, emails and phone numbers are invented: emails use the reserved
`.example` domain and phone numbers Ofcom's ranges kept for drama, so that no
demo row can reach a real person. Everything comes from `random.Random(seed)`
and the day it runs, so two runs on the same day make the same data.
"""

from demo.seeding.seed import DEMO_PASSWORD, DEMO_TEAM_SLUGS, seed_demo

__all__ = ["DEMO_PASSWORD", "DEMO_TEAM_SLUGS", "seed_demo"]
