"""Quarterly progress reports, the reflective log and evaluation studies.

Reflective log entries are their author's; shared ones are read by the team's
evaluators. Who sees which rows is decided in `evaluations/querysets.py`.
"""

from evaluations.models.distribution import (
    Frequency,
    PeriodRule,
    ReportRecipient,
    ReportSubscription,
    SavedReport,
    SignedOffFile,
)
from evaluations.models.log import DEFAULT_LOG_TAGS, LogTag, ReflectiveEntry
from evaluations.models.reports import QuarterlyReport, ReportEvent
from evaluations.models.researchfish import ResearchfishMapping
from evaluations.models.sampling import Draw, Invitee
from evaluations.models.studies import CellSummary, Excerpt, Participant, Source, Study, Theme

__all__ = [
    "DEFAULT_LOG_TAGS",
    "CellSummary",
    "Draw",
    "Excerpt",
    "Invitee",
    "Frequency",
    "LogTag",
    "Participant",
    "PeriodRule",
    "QuarterlyReport",
    "ReflectiveEntry",
    "ReportEvent",
    "ReportRecipient",
    "ReportSubscription",
    "ResearchfishMapping",
    "SavedReport",
    "SignedOffFile",
    "Source",
    "Study",
    "Theme",
]
