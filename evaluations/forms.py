"""Forms of the evaluations app: the quarterly report's narrative and the note kept on
reopening; reflective log entries; studies, participants, sources, the framework, coding
and the framework matrix's summaries."""

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone

from activities.mentions import text_for
from activities.models import Contact
from evaluations.coding import context_of, nearest, occurrences, reanchor, replace_text, trimmed
from evaluations.framework import read_framework_csv
from evaluations.models import (
    CellSummary,
    Excerpt,
    LogTag,
    Participant,
    QuarterlyReport,
    ReflectiveEntry,
    Source,
    Study,
    Theme,
)
from evaluations.reports.narrative import unknown_placeholders
from evaluations.studies import normalise_text, text_from_upload
from kmtracker.lib.edit_conflicts import CONFLICT_LAYOUT, VersionedForm
from kmtracker.lib.names import display_name
from kmtracker.lib.widgets import AutocompleteSelect, DateInput
from teams.models import Membership

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


# The reflective log -----------------------------------------------------------------------------


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


# Evaluation studies -------------------------------------------------------------------------------


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


# The framework ------------------------------------------------------------------------------------


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["name", "parent", "description", "position"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "parent": "Leave empty for a top-level theme.",
            "position": "Themes are listed by this number, then in the order they were added.",
        }

    def __init__(self, *args, study, **kwargs):
        super().__init__(*args, **kwargs)
        self.study = study
        self.instance.study = study
        parents = Theme.objects.filter(study=study, parent__isnull=True)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
            if self.instance.children.exists():
                # A theme with sub-themes stays at the top: themes have two levels.
                del self.fields["parent"]
        if "parent" in self.fields:
            self.fields["parent"].queryset = parents
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(
                Column("name", css_class="col-md-6"),
                *([Column("parent", css_class="col-md-4")] if "parent" in self.fields else []),
                Column("position", css_class="col-md-2"),
            ),
            "description",
            Submit("save", "Save theme"),
        )

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name")
        parent = cleaned.get("parent") if "parent" in self.fields else self.instance.parent
        if name:
            # The study is not a field of the form, so Django leaves this constraint unchecked.
            siblings = Theme.objects.filter(study=self.study, parent=parent, name__iexact=name)
            if siblings.exclude(pk=self.instance.pk).exists():
                where = (
                    "This theme already has a sub-theme"
                    if parent
                    else "The framework already has a theme"
                )
                self.add_error("name", f"{where} with this name.")
        return cleaned


class FrameworkImportForm(forms.Form):
    file = forms.FileField(
        label="Framework CSV",
        help_text="Columns theme, sub_theme, description (as the framework export writes). "
        "Themes are added or their descriptions updated; none is removed.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        self.rows = read_framework_csv(self.cleaned_data["file"])
        return self.cleaned_data["file"]


# Coding -------------------------------------------------------------------------------------------


class ThemeChoiceField(forms.ModelMultipleChoiceField):
    """Themes grouped under their top-level theme, as checkboxes."""

    def label_from_instance(self, theme):
        return theme.name if theme.parent_id else f"{theme.name} (the theme as a whole)"

    def grouped(self, themes):
        groups, by_top = [], {}
        for theme in themes:
            top = theme.parent or theme
            if top.pk not in by_top:
                by_top[top.pk] = []
                groups.append((top.name, by_top[top.pk]))
            by_top[top.pk].append((theme.pk, self.label_from_instance(theme)))
        return groups


class ExcerptForm(forms.ModelForm):
    """A coded passage: where it is (offsets, or its words), its themes, memo and speaker.

    The page's script fills `start`, `end` and `quote` from a mouse selection;
    without it (or without a mouse) the coder types the passage's words in
    `quote`, or its offsets, and the server finds it.
    """

    start = forms.IntegerField(min_value=0, required=False, label="Starts at character")
    end = forms.IntegerField(min_value=1, required=False, label="Ends at character")
    quote = forms.CharField(
        label="Passage",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Select words in the text, or type or paste them here.",
    )
    occurrence = forms.IntegerField(
        min_value=1,
        required=False,
        label="Which occurrence",
        help_text="When the words appear more than once: 1 for the first, 2 for the second, ...",
    )
    themes = ThemeChoiceField(queryset=Theme.objects.none(), widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Excerpt
        fields = ["themes", "participant", "memo"]
        widgets = {"memo": forms.Textarea(attrs={"rows": 2})}
        labels = {"participant": "Whose words"}

    def __init__(self, *args, access, source, **kwargs):
        super().__init__(*args, **kwargs)
        self.access, self.source = access, source
        self.instance.source = source
        self.occurrences = []
        themes = list(
            Theme.objects.filter(study_id=source.study_id)
            .in_framework_order()
            .select_related("parent")
        )
        self.framework_themes = themes  # in order: the coding page's colours follow it
        field = self.fields["themes"]
        field.queryset = Theme.objects.filter(study_id=source.study_id)
        field.choices = field.grouped(themes)
        field.error_messages["required"] = "Choose at least one theme."
        self.speakers = speakers = list(source.participants.all())
        self.fields["participant"].queryset = Participant.objects.filter(
            pk__in=[p.pk for p in speakers]
        )
        if self.instance.pk is None:
            self.instance.coder = access.user
            if len(speakers) == 1:
                self.fields["participant"].initial = speakers[0].pk
        else:
            self.fields["start"].initial = self.instance.start
            self.fields["end"].initial = self.instance.end
            self.fields["quote"].initial = self.instance.text

    def clean(self):
        cleaned = super().clean()
        text = self.source.text
        start, end = cleaned.get("start"), cleaned.get("end")
        quote = cleaned.get("quote") or ""
        if any(name in self.errors for name in ("start", "end", "occurrence")):
            return cleaned
        if start is not None and end is not None:
            passage = self._at_offsets(text, start, end, quote)
        elif quote.strip():
            passage = self._by_words(text, quote, cleaned.get("occurrence"))
        else:
            self.add_error(
                "quote",
                "Select a passage in the text, type its words here, or give its start and end.",
            )
            return cleaned
        if passage is not None:
            self.instance.start, self.instance.end = passage.start, passage.end
            self.instance.text = passage.text
        return cleaned

    def _at_offsets(self, text, start, end, quote):
        if not start < end <= len(text):
            self.add_error(
                "end", f"Give a start before the end, within the text's {len(text):,} characters."
            )
            return None
        passage = trimmed(text, start, end)
        if not passage.text:
            self.add_error("quote", "This passage holds no words.")
            return None
        if quote.strip() and quote.split() != passage.text.split():
            # The offsets and the words disagree: trust the words nearest the offsets.
            found = nearest(occurrences(text, quote), start)
            if found is None:
                self.add_error("quote", "These words are not in the text.")
            return found
        return passage

    def _by_words(self, text, quote, occurrence):
        found = occurrences(text, quote)
        if not found:
            self.add_error(
                "quote",
                "These words are not in the text. Copy them exactly, or select the passage.",
            )
            return None
        if occurrence:
            if occurrence > len(found):
                self.add_error(
                    "occurrence", f"The words appear {len(found)} time{pluralize(len(found))}."
                )
                return None
            return found[occurrence - 1]
        if len(found) > 1:
            self.occurrences = [context_of(text, passage) for passage in found[:20]]
            self.add_error(
                "occurrence",
                f"These words appear {len(found)} times in the text: say which one, or type "
                "more of the passage.",
            )
            return None
        return found[0]


class CellSummaryForm(forms.ModelForm):
    class Meta:
        model = CellSummary
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"text": "Leave empty to remove the summary."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].required = False
