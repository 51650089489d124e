"""Records of the reflective log and of an evaluation study, for the URL matrix.

`evaluation_objects()` gives each record under the name the matrix's lines use:
model objects for URLs that take `pk`, and dicts of URL arguments for the URLs
under a study (`/evaluations/<study>/...`).
"""

from evaluations.models import Invitee
from tests import factories


def evaluation_objects(team, broker, evaluator):
    private = factories.ReflectiveEntryFactory(team=team, author=broker, title="Matrix private")
    shared = factories.ReflectiveEntryFactory(
        team=team, author=broker, title="Matrix shared", shared=True
    )
    study = factories.StudyFactory(team=team, title="Matrix study")
    study.evaluators.set([evaluator])
    participant = factories.ParticipantFactory(study=study, code="P01")
    source = factories.SourceFactory(study=study, participants=[participant])
    theme = factories.ThemeFactory(study=study, name="Enablers")
    sub_theme = factories.ThemeFactory(study=study, name="Buddying up", parent=theme)
    excerpt = factories.ExcerptFactory(
        source=source, start=4, end=11, themes=[sub_theme], participant=participant
    )
    invitee = Invitee.objects.create(
        study=study, contact=factories.ContactFactory(team=team), community="research"
    )
    in_study = {"study": study.pk}
    return {
        "private_entry": private,
        "shared_entry": shared,
        "study": study,
        "in_study": in_study,
        "participant": in_study | {"pk": participant.pk},
        "source": in_study | {"pk": source.pk},
        "theme": in_study | {"pk": sub_theme.pk},
        "excerpt": in_study | {"pk": excerpt.pk},
        "invitee": in_study | {"pk": invitee.pk},
        "cell": in_study | {"rows": "participants", "row": participant.pk, "theme": theme.pk},
    }
