"""Merging duplicate contacts into one: the workflow behind the possible duplicates page.

One transaction moves every link of the merged contacts (activities, outcomes,
project partners, and through `contacts_merged` the links other apps hold,
such as evaluation participants) to the survivor, keeping one link where a
record had both; gives the survivor the value chosen for each field; deletes
the merged contacts and writes a `ContactMerge` naming their pseudonyms. Every
record involved gets a history record saying which merge changed it.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal

from activities.duplicate_checks import check_later
from activities.models import (
    Activity,
    Broker,
    Contact,
    ContactMerge,
    DistinctContacts,
    Organisation,
    Outcome,
    Project,
)
from kmtracker.lib.history.writing import change_reason

# The fields whose surviving value the person merging chooses, in the form's order.
MERGED_FIELDS = (
    "name",
    "job_title",
    "organisation",
    "community",
    "email",
    "phone",
    "notes",
    "consent_note",
)
# Sent inside the merge's transaction, before the merged contacts are deleted, so that
# apps above this one move their own links: sender=Contact, survivor, merged, access.
contacts_merged = Signal()
_LINKS = ((Activity, "contacts"), (Outcome, "contacts"), (Project, "partners"))


def may_merge(access, contact):
    """Leads merge any contact of the team; brokers the contacts they may edit (any not
    erased). An erased contact may be merged away but never survive: its details stay gone."""
    if not access.can_write:
        return False
    return access.is_lead or not contact.is_erased


def _move_links(model, field_name, survivor, merged_ids, user):
    """Point `model`'s many-to-many links to the merged records (contacts, organisations)
    at the survivor, one link per record."""
    field = model._meta.get_field(field_name)
    through = field.remote_field.through
    owner, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
    rows = list(through.objects.filter(**{f"{target}__in": merged_ids}).values_list("pk", owner))
    if not rows:
        return 0
    owners = {owner_id for _pk, owner_id in rows}
    linked = set(
        through.objects.filter(**{target: survivor.pk, f"{owner}__in": owners}).values_list(
            owner, flat=True
        )
    )
    keep, drop = {}, []
    for pk, owner_id in rows:
        if owner_id in linked or owner_id in keep:
            drop.append(pk)  # the record already names this person once
        else:
            keep[owner_id] = pk
    through.objects.filter(pk__in=drop).delete()
    through.objects.filter(pk__in=keep.values()).update(**{target: survivor.pk})
    # A new version and a history record for each record whose links changed.
    return model.objects.filter(pk__in=owners).update_with_history(user=user)


@transaction.atomic
def merge_contacts(access, survivor, merged, values):
    """Merge the contacts `merged` into `survivor` (all of `access`'s team), giving it
    `values` ({field: value}, fields of MERGED_FIELDS). Returns the ContactMerge."""
    merged = [contact for contact in merged if contact.pk != survivor.pk]
    ids = [contact.pk for contact in merged]
    if not merged:
        raise ValidationError("Choose at least one other contact to merge.")
    locked = Contact.objects.select_for_update().filter(pk__in=[survivor.pk, *ids])
    locked = {contact.pk: contact for contact in locked.for_team(access.team)}
    if len(locked) != len(ids) + 1:
        raise ValidationError("These contacts are no longer all in the team.")
    if locked[survivor.pk].is_erased:
        raise ValidationError("An erased contact cannot keep the merged contacts' details.")
    if not all(may_merge(access, contact) for contact in locked.values()):
        raise PermissionDenied
    survivor = locked[survivor.pk]
    merged = [locked[pk] for pk in ids]
    pseudonyms = [contact.pseudonym for contact in merged]
    user = access.user if getattr(access.user, "pk", None) else None
    with change_reason(f"Merged {', '.join(pseudonyms)} into {survivor.pseudonym}"):
        for model, field_name in _LINKS:
            _move_links(model, field_name, survivor, ids, user)
        contacts_merged.send(sender=Contact, survivor=survivor, merged=merged, access=access)
        # Earlier merges into a merged contact now belong to the survivor, and so do the
        # people it was told apart from.
        ContactMerge.objects.filter(survivor__in=ids).update(survivor=survivor)
        told_apart = DistinctContacts.objects.filter(Q(first__in=ids) | Q(second__in=ids))
        for first, second in told_apart.pairs():
            other = second if first in ids else first
            if other != survivor.pk and other not in ids:
                DistinctContacts.mark(access.team, [survivor, Contact(pk=other)], user)
        # The merged go first: the survivor may take one of their e-mail addresses.
        for contact in merged:
            contact._history_user = user
            contact.delete()
        for name in MERGED_FIELDS:
            if name in values:
                setattr(survivor, name, values[name])
        survivor._history_user = user
        survivor.full_clean(exclude=["team"], validate_unique=False)
        survivor.save()
    return ContactMerge.objects.create(
        team=access.team,
        survivor=survivor,
        survivor_pseudonym=survivor.pseudonym,
        merged_ids=ids,
        merged_pseudonyms=pseudonyms,
        merged_by=user,
    )


# The fields of an organisation whose surviving value the lead merging chooses; the other
# names and acronyms of all of them are kept together.
MERGED_ORGANISATION_FIELDS = ("name", "kind")


@transaction.atomic
def merge_organisations(survivor, merged, user=None, values=None):
    """Merge the organisations `merged` into `survivor`, for every team (organisations are
    shared): contacts, activities and brokers' home and host move to it, the merged names
    and aliases become its other names, so that what people typed still finds it.
    `values` ({field: value}, fields of MERGED_ORGANISATION_FIELDS) are its chosen values.
    Every record changed gets a history record naming the merge, the organisations too."""
    merged = [organisation for organisation in merged if organisation.pk != survivor.pk]
    ids = [organisation.pk for organisation in merged]
    if not merged:
        raise ValidationError("Choose at least one other organisation to merge.")
    names = [organisation.name for organisation in merged]
    teams = set(Contact.objects.filter(organisation__in=ids).values_list("team_id", flat=True))
    with change_reason(f"Merged {'; '.join(names)} into {survivor.name}"):
        _move_links(Activity, "organisations", survivor, ids, user)
        Contact.objects.filter(organisation__in=ids).update_with_history(
            user=user, organisation=survivor
        )
        Broker.objects.filter(home_organisation__in=ids).update(home_organisation=survivor)
        Broker.objects.filter(host_organisation__in=ids).update(host_organisation=survivor)
        others = [survivor.name, *survivor.alias_list, *names]
        for organisation in merged:
            others += organisation.alias_list
        # The merged go first: the survivor may take one of their names.
        for organisation in merged:
            organisation._history_user = user
            organisation.delete()
        for name in MERGED_ORGANISATION_FIELDS:
            if values and name in values:
                setattr(survivor, name, values[name])
        folded = survivor.name.casefold()
        unique = {
            alias.casefold(): alias for alias in reversed(others) if alias.casefold() != folded
        }
        survivor.aliases = "; ".join(reversed(unique.values()))[
            : Organisation._meta.get_field("aliases").max_length
        ]
        survivor._history_user = user
        survivor.full_clean(validate_unique=False)
        survivor.save()
    for team_id in teams:  # their contacts' organisation changed, unseen by signals
        check_later(team_id)
    return survivor
