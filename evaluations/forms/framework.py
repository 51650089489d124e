"""Forms of a study's framework: a theme, and the framework read from a CSV file."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms

from evaluations.framework import read_framework_csv
from evaluations.models import Theme


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
