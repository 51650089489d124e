"""Team settings: what a team's lead sets up without a developer.

The team's name and year start, and its vocabularies: activity types, topics
and reflective-log tags. The rules live on the models and their querysets
(`ActivityType.move`, `Topic.merge_into`, ...); the forms check names and
versions, and the views (leads only, through `teams.tenancy`) stay thin. It
sits in the project layer because it edits records of both apps.
"""
