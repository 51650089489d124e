"""A small brokering log whose every quarterly-report figure is worked out by hand.

The report under test is 2025/26 Q2 (1 Jul – 30 Sep 2025) of a team whose year
starts in April, so its columns are:

    this quarter      1 Jul 2025 – 30 Sep 2025   (A4 A5 A6 A7)
    previous quarter  1 Apr 2025 – 30 Jun 2025   (A2 A3)
    year to date      1 Apr 2025 – 30 Sep 2025   (A2 A3 A4 A5 A6 A7)

A1 (31 March 2025) and A8 (1 October 2025) sit just outside every column.

    id  date       category  lead  co-brokers  min  setting   direction conduits     contacts  att.
    A1  31 Mar 25  relation  Bea   -            60  commiss.  RIC       interpers.   res.       -
    A2   1 Apr 25  advice    Lee   Bea          90  academic  CIR       interp+gov   comm+res   -
    A3  30 Jun 25  aware.    Bea   -           120  academic  both      -            -         40
    A4   1 Jul 25  aware.    Lee   Bea, Cal     45  online    RIC       product      comm.     25
    A5  15 Jul 25  relation  Cal   -            30  clinical  unclear   -            clin+res   -
    A6  20 Aug 25  collab.   Bea   Cal        none  (blank)   CIR       interpers.   clin.      -
    A7  30 Sep 25  aware.    Cal   -            50  academic  both      -            patient   12
    A8   1 Oct 25  relation  Lee   -            60  academic  unclear   -            late       -

Contacts and their first activity: research 31 Mar (A1), commissioning 1 Apr
(A2), clinical 15 Jul (A5), patient 30 Sep (A7), late 1 Oct (A8).

    project  status now    submitted (requested)   decided (awarded)
    P1       submitted     15 Aug 25 (100,000)     -
    P2       funded        10 May 25 (50,000)       1 Jul 25 (45,000)
    P3       unsuccessful   1 Apr 25 (20,000)      30 Sep 25
    P4       completed      1 Feb 25 (10,000)      31 Mar 25 (8,000)
    P5       completed      1 Mar 25 (15,000)      15 Jun 25 (12,000.50)
    P6       idea; P7 and P8 developing
    P9       withdrawn     20 Jul 25 (5,000)       10 Aug 25

Their status history (each change at noon on the day) and status at the end of
30 June and of 30 September 2025:

    project  history                                                  30 Jun      30 Sep
    P1       idea 1 Jun, developing 1 Jul, submitted 15 Aug            idea        submitted
    P2       developing 1 Apr, submitted 10 May, funded 1 Jul          submitted   funded
    P3       developing 1 Mar, submitted 1 Apr, unsuccessful 30 Sep    submitted   unsuccessful
    P4       developing 1 Jan, submitted 1 Feb, funded 31 Mar,
             completed 1 May                                          completed   completed
    P5       developing 1 Feb, submitted 1 Mar, funded 15 Jun,
             completed 1 Sep                                          funded      completed
    P6       idea 1 Oct                                               -           -
    P7       idea 1 May, developing 1 Aug                             idea        developing
    P8       developing 1 Apr                                         developing  developing
    P9       developing 1 Jul, submitted 20 Jul, withdrawn 10 Aug      -           withdrawn

    outcome  type                          date
    O1       connection made                1 Jul 25
    O2       capability change, knowledge  20 Sep 25
    O3       capability change, confidence 30 Jun 25
    O4       bid funded                    31 Mar 25
    O5       evidence used in a decision    1 Oct 25
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from freezegun import freeze_time

from activities.models import Conduit, Direction, Outcome, Project, Setting
from tests import factories

D = datetime.date


def build_logbook(team, lead, broker, other_team=None):
    """The log above, for `team` with the personas `lead` (Lee) and `broker` (Bea)."""
    lee, bea = lead.broker_profile, broker.broker_profile
    for user, last_name in ((lead, "Lamb"), (broker, "Baker")):
        user.last_name = last_name  # names as they appear in "Activities by broker"
        user.save(update_fields=["last_name"])
    cal = factories.BrokerFactory(
        team=team, user=factories.UserFactory(username="cal", first_name="Cal", last_name="Cole")
    )
    conduit = {
        code: Conduit.objects.get(code=code)
        for code in Conduit.objects.values_list("code", flat=True)
    }
    contact = {
        name: factories.ContactFactory(
            team=team, name=f"{name.title()} contact", community=community
        )
        for name, community in [
            ("research", "research"),
            ("commissioning", "commissioning"),
            ("clinical", "clinical"),
            ("patient", "patient_public"),
            ("late", "research"),
        ]
    }

    def activity(title, date, type_name, lead_broker, minutes, setting, direction, **links):
        return factories.ActivityFactory(
            team=team,
            title=title,
            date=date,
            activity_type=factories.activity_type(team, type_name),
            lead_broker=lead_broker,
            duration_minutes=minutes,
            setting=setting,
            direction=direction,
            co_brokers=links.get("co", []),
            conduits=[conduit[code] for code in links.get("conduits", [])],
            contacts=[contact[name] for name in links.get("contacts", [])],
            attendees=links.get("attendees"),
        )

    RIC, CIR = Direction.RESEARCH_INFORMED_COMMISSIONING, Direction.COMMISSIONING_INFORMED_RESEARCH
    BOTH, UNCLEAR = Direction.BOTH, Direction.UNCLEAR
    a = {
        1: activity("A1", D(2025, 3, 31), "Introduction", bea, 60, Setting.COMMISSIONING, RIC,
                    conduits=["interpersonal"], contacts=["research"]),
        2: activity("A2", D(2025, 4, 1), "Consultation", lee, 90, Setting.ACADEMIC, CIR,
                    co=[bea], conduits=["interpersonal", "governance"],
                    contacts=["commissioning", "research"]),
        3: activity("A3", D(2025, 6, 30), "Seminar delivered", bea, 120, Setting.ACADEMIC, BOTH,
                    attendees=40),
        4: activity("A4", D(2025, 7, 1), "Presentation", lee, 45, Setting.ONLINE, RIC,
                    co=[bea, cal], conduits=["product_deployment"], contacts=["commissioning"],
                    attendees=25),
        5: activity("A5", D(2025, 7, 15), "Introduction", cal, 30, Setting.CLINICAL, UNCLEAR,
                    contacts=["clinical", "research"]),
        6: activity("A6", D(2025, 8, 20), "Bid drafting", bea, None, "", CIR,
                    co=[cal], conduits=["interpersonal"], contacts=["clinical"]),
        7: activity("A7", D(2025, 9, 30), "Seminar delivered", cal, 50, Setting.ACADEMIC, BOTH,
                    contacts=["patient"], attendees=12),
        8: activity("A8", D(2025, 10, 1), "Introduction", lee, 60, Setting.ACADEMIC, UNCLEAR,
                    contacts=["late"]),
    }  # fmt: skip

    S = Project.Status

    def project(title, statuses, submitted=None, decided=None, requested=None, awarded=None):
        """A project created on the first of `statuses` ([(day, status)], at noon) and moved
        on each later day, so that its change history holds its status on every day."""
        (created, status), *moves = statuses
        with freeze_time(f"{created} 12:00"):
            made = factories.ProjectFactory(
                team=team,
                title=title,
                status=status,
                submitted_on=submitted,
                decided_on=decided,
                amount_requested=requested,
                amount_awarded=awarded,
            )
        for day, status in moves:
            with freeze_time(f"{day} 12:00"):
                made.status = status
                made.save()
        return made

    p = {
        # Submitted this quarter, still waiting.
        1: project("P1", [(D(2025, 6, 1), S.IDEA), (D(2025, 7, 1), S.DEVELOPING),
                          (D(2025, 8, 15), S.SUBMITTED)],
                   D(2025, 8, 15), None, Decimal("100000")),
        # Submitted last quarter, funded on the first day of this one.
        2: project("P2", [(D(2025, 4, 1), S.DEVELOPING), (D(2025, 5, 10), S.SUBMITTED),
                          (D(2025, 7, 1), S.FUNDED)],
                   D(2025, 5, 10), D(2025, 7, 1), Decimal("50000"), Decimal("45000")),
        # Submitted on 1 April, turned down on the last day of this quarter.
        3: project("P3", [(D(2025, 3, 1), S.DEVELOPING), (D(2025, 4, 1), S.SUBMITTED),
                          (D(2025, 9, 30), S.UNSUCCESSFUL)],
                   D(2025, 4, 1), D(2025, 9, 30), Decimal("20000")),
        # Funded on 31 March (last year) and completed since: in no column.
        4: project("P4", [(D(2025, 1, 1), S.DEVELOPING), (D(2025, 2, 1), S.SUBMITTED),
                          (D(2025, 3, 31), S.FUNDED), (D(2025, 5, 1), S.COMPLETED)],
                   D(2025, 2, 1), D(2025, 3, 31), Decimal("10000"), Decimal("8000")),
        # Funded in June and completed since: counts as funded last quarter.
        5: project("P5", [(D(2025, 2, 1), S.DEVELOPING), (D(2025, 3, 1), S.SUBMITTED),
                          (D(2025, 6, 15), S.FUNDED), (D(2025, 9, 1), S.COMPLETED)],
                   D(2025, 3, 1), D(2025, 6, 15), Decimal("15000"), Decimal("12000.50")),
        # An idea first written down on 1 October, after the quarter.
        6: project("P6", [(D(2025, 10, 1), S.IDEA)]),
        # An idea in May, developing from August.
        7: project("P7", [(D(2025, 5, 1), S.IDEA), (D(2025, 8, 1), S.DEVELOPING)]),
        # Developing since 1 April.
        8: project("P8", [(D(2025, 4, 1), S.DEVELOPING)]),
        # Begun, submitted and withdrawn this quarter: neither funded nor unsuccessful.
        9: project("P9", [(D(2025, 7, 1), S.DEVELOPING), (D(2025, 7, 20), S.SUBMITTED),
                          (D(2025, 8, 10), S.WITHDRAWN)],
                   D(2025, 7, 20), D(2025, 8, 10), Decimal("5000")),
    }  # fmt: skip
    # P9 was submitted this quarter too: submitted this quarter = P1 + P9.

    T = Outcome.Type

    def outcome(type_, date, activity=None, project=None, dimension=""):
        return factories.OutcomeFactory(
            team=team,
            type=type_,
            date=date,
            activity=activity,
            project=project,
            capability_dimension=dimension,
        )

    o = {
        1: outcome(T.CONNECTION_MADE, D(2025, 7, 1), activity=a[4]),
        2: outcome(T.CAPABILITY_CHANGE, D(2025, 9, 20), activity=a[5], dimension="knowledge"),
        3: outcome(T.CAPABILITY_CHANGE, D(2025, 6, 30), activity=a[3], dimension="confidence"),
        4: outcome(T.BID_FUNDED, D(2025, 3, 31), project=p[4]),
        5: outcome(T.EVIDENCE_USED_IN_DECISION, D(2025, 10, 1), activity=a[8]),
    }

    if other_team is not None:
        # Another team's work in the same quarter: it must not count anywhere.
        stranger = factories.BrokerFactory(team=other_team)
        other = factories.ActivityFactory(
            team=other_team, lead_broker=stranger, date=D(2025, 8, 1), duration_minutes=600
        )
        factories.ProjectFactory(
            team=other_team, status=S.SUBMITTED, submitted_on=D(2025, 8, 1),
            amount_requested=Decimal("999"),
        )  # fmt: skip
        factories.OutcomeFactory(team=other_team, activity=other, date=D(2025, 8, 1))

    return SimpleNamespace(
        team=team, lee=lee, bea=bea, cal=cal, contact=contact, activity=a, project=p, outcome=o
    )
