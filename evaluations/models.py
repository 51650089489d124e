"""Quarterly progress reports and evaluation studies of a team's work.

They read activities, outcomes and projects through the activities app's
querysets; see `evaluations/reports.py`.
"""
