"""The form of a reflective log entry."""

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.db.models import Q
from django.utils import timezone

from evaluations.models import LogTag, ReflectiveEntry
from evaluations.studies import normalise_text
from kmtracker.lib.widgets import DateInput


class ReflectiveEntryForm(forms.ModelForm):
    """A broker's or lead's reflection; private until they tick "share"."""

    class Meta:
        model = ReflectiveEntry
        fields = ["date", "title", "text", "tags", "shared"]
        widgets = {
            "date": DateInput,
            "text": forms.Textarea(attrs={"rows": 10}),
            "tags": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "shared": "Private entries are seen by you alone (not by your lead). Shared entries "
            "are read by the team's evaluators, who may copy them into an evaluation; a copy "
            "stays for the evaluators (and you), never your lead, wherever it is quoted. Making "
            "an entry private again does not remove a copy already taken.",
        }

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.access = access
        if self.instance.pk is None:
            self.instance.team = access.team
            self.instance.author = access.user
            self.fields["date"].initial = timezone.localdate()
        # The team's tags offered for new entries, and any retired one the entry already has.
        tags = access.scoped(LogTag)
        if self.instance.pk is not None:
            tags = tags.filter(Q(is_active=True) | Q(entries=self.instance)).distinct()
        else:
            tags = tags.active()
        self.fields["tags"].queryset = tags
        self.fields["tags"].required = False
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("date", css_class="col-sm-4"), Column("title", css_class="col-sm-8")),
            "text",
            InlineCheckboxes("tags"),
            "shared",
            Submit("save", "Save entry"),
        )

    def clean_text(self):
        return normalise_text(self.cleaned_data["text"])
