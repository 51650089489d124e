"""The forms of calendar import and of the week view: the file and its range, the review
of its events, a week's quick rows, and one activity repeated on several dates."""

import datetime
import re

from django import forms
from django.utils import timezone

from activities.forms.activity import _grouped_type_choices
from activities.forms.base import SignedOffGuard
from activities.models import ActivityType, Category
from kmtracker.lib.calendars import TOO_LARGE, read_events
from kmtracker.lib.date_fields import DateField
from kmtracker.lib.inputs import prohibit_control_characters
from kmtracker.lib.tables import MAX_BYTES, ImportFileError, too_large
from teams.submissions import add_token_field

MAX_REPEATS = 60


class CalendarUploadForm(forms.Form):
    """An exported calendar (.ics) and the days to read from it; read here, so that a bad
    file is told beside the field."""

    file = forms.FileField(
        label="Calendar file (.ics)",
        help_text="Outlook: File › Save Calendar. Google Calendar: Settings › Import and "
        f"export › Export. Up to {MAX_BYTES // 1024 // 1024} MB.",
    )
    date_from = DateField(label="From")
    date_to = DateField(label="To")

    def __init__(self, *args, tz_name, **kwargs):
        super().__init__(*args, **kwargs)
        self.tz_name = tz_name
        today = timezone.localdate()
        self.fields["date_from"].initial = today - datetime.timedelta(days=30)
        self.fields["date_to"].initial = today

    def clean(self):
        cleaned = super().clean()
        upload, first, last = (cleaned.get(k) for k in ("file", "date_from", "date_to"))
        if upload is None or first is None or last is None:
            return cleaned
        if message := too_large(upload.size, **TOO_LARGE):
            self.add_error("file", message)
            return cleaned
        cleaned["content"] = upload.read()
        try:
            cleaned["events"] = read_events(cleaned["content"], first, last, self.tz_name)
        except ImportFileError as error:
            self.add_error("file", str(error))
        else:
            if not cleaned["events"]:
                self.add_error("file", "The file has no events from the first to the last day.")
        return cleaned


class CalendarReviewForm(forms.Form):
    """Which candidates to log, each with its type and category; one-time token."""

    def __init__(self, *args, access, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.access, self.candidates = access, candidates
        types = access.scoped(ActivityType).active()
        self.types = types
        for candidate in candidates:
            if candidate.already:
                continue
            key = candidate.key
            self.fields[f"keep-{key}"] = forms.BooleanField(
                required=False, initial=candidate.kept_by_default, label="Log it"
            )
            type_field = forms.ModelChoiceField(queryset=types, required=False, label="Type")
            type_field.choices = _grouped_type_choices(types)
            chosen = candidate.activity_type
            type_field.initial = chosen.pk if chosen else None
            self.fields[f"type-{key}"] = type_field
            self.fields[f"category-{key}"] = forms.ChoiceField(
                choices=Category.choices,
                label="Category",
                initial=chosen.category if chosen else None,
                required=False,
            )
        add_token_field(self)

    def rows(self):
        """(candidate, its fields: keep, type, category, or None when already logged)."""
        for candidate in self.candidates:
            if candidate.already:
                yield candidate, None
            else:
                key = candidate.key
                yield candidate, [self[f"{name}-{key}"] for name in ("keep", "type", "category")]

    def clean(self):
        cleaned = super().clean()
        chosen = []
        for candidate in self.candidates:
            key = candidate.key
            if candidate.already or not cleaned.get(f"keep-{key}"):
                continue
            activity_type = cleaned.get(f"type-{key}")
            category = cleaned.get(f"category-{key}") or getattr(activity_type, "category", "")
            if activity_type is None:
                self.add_error(f"type-{key}", "Choose a type for this activity.")
                continue
            if activity_type.category != category:
                label = dict(Category.choices)[activity_type.category].lower()
                self.add_error(
                    f"category-{key}",
                    f"“{activity_type}” is a type of {label}: choose a type of this category.",
                )
                continue
            guard = SignedOffGuard(self.access, [candidate.event.date])
            if guard.locked:
                self.add_error(f"keep-{key}", guard.locked_message("activity"))
                continue
            chosen.append((candidate, activity_type, category))
        if not chosen and not self.errors:
            raise forms.ValidationError("Tick at least one event to log.")
        cleaned["chosen"] = chosen
        return cleaned


class QuickActivityForm(forms.Form):
    """One quick row of the week view: a title, a type and how long it took."""

    title = forms.CharField(
        max_length=250, required=False, validators=[prohibit_control_characters]
    )
    activity_type = forms.ModelChoiceField(queryset=ActivityType.objects.none(), required=False)
    duration_minutes = forms.IntegerField(
        min_value=0, max_value=24 * 60, required=False, label="Minutes"
    )

    def __init__(self, *args, access, day, **kwargs):
        super().__init__(*args, **kwargs)
        self.access, self.day = access, day
        types = access.scoped(ActivityType).active()
        self.fields["activity_type"].queryset = types
        self.fields["activity_type"].choices = _grouped_type_choices(types)

    @property
    def filled(self):
        return bool(self.cleaned_data.get("title"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("title") and cleaned.get("activity_type") is None:
            self.add_error("activity_type", "Choose a type.")
        if cleaned.get("title"):
            guard = SignedOffGuard(self.access, [self.day])
            if guard.locked:
                self.add_error("title", guard.locked_message("activity"))
        return cleaned


class RepeatForm(QuickActivityForm):
    """One activity, such as a monthly seminar or a weekly surgery, on each of several dates."""

    dates = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Dates such as 2026-06-03, separated by commas or one a line.",
    )

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, access=access, day=None, **kwargs)
        self.fields["title"].required = True
        self.fields["activity_type"].required = True
        add_token_field(self)

    def clean_dates(self):
        parts = [part for part in re.split(r"[\s,;]+", self.cleaned_data["dates"]) if part]
        days, wrong = [], []
        for part in parts:
            try:
                days.append(datetime.date.fromisoformat(part))
            except ValueError:
                wrong.append(part)
        if wrong:
            raise forms.ValidationError(
                "Write each date as YYYY-MM-DD; these are not: " + ", ".join(wrong[:5])
            )
        days = sorted(set(days))
        if not days:
            raise forms.ValidationError("Give at least one date.")
        if len(days) > MAX_REPEATS:
            raise forms.ValidationError(f"Up to {MAX_REPEATS} dates at once.")
        guard = SignedOffGuard(self.access, days)
        if guard.locked:
            raise forms.ValidationError(guard.locked_message("activity"))
        return days

    def clean(self):
        return forms.Form.clean(self)
