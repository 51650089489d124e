"""A demo team's members, with their broker profiles, and its contacts."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model

from activities.models import Broker, Community, Contact
from demo.seeding.data.activity_types import COMMUNITY_WEIGHTS
from demo.seeding.data.organisations import (
    CLINICAL_TITLES,
    COMMISSIONING_TITLES,
    DOCTOR_TITLES,
    ORG_DOMAIN,
    ORG_SHORT,
    OTHER_TITLES,
    PATIENT_PUBLIC_TITLES,
    RESEARCH_TITLES,
    Kind,
)
from demo.seeding.sampling import Pool
from kmtracker.lib.history.writing import record_history
from teams.models import Membership


@dataclass
class Person:
    """A contact as the generator needs it: ids and the words titles are made of."""

    id: int
    name: str
    first: str
    ref: str  # how a log would mention them: "Dr Price", "Hannah Price"
    organisation_id: int | None
    org_short: str
    community: str


class PeopleSeeding:
    """The part of `TeamSeeder` that makes the team's members and contacts."""

    def _members(self):
        User = get_user_model()
        self.brokers = {}  # username -> Broker
        self.users = {}
        for member in self.plan.members:
            user, created = User.objects.get_or_create(
                username=member.username,
                defaults={
                    "first_name": member.first_name,
                    "last_name": member.last_name,
                    "email": f"{member.username}@kmtracker.example",
                },
            )
            # A reset restores the published password too, so that the logins work again.
            if created or self.reset:
                user.password = self.password.hashed()
                user.save(update_fields=["password"])
            self.users[member.username] = user
            Membership.objects.create(user=user, team=self.team, role=member.role)
            if member.kind is None:
                continue
            contract_start = self.start
            self.brokers[member.username] = Broker.objects.create(
                team=self.team,
                user=user,
                kind=member.kind,
                home_organisation=self.orgs[member.home],
                host_organisation=self.orgs[member.host],
                fte=Decimal(member.fte),
                contract_start=contract_start,
                contract_end=contract_start.replace(
                    year=contract_start.year + member.contract_years
                )
                - datetime.timedelta(days=1),
            )
        for member in self.plan.members:
            if member.buddy:
                broker = self.brokers[member.username]
                broker.buddy = self.brokers[member.buddy]
                broker.save(update_fields=["buddy"])
        self.broker_list = list(self.brokers.values())
        self.plans_by_broker = {self.brokers[m.username].pk: m for m in self.plan.members if m.kind}

    def _contacts(self):
        rng, plan = self.rng, self.plan
        count = plan.contacts * self.scale
        names = [(f, last) for f in plan.first_names for last in plan.last_names]
        rng.shuffle(names)
        communities = list(COMMUNITY_WEIGHTS)
        # Every community is represented, then the rest follow the weights.
        assigned = communities + rng.choices(
            communities, weights=list(COMMUNITY_WEIGHTS.values()), k=count - len(communities)
        )
        used_emails = set()
        contacts = []
        for i, community in enumerate(assigned):
            first, last = names[i % len(names)]
            org_name = rng.choice(plan.organisations[community])
            title = self._job_title(community, org_name)
            email = ""
            if org_name or rng.random() < 0.5:
                domain = ORG_DOMAIN[org_name] if org_name else "mail.example"
                local = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
                email = f"{local}@{domain}"
                suffix = 2
                while email in used_emails:
                    email = f"{local}{suffix}@{domain}"
                    suffix += 1
                used_emails.add(email)
            if community != Community.PATIENT_PUBLIC and rng.random() < 0.05:
                used_emails.discard(email)
                email = ""
            phone = ""
            if rng.random() < 0.4:
                phone = (
                    f"{plan.phone_prefix}{rng.randint(0, 999):03d}"
                    if rng.random() < 0.6
                    else f"07700 900{rng.randint(0, 999):03d}"
                )
            contacts.append(
                Contact(
                    team=self.team,
                    name=f"{first} {last}",
                    job_title=title,
                    organisation=self.orgs[org_name] if org_name else None,
                    community=community,
                    email=email,
                    phone=phone,
                    notes=(
                        f"Met through the {self._topic()} work; prefers email."
                        if rng.random() < 0.15
                        else ""
                    ),
                    consent_note=(
                        "Consent given by email to be contacted about involvement work."
                        if community == Community.PATIENT_PUBLIC
                        else "Legitimate interest: professional contact through KM work."
                    ),
                )
            )
        Contact.objects.bulk_create(contacts, batch_size=500)
        record_history(contacts, created=True)
        self.pools = {}
        for community in communities:
            people = [
                Person(
                    c.pk,
                    c.name,
                    c.name.split(" ")[0],
                    self._ref(c),
                    c.organisation_id,
                    ORG_SHORT[c.organisation.name] if c.organisation else "",
                    community,
                )
                for c in contacts
                if c.community == community
            ]
            self.pools[community] = Pool(people, rng)

    def _job_title(self, community, org_name):
        rng = self.rng
        if community == Community.RESEARCH:
            return rng.choice(RESEARCH_TITLES)
        if community == Community.COMMISSIONING:
            kind = self.orgs[org_name].kind
            return rng.choice(
                COMMISSIONING_TITLES.get(kind, COMMISSIONING_TITLES[Kind.COMMISSIONER])
            )
        if community == Community.CLINICAL:
            kind = next(k for k in CLINICAL_TITLES if any(word in org_name for word in k))
            return rng.choice(CLINICAL_TITLES[kind])
        if community == Community.PATIENT_PUBLIC:
            return rng.choice(PATIENT_PUBLIC_TITLES)
        return rng.choice(OTHER_TITLES)

    @staticmethod
    def _ref(contact):
        last = contact.name.split(" ")[-1]
        if contact.job_title.startswith("Professor"):
            return f"Prof {last}"
        if contact.job_title in DOCTOR_TITLES:
            return f"Dr {last}"
        return contact.name
