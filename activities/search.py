"""The search box of the navigation: one query finds the team's activities, contacts,
organisations (by their names and other names), projects and outcomes.

Everything is read through `access.scoped()`, and found as the reader reads it: an
evaluator's contacts are pseudonyms, found by their organisation only, and free text is
searched as redacted (`search_as_read`), so a name they never see finds nothing.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse

from activities.filters import search_terms
from activities.mentions import redactor_for, search_as_read
from activities.models import Activity, Contact, Organisation, Outcome, Project

# Each group lists this many at the most: the box is for getting somewhere fast.
PER_GROUP = 5


@dataclass
class Group:
    label: str
    results: list = field(default_factory=list)


@dataclass
class Result:
    text: str
    url: str
    detail: str = ""


def contacts_matching(access, term):
    """The team's contacts whose name, e-mail or organisation (name or other name)
    contains `term`; for readers of pseudonyms, by their organisation alone."""
    contacts = access.scoped(Contact).active().select_related("organisation")
    fields = ("name", "email", "organisation__name", "organisation__aliases")
    if not access.sees_contact_names:
        fields = ("organisation__name", "organisation__aliases")
    return matching(contacts, term, *fields)


def matching(queryset, term, *fields):
    """`queryset` narrowed to rows where any of `fields` contains `term` (all when empty)."""
    if not term:
        return queryset
    match = Q()
    for name in fields:
        match |= Q(**{f"{name}__icontains": term})
    return queryset.filter(match)


def search_everything(access, term):
    """The groups of what `term` finds, each with up to PER_GROUP results (empty groups
    left out)."""
    terms = search_terms(term)
    if not terms:
        return []
    read = redactor_for(access) or (lambda text: text)
    slug = access.team.slug

    def url(name, pk):
        return reverse(f"activities:{name}", args=[slug, pk])

    activities = search_as_read(
        access.scoped(Activity).order_by("-date", "-pk"), access, ("title", "description"), terms
    )
    contacts = contacts_matching(access, term.strip()).ordered_for(access)
    organisations = Organisation.objects.of_team(access.team).search(term.strip()).order_by("name")
    projects = search_as_read(
        access.scoped(Project).order_by("title"), access, ("title", "description", "funder"), terms
    )
    outcomes = search_as_read(
        access.scoped(Outcome).order_by("-date", "-pk"), access, ("description", "evidence"), terms
    )
    groups = [
        Group(
            "Activities",
            [
                Result(read(a.title), url("activity_detail", a.pk), f"{a.date:%-d %b %Y}")
                for a in activities[:PER_GROUP]
            ],
        ),
        Group(
            "Contacts",
            [
                Result(
                    c.label_for(access),
                    url("contact_detail", c.pk),
                    c.organisation.name if c.organisation else "",
                )
                for c in contacts[:PER_GROUP]
            ],
        ),
        Group(
            "Organisations",
            [
                Result(
                    o.name,
                    reverse("activities:activity_list", args=[slug]) + f"?organisation={o.pk}",
                    o.aliases,
                )
                for o in organisations[:PER_GROUP]
            ],
        ),
        Group(
            "Projects",
            [
                Result(read(p.title), url("project_detail", p.pk), p.get_status_display())
                for p in projects[:PER_GROUP]
            ],
        ),
        Group(
            "Outcomes",
            [
                Result(
                    read(o.description)[:80] or o.get_type_display(),
                    url("outcome_detail", o.pk),
                    f"{o.get_type_display()}, {o.date:%-d %b %Y}",
                )
                for o in outcomes[:PER_GROUP]
            ],
        ),
    ]
    return [group for group in groups if group.results]
