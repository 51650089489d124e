"""Editing an organisation (its other names and acronyms above all), and choosing, field
by field, what survives a merge of duplicate organisations."""

from django import forms

from activities.merging import MERGED_ORGANISATION_FIELDS
from activities.models import Organisation
from kmtracker.lib.inputs import refuse_control_characters


class OrganisationForm(forms.ModelForm):
    """The name, kind and other names ("BNSSG ICB; BNSSG") every picker and filter searches."""

    class Meta:
        model = Organisation
        fields = ["name", "kind", "aliases"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        refuse_control_characters(self)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        others = Organisation.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(
                "Another organisation has this name: merge the two instead.", code="unique"
            )
        return name

    def clean_aliases(self):
        """The other names one by one, without blanks or repeats, "; " between them."""
        unique = {}
        for alias in self.cleaned_data["aliases"].split(";"):
            alias = " ".join(alias.split())
            if alias and alias.casefold() != self.cleaned_data.get("name", "").casefold():
                unique.setdefault(alias.casefold(), alias)
        return "; ".join(unique.values())


class OrganisationMergeForm(forms.Form):
    """Which organisation survives, and for each field whose value it keeps; each choice is
    an organisation's number, so nobody can post a value none of them had."""

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {organisation.pk: organisation for organisation in organisations}
        choices = [(organisation.pk, organisation.name) for organisation in organisations]
        for name in ("survivor", *MERGED_ORGANISATION_FIELDS):
            label = "Keep this record" if name == "survivor" else None
            self.fields[name] = forms.TypedChoiceField(
                label=label or Organisation._meta.get_field(name).verbose_name.capitalize(),
                choices=choices,
                coerce=int,
                initial=organisations[0].pk,
                widget=forms.RadioSelect,
            )

    def rows(self):
        """(field, [(its radio for an organisation, that organisation's value)])."""
        return [
            (
                self[name],
                list(
                    zip(
                        self[name],
                        [self.shown(o, name) for o in self.organisations.values()],
                        strict=True,
                    )
                ),
            )
            for name in MERGED_ORGANISATION_FIELDS
        ]

    @staticmethod
    def shown(organisation, name):
        return organisation.get_kind_display() if name == "kind" else getattr(organisation, name)

    @property
    def survivor(self):
        return self.organisations[self.cleaned_data["survivor"]]

    @property
    def merged(self):
        chosen = self.cleaned_data["survivor"]
        return [o for pk, o in self.organisations.items() if pk != chosen]

    @property
    def values(self):
        return {
            name: getattr(self.organisations[self.cleaned_data[name]], name)
            for name in MERGED_ORGANISATION_FIELDS
        }
