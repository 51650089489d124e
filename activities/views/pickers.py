"""Endpoints behind the searchable selects and the "New contact" dialog of the forms."""

from django.db import transaction
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from activities.forms import ContactQuickForm
from activities.mentions import search_as_read, text_for
from activities.models import Broker, Organisation, Project, Topic
from activities.search import contacts_matching, matching
from kmtracker.lib.inputs import CONTROL_CHARACTERS
from teams import submissions
from teams.tenancy import WRITE, team_view

RESULTS = 20


def _search_term(request):
    """What a select searches for: `q` without control characters (PostgreSQL cannot
    compare text holding NUL, and no name holds them) and no longer than a name."""
    return CONTROL_CHARACTERS.sub("", request.GET.get("q", ""))[:200].strip()


def _results(objects, label):
    return JsonResponse({"results": [{"value": obj.pk, "text": label(obj)} for obj in objects]})


@team_view()
def contact_search(request, access):
    """The team's contacts matching `q`, labelled as the viewer may see them.

    Evaluators see pseudonyms, so searching by name would reveal who a
    pseudonym is: for them the search matches organisation names only.
    """
    contacts = contacts_matching(access, _search_term(request))
    # Sorted by name, pseudonyms would still tell evaluators how the names run.
    return _results(contacts.ordered_for(access)[:RESULTS], lambda c: _contact_text(c, access))


def _contact_text(contact, access):
    label = contact.label_for(access)
    if contact.organisation:
        return f"{label} ({contact.organisation.name})"
    return label


@team_view()
def organisation_search(request, access):
    """Organisations are shared by all teams; any member may search them."""
    term = _search_term(request)
    organisations = Organisation.objects.search(term) if term else Organisation.objects.all()
    return _results(organisations.order_by("name")[:RESULTS], str)


@team_view()
def broker_search(request, access):
    """The team's brokers whose name or username matches `q`."""
    brokers = matching(
        access.scoped(Broker).select_related("user"),
        _search_term(request),
        "user__first_name",
        "user__last_name",
        "user__username",
    )
    return _results(brokers[:RESULTS], str)


@team_view()
def topic_search(request, access):
    """The team's topics for the list's filter, retired ones too: old records have them."""
    topics = matching(access.scoped(Topic), _search_term(request), "name")
    return _results(topics.order_by("name")[:RESULTS], _topic_text)


def _topic_text(topic):
    return str(topic) if topic.is_active else f"{topic} (retired)"


@team_view()
def project_search(request, access):
    """The team's projects whose title, as the viewer reads it, holds `q`."""
    term = _search_term(request)
    projects = search_as_read(access.scoped(Project), access, ("title",), [term] if term else [])
    titles = projects.order_by("title", "pk")[:RESULTS]
    return _results(titles, lambda project: text_for(access, project.title))


def _made_earlier(token, access):
    """The answer to a dialog already sent with `token` (the contact it made), or None."""
    earlier = submissions.find(token, access)
    if earlier is None:
        return None
    return JsonResponse({**earlier.result, "submission": submissions.new_token()})


@require_POST
@team_view(WRITE)
def contact_quick_add(request, access):
    """Create a contact from the activity form's dialog; errors come back per field."""
    token = request.POST.get(f"{ContactQuickForm.prefix}-{submissions.FIELD}", "")
    if earlier := _made_earlier(token, access):  # sent twice: the contact the first made
        return earlier
    form = ContactQuickForm(request.POST, access=access)
    if not form.is_valid():
        # The same dialog sent at the same time may have saved meanwhile: then its contact
        # is what this one is warned about; answer with it, as to a second send.
        if earlier := _made_earlier(token, access):
            return earlier
        # A likely duplicate comes back with the contacts it looks like: the dialog
        # offers each ("use this one") or saving anyway ("it's a different person").
        duplicates = [
            {"value": m.contact.pk, "text": _contact_text(m.contact, access), "why": m.why}
            for m in form.warned_duplicates
        ]
        status = 409 if duplicates else 400
        return JsonResponse(
            {"errors": form.errors.get_json_data(), "duplicates": duplicates}, status=status
        )
    with transaction.atomic():
        try:
            submission = submissions.claim(token, access)
        except submissions.AlreadySubmitted as already:
            return JsonResponse(
                {**already.submission.result, "submission": submissions.new_token()}
            )
        contact = form.save()
        made = {"value": contact.pk, "text": _contact_text(contact, access)}
        submissions.record(submission, contact.get_absolute_url(), **made)
    return JsonResponse({**made, "submission": submissions.new_token()}, status=201)
