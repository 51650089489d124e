"""A real sample from the sampling frame: a random draw stratified by community, with
quotas, reproducible from its recorded seed; then the invitations and the participants.

The draw takes, for each community with a quota, the eligible contacts in id order and
lets `random.Random(seed)` choose the quota among them (`random.sample`), communities in
their fixed order. Eligible: in the sampling frame for the period (an activity with the
team in it, not erased) and not in the study's sample already, whatever their status
(invited, declined, ...), nor a participant already. The frame is kept with the draw, so
`reproduce()` gives the same people from the seed at any later time.
"""

import random
import secrets

from django.db import transaction

from activities.models import Community, Contact
from evaluations.models import Draw, Invitee, Participant, Study
from evaluations.studies import sampling_frame


def new_seed():
    """A seed for a draw when the evaluator does not give one: a number anyone can retype."""
    return str(secrets.randbelow(10**9))


def choose(frame, quotas, seed):
    """{community: the contact ids chosen}: `quotas[community]` of `frame[community]` (all of
    them when there are fewer), drawn by `random.Random(seed)`, communities in order."""
    rng = random.Random(str(seed))
    chosen = {}
    for code in Community.values:
        quota = quotas.get(code, 0)
        if not quota:
            continue
        pool = sorted(frame.get(code, []))
        chosen[code] = rng.sample(pool, min(quota, len(pool)))
    return chosen


def reproduce(draw):
    """The contacts `draw` chose, drawn again from its recorded frame and seed."""
    return choose(draw.frame, draw.quotas, draw.seed)


def eligible_frame(access, study, start=None, end=None):
    """{community: ids} of the frame's contacts that the study has not drawn or made
    participants of already."""
    taken = set(Invitee.objects.filter(study=study).values_list("contact_id", flat=True))
    taken |= set(
        Participant.objects.filter(study=study, contact__isnull=False).values_list(
            "contact_id", flat=True
        )
    )
    frame = {}
    contacts = sampling_frame(access.scoped(Contact), start, end)
    for pk, community in contacts.values_list("pk", "community"):
        if pk not in taken:
            frame.setdefault(community, []).append(pk)
    return {code: sorted(ids) for code, ids in frame.items()}


@transaction.atomic
def draw_sample(access, study, quotas, seed=None, start=None, end=None):
    """Draw and record a stratified sample: the Draw, with an Invitee for each person.

    Draws of one study are made one at a time (the study's row is locked), so that two
    evaluators drawing at once cannot both choose the same person."""
    Study.objects.select_for_update().filter(pk=study.pk).first()
    seed = seed or new_seed()
    quotas = {code: n for code, n in quotas.items() if n}
    frame = eligible_frame(access, study, start, end)
    frame = {code: ids for code, ids in frame.items() if code in quotas}
    draw = Draw.objects.create(
        study=study,
        seed=seed,
        quotas=quotas,
        frame=frame,
        period_start=start,
        period_end=end,
        drawn_by=access.user,
    )
    for community, ids in choose(frame, quotas, seed).items():
        for pk in ids:
            Invitee.objects.create(study=study, draw=draw, contact_id=pk, community=community)
    return draw


@transaction.atomic
def accepted_to_participants(study):
    """Make each accepted invitee without a participant one (next code, their community,
    linked to their contact): the participants made, in order."""
    made = []
    waiting = Invitee.objects.filter(
        study=study, status=Invitee.Status.ACCEPTED, participant__isnull=True
    ).select_for_update()
    for invitee in waiting.order_by("pk"):
        participant = Participant.objects.filter(study=study, contact=invitee.contact_id).first()
        if participant is None:
            participant = Participant.objects.create(
                study=study,
                code=Participant.next_code(study),
                community=invitee.community,
                contact_id=invitee.contact_id,
            )
            made.append(participant)
        invitee.participant = participant
        invitee.save()
    return made
