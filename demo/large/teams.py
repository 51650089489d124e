"""The large dataset's teams, their people and their vocabulary."""

import itertools
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from activities.models import ActivityType, Broker, Category, Community, Organisation, Topic
from demo.large.shape import (
    BROKER_COUNT,
    BROKER_KINDS,
    FIRST_NAMES,
    LAST_NAMES,
    ORGANISATION_SUFFIXES,
    REGIONS,
    TEAM_COUNT,
    TEAM_SLUGS,
    TOPICS,
)
from demo.large.weights import shares_of, zipf
from demo.seeding import DEMO_PASSWORD
from demo.seeding.data.activity_types import WORK_MIX
from demo.seeding.sampling import weighted
from teams.models import Membership, Team


@dataclass
class TeamData:
    """One team as the generator needs it: ids, weights and pre-written texts."""

    team: Team
    weight: float
    brokers: list  # (broker id, user id, kind)
    broker_cum: list
    types: dict  # kind -> ((category, type id, type name), cumulative weights)
    topics: list  # (topic id, name)
    topic_cum: list
    contact_ids: list = None
    contact_orgs: list = None
    contact_cum: list = None
    known: list = None  # per day index: how many contacts the team knows by then
    projects: list = None  # (start day index, project id), by start
    texts: dict = None  # type name -> [(title, description)]
    outcome_texts: dict = None


class TeamSeeding:
    """The part of `LargeSeeder` that makes the organisations, teams, members and topics."""

    def _organisations(self):
        """Each region's organisations by community: {team index: {community: [org id]}}."""
        wanted = [
            (f"{region} {suffix}", kind) for region in REGIONS for suffix, kind, _ in
            ORGANISATION_SUFFIXES
        ]  # fmt: skip
        existing = {name.lower() for name in Organisation.objects.values_list("name", flat=True)}
        Organisation.objects.bulk_create(
            Organisation(name=name, kind=kind)
            for name, kind in wanted
            if name.lower() not in existing
        )
        ids = {name.lower(): pk for pk, name in Organisation.objects.values_list("pk", "name")}
        by_team = []
        for region in REGIONS:
            communities = {community: [] for community in Community.values}
            for suffix, _kind, community in ORGANISATION_SUFFIXES:
                communities[str(community)].append(ids[f"{region} {suffix}".lower()])
            # Patients and the public often come without an organisation.
            communities[str(Community.PATIENT_PUBLIC)] += [None] * 4
            by_team.append(communities)
        return by_team

    def _teams(self):
        rng = self.rng
        password = make_password(DEMO_PASSWORD)
        weights = zipf(TEAM_COUNT, 0.7)
        broker_counts = shares_of(BROKER_COUNT, weights, 3)
        User = get_user_model()
        usernames = []
        for slug, count in zip(TEAM_SLUGS, broker_counts, strict=True):
            usernames += [f"{slug}-lead", f"{slug}-evaluator"]
            usernames += [f"{slug}-broker-{n:03d}" for n in range(1, count)]
        known = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
        User.objects.bulk_create(
            User(
                username=name,
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                email=f"{name}@kmtracker.example",
                password=password,
            )
            for name in usernames
            if name not in known
        )
        users = dict(User.objects.filter(username__in=usernames).values_list("username", "pk"))
        teams = []
        for index, (region, slug) in enumerate(zip(REGIONS, TEAM_SLUGS, strict=True)):
            team = Team.objects.create(name=f"{region} KM Programme", slug=slug)
            Membership.objects.bulk_create(
                [
                    Membership(team=team, user_id=users[f"{slug}-lead"], role="lead"),
                    Membership(team=team, user_id=users[f"{slug}-evaluator"], role="evaluator"),
                ]
                + [
                    Membership(team=team, user_id=users[f"{slug}-broker-{n:03d}"], role="broker")
                    for n in range(1, broker_counts[index])
                ]
            )
            # Leads broker too: they are the team's first broker.
            names = [f"{slug}-lead"] + [
                f"{slug}-broker-{n:03d}" for n in range(1, broker_counts[index])
            ]
            orgs = self.organisations[index]
            contract_start = self.start
            brokers = Broker.objects.bulk_create(
                Broker(
                    team=team,
                    user_id=users[name],
                    kind=Broker.Kind.OTHER if n == 0 else weighted(rng, BROKER_KINDS),
                    home_organisation_id=orgs["research"][0],
                    host_organisation_id=orgs["commissioning"][0],
                    fte=rng.choice(("0.2", "0.4", "0.5", "0.6", "0.8", "1.0")),
                    contract_start=contract_start,
                    contract_end=self.today.replace(year=self.today.year + 1),
                )
                for n, name in enumerate(names)
            )
            broker_rows = [(b.pk, b.user_id, str(b.kind)) for b in brokers]
            broker_weights = [
                w * float(b.fte)
                for w, b in zip(zipf(len(brokers), 0.8), brokers, strict=True)
            ]  # fmt: skip
            Topic.objects.bulk_create(Topic(team=team, name=name) for name in TOPICS)
            topic_ids = dict(Topic.objects.filter(team=team).values_list("name", "pk"))
            type_ids = dict(ActivityType.objects.filter(team=team).values_list("name", "pk"))
            teams.append(
                TeamData(
                    team=team,
                    weight=weights[index],
                    brokers=broker_rows,
                    broker_cum=list(itertools.accumulate(broker_weights)),
                    types={str(kind): self._type_choice(kind, type_ids) for kind in BROKER_KINDS},
                    topics=[(topic_ids[name], name) for name in TOPICS],
                    topic_cum=list(itertools.accumulate(TOPICS.values())),
                )
            )
        self.counts["teams"] = TEAM_COUNT
        self.counts["brokers"] = sum(broker_counts)
        return teams

    @staticmethod
    def _type_choice(kind, type_ids):
        """What a broker of `kind` does: ((category, type id, name), cumulative weights)."""
        choices, weights = [], []
        for category, share, types in WORK_MIX[kind]:
            mix = dict(types)
            if category == Category.AWARENESS_RAISING:
                mix["Seminar delivered"] = 15  # about one event in ten of this category
            total = sum(mix.values())
            for name, weight in mix.items():
                choices.append((str(category), type_ids[name], name))
                weights.append(share * weight / total)
        return choices, list(itertools.accumulate(weights))
