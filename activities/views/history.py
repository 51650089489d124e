"""The "History" page of a record: every change, who made it and when, for those who
can read the record (evaluators see contacts as pseudonyms and not their details)."""

from django.urls import reverse

from activities.mentions import text_for
from activities.models import Activity, Contact, Outcome, Project
from kmtracker.lib.history.reading import history_of
from teams.generic import TeamDetailView

# The detail page shows the latest changes; this page goes further back.
PAGE_LIMIT = 500


def history_context(obj, access, back_url):
    """What record_history.html shows of `obj`."""
    label_for = getattr(obj, "label_for", None)
    return {
        "record_label": label_for(access) if label_for else text_for(access, str(obj)),
        "record_kind": obj._meta.verbose_name,
        "back_url": back_url,
        "history": history_of(obj, access, limit=PAGE_LIMIT),
        "history_limit": PAGE_LIMIT,
    }


class RecordHistoryView(TeamDetailView):
    template_name = "activities/record_history.html"

    def get_context_data(self, **kwargs):
        # Built from the slug in hand: get_absolute_url would fetch the record's team.
        name = f"activities:{self.model._meta.model_name}_detail"
        back = reverse(name, args=[self.team.slug, self.object.pk])
        context = history_context(self.object, self.access, back)
        return super().get_context_data(**context, **kwargs)


class ActivityHistoryView(RecordHistoryView):
    model = Activity


class ContactHistoryView(RecordHistoryView):
    model = Contact

    def get_context_data(self, **kwargs):
        # The contacts merged into this one are gone; their history is read here.
        merged = [
            (pseudonym, history_of(Contact(pk=pk, team=self.team), self.access, PAGE_LIMIT))
            for merge in self.object.merges.all()
            for pk, pseudonym in zip(merge.merged_ids, merge.merged_pseudonyms, strict=True)
        ]
        return super().get_context_data(merged_histories=merged, **kwargs)


class OutcomeHistoryView(RecordHistoryView):
    model = Outcome


class ProjectHistoryView(RecordHistoryView):
    model = Project
