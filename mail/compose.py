"""Rendering a message from its templates: templates/mail/<name>_subject.txt, .txt, .html.

The text and HTML templates extend mail/base.txt and mail/base.html (the team's name at
the top; what the message is and how to stop it at the bottom), so a new kind of
message is three short templates. Their context has, beside what the sender gives:

- `team` and `access`: the team the message is about and the recipient's standing in
  it, so that `{% contact_label contact %}` shows an evaluator pseudonyms, as pages do;
- `recipient` (the user, or None for an address alone), `site_url` for links (or the
  `{% absolute_url %}` tag of mail_links), and `unsubscribe_url` for recurring mail.
"""

from django.http import Http404
from django.template.loader import render_to_string

from teams.tenancy import TeamAccess, team_access


def render_message(template, context):
    """(subject, text, html) of template `template` with `context`; the parts see `subject`."""
    subject = render_to_string(f"mail/{template}_subject.txt", context)
    subject = " ".join(subject.split())  # one line, whatever the template's line breaks
    context = {**context, "subject": subject}
    return (
        subject,
        render_to_string(f"mail/{template}.txt", context),
        render_to_string(f"mail/{template}.html", context),
    )


def access_for(user, team):
    """What the recipient may see of `team`; refuses a user who is not a member.

    A recipient without an account is outside the team: it sees contacts as
    pseudonyms, as an evaluator does, and should be sent nothing of the team's log.
    """
    if team is None:
        return None
    if user is None:
        return TeamAccess(team, None, "evaluator")
    try:
        return team_access(user, team.slug)
    except Http404:
        raise ValueError(f"{user} is not a member of {team}: mail about it would leak it") from None
