"""Forms of coding: an excerpt and its themes, and the framework matrix's summaries."""

from django import forms
from django.template.defaultfilters import pluralize

from evaluations.coding import context_of, nearest, occurrences, trimmed
from evaluations.models import CellSummary, Excerpt, Participant, Theme


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
