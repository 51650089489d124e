"""Forms of evaluation studies: the study, its participants, and its sources (uploaded,
or copied from shared reflective log entries and signed-off reports)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.defaultfilters import pluralize
from django.urls import reverse

from activities.mentions import text_for
from activities.models import Contact
from evaluations.coding import reanchor, replace_text
from evaluations.models import Participant, QuarterlyReport, ReflectiveEntry, Source, Study
from evaluations.studies import normalise_text, text_from_upload
from kmtracker.lib.names import display_name
from kmtracker.lib.widgets import AutocompleteSelect, DateInput
from teams.models import Membership


class StudyForm(forms.ModelForm):
    class Meta:
        model = Study
        fields = ["title", "questions", "period_start", "period_end", "status", "evaluators"]
        widgets = {
            "period_start": DateInput,
            "period_end": DateInput,
            "questions": forms.Textarea(attrs={"rows": 5}),
            "evaluators": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "questions": "One question a line.",
            "period_start": "The period whose work is evaluated; the sampling frame uses it.",
        }

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.access = access
        if self.instance.pk is None:
            self.instance.team = access.team
            self.instance.created_by = access.user
            self.fields["evaluators"].initial = [access.user.pk]
        evaluators = Membership.objects.filter(team=access.team, role="evaluator", is_active=True)
        field = self.fields["evaluators"]
        field.queryset = get_user_model().objects.filter(pk__in=evaluators.values("user_id"))
        field.label_from_instance = display_name
        field.help_text = "Members of the team with the evaluator role."
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "title",
            "questions",
            Row(
                Column("period_start", css_class="col-sm-4"),
                Column("period_end", css_class="col-sm-4"),
                Column("status", css_class="col-sm-4"),
            ),
            "evaluators",
            Submit("save", "Save study"),
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The period must not end before it starts.")
        return cleaned


class ParticipantForm(forms.ModelForm):
    """A participant: the code is given the next number unless the evaluator types one."""

    # Where to go once saved, e.g. back to the sampling frame (checked by the view).
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Participant
        fields = ["code", "community", "role", "contact"]
        help_texts = {
            "code": "Left empty, the next free code (P01, P02, ...) is given.",
            "contact": "Optional, for your own records: shown to evaluators only, as the "
            "contact's pseudonym, and never exported.",
        }

    def __init__(self, *args, access, study, **kwargs):
        super().__init__(*args, **kwargs)
        self.access, self.study = access, study
        self.instance.study = study
        self.fields["code"].required = False
        contact = self.fields["contact"]
        contact.queryset = Contact.objects.for_team(access.team).active()
        contact.label_from_instance = lambda c: c.label_for(access)
        contact.widget = AutocompleteSelect(
            url=reverse("activities:contact_search", kwargs={"team": access.team.slug})
        )
        contact.widget.choices = contact.choices
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(
                Column("code", css_class="col-sm-3"),
                Column("community", css_class="col-sm-4"),
                Column("role", css_class="col-sm-5"),
            ),
            "contact",
            "next",
            Submit("save", "Save participant"),
        )

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper() or Participant.next_code(self.study)
        if self._others().filter(code=code).exists():
            raise forms.ValidationError("Another participant of this study has this code.")
        return code

    def clean_contact(self):
        contact = self.cleaned_data["contact"]
        if contact and self._others().filter(contact=contact).exists():
            raise forms.ValidationError("This contact is already a participant of this study.")
        return contact

    def _others(self):
        # The study is not a field of the form, so Django leaves these constraints unchecked.
        return Participant.objects.filter(study=self.study).exclude(pk=self.instance.pk)


class SourceForm(forms.ModelForm):
    """A source's details and its text: pasted, or read from an uploaded file.

    Once passages are coded, a changed text must still hold every coded
    passage's words (they are moved with them); otherwise nothing is saved.
    """

    upload = forms.FileField(
        label="Or upload a file",
        required=False,
        help_text="A .txt, .md or .docx file of up to 2 MB; its text replaces the text above.",
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.md,.docx"}),
    )

    class Meta:
        model = Source
        fields = ["kind", "title", "date", "participants", "text"]
        widgets = {
            "date": DateInput,
            "text": forms.Textarea(attrs={"rows": 14}),
            "participants": forms.CheckboxSelectMultiple,
        }
        labels = {"text": "Text"}

    def __init__(self, *args, access, study, **kwargs):
        super().__init__(*args, **kwargs)
        self.access, self.study = access, study
        if self.instance.pk is None:
            self.instance.study = study
            self.instance.created_by = access.user
        self.fields["text"].required = False
        self.fields["text"].help_text = "Paste the text here, or upload a file below."
        self.fields["participants"].queryset = Participant.objects.filter(study=study)
        self.fields["participants"].help_text = "Whose words the source holds."
        self.moved = {}
        self.helper = FormHelper()
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.layout = Layout(
            Row(
                Column("kind", css_class="col-sm-4"),
                Column("title", css_class="col-sm-5"),
                Column("date", css_class="col-sm-3"),
            ),
            "participants",
            "text",
            "upload",
            Submit("save", "Save source"),
        )

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            self.uploaded_text = text_from_upload(upload)
            self.instance.file_name = upload.name[:255]
        return upload

    def clean(self):
        cleaned = super().clean()
        pasted = normalise_text(cleaned.get("text") or "")
        uploaded = getattr(self, "uploaded_text", None)
        if "upload" in self.errors:
            return cleaned
        if uploaded is not None and pasted:
            # On the edit page the text box holds the current text: only a change counts.
            kept = self.instance.pk is not None and pasted == normalise_text(self.instance.text)
            if not kept:
                self.add_error("upload", "Paste the text or upload a file, not both.")
                return cleaned
        text = uploaded if uploaded is not None else pasted
        if not text.strip():
            self.add_error("text", "Paste the source's text, or upload a file.")
            return cleaned
        if len(text) > MAX_TEXT_LENGTH:
            self.add_error("text", f"The text is longer than {MAX_TEXT_LENGTH:,} characters.")
            return cleaned
        cleaned["text"] = text
        if self.instance.pk is not None and text != self.instance.text:
            self._check_coded_passages(text)
        return cleaned

    def _check_coded_passages(self, text):
        excerpts = list(self.instance.excerpts.all())
        self.moved, lost = reanchor(self.instance.text, text, excerpts)
        if lost:
            quotes = "; ".join(f"“{excerpt.text[:60]}”" for excerpt in lost[:5])
            self.add_error(
                "text",
                f"{len(lost)} coded passage{pluralize(len(lost))} would no longer be in the "
                f"text: {quotes}. Keep their words, or remove their coding first.",
            )

    @transaction.atomic
    def save(self, commit=True):
        """Save the source and move its coded passages with their words, together."""
        source = super().save(commit=False)
        replace_text(source, source.text, self.moved)
        self.save_m2m()
        return source


MAX_TEXT_LENGTH = 2_000_000


class EntryChoiceField(forms.ModelMultipleChoiceField):
    access = None  # whose reading of the entries' titles the labels show

    def label_from_instance(self, entry):
        author = display_name(entry.author)
        return f"{entry.date:%d %b %Y} · {author} · {text_for(self.access, entry.label)}"


class LogSourcesForm(forms.Form):
    """Shared reflective log entries to copy into the study as sources."""

    entries = EntryChoiceField(
        queryset=ReflectiveEntry.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Shared entries",
    )

    def __init__(self, *args, entries, access=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entries"].queryset = entries
        self.fields["entries"].access = access


class ReportChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, report):
        return f"{report.quarter.label}, signed off {report.signed_off_at:%d %b %Y}"


class ReportSourcesForm(forms.Form):
    """Signed-off quarterly reports whose narrative to copy into the study as sources."""

    reports = ReportChoiceField(
        queryset=QuarterlyReport.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Signed-off reports",
    )

    def __init__(self, *args, reports, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reports"].queryset = reports
