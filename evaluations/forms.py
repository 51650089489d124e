"""Forms of the quarterly reports: the lead's narrative and the note kept on reopening."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms

from evaluations.models import QuarterlyReport

MARKDOWN_HELP = (
    "Markdown: a blank line between paragraphs, **bold**, *italic*, lists starting with - "
    "and links as [text](https://…)."
)


class NarrativeForm(forms.ModelForm):
    """Highlights, challenges and next quarter's plans, in Markdown."""

    class Meta:
        model = QuarterlyReport
        fields = ["highlights", "challenges", "plans"]
        widgets = {name: forms.Textarea(attrs={"rows": 8}) for name in fields}
        help_texts = dict.fromkeys(fields, MARKDOWN_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "highlights", "challenges", "plans", Submit("save", "Save narrative")
        )

    def clean(self):
        cleaned = super().clean()
        # Line endings from browsers differ; store one kind so the history shows real changes.
        for name in self.Meta.fields:
            if isinstance(cleaned.get(name), str):
                cleaned[name] = cleaned[name].replace("\r\n", "\n").strip()
        return cleaned


class ReopenForm(forms.Form):
    """Why a signed-off quarter is reopened; kept with the record of the reopening."""

    note = forms.CharField(
        label="Reason for reopening",
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": "e.g. two May seminars were logged late"}),
    )
