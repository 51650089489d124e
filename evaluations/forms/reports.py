"""Forms of the quarterly report: the lead's narrative, and the note kept on reopening."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms

from evaluations.models import QuarterlyReport
from evaluations.reports.narrative import unknown_placeholders
from kmtracker.lib.edit_conflicts import CONFLICT_LAYOUT, VersionedForm

MARKDOWN_HELP = (
    "Markdown: a blank line between paragraphs, **bold**, *italic*, lists starting with - "
    "and links as [text](https://…)."
)


class NarrativeForm(VersionedForm):
    """Highlights, challenges and next quarter's plans, in Markdown, with placeholders of
    the report's figures (`{activities.total}`); `placeholders` are those the report has
    (evaluations.reports.narrative.placeholders), and any other is refused beside its field.
    """

    class Meta:
        model = QuarterlyReport
        fields = ["highlights", "challenges", "plans"]
        widgets = {name: forms.Textarea(attrs={"rows": 8}) for name in fields}
        help_texts = dict.fromkeys(fields, MARKDOWN_HELP)

    def __init__(self, *args, placeholders=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.placeholders = placeholders or {}
        for name in self.Meta.fields:
            self.fields[name].help_text = PLACEHOLDER_HELP + " " + MARKDOWN_HELP
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *CONFLICT_LAYOUT, "highlights", "challenges", "plans", Submit("save", "Save narrative")
        )

    def clean(self):
        cleaned = super().clean()
        # Line endings from browsers differ; store one kind so the history shows real changes.
        for name in self.Meta.fields:
            if isinstance(cleaned.get(name), str):
                cleaned[name] = cleaned[name].replace("\r\n", "\n").strip()
                unknown = unknown_placeholders(cleaned[name], self.placeholders)
                if unknown:
                    self.add_error(name, _unknown_message(unknown))
        return cleaned


PLACEHOLDER_HELP = (
    "A figure of the report in braces, such as {activities.total}, shows its value for the "
    "quarter (listed beside the form) and is frozen with the sign-off."
)


def _unknown_message(names):
    listed = ", ".join("{" + name + "}" for name in names)
    noun = "figure" if len(names) == 1 else "figures"
    return (
        f"No {noun} of the report named {listed}: use one listed beside the form, "
        "or write \\{ for a brace."
    )


class ReopenForm(forms.Form):
    """Why a signed-off quarter is reopened; kept with the record of the reopening."""

    note = forms.CharField(
        label="Reason for reopening",
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": "e.g. two May seminars were logged late"}),
    )
