"""Outcomes: placeholder until the outcome pages are written."""

from django.views.generic import View


class OutcomeListView(View):
    pass


OutcomeCreateView = OutcomeDetailView = OutcomeUpdateView = OutcomeListView
