"""REFI-QDA exchange: a study written as a `.qdpx` (validated against the standard's schema)
and a `.qdc`, read back into a new study, and refused whole when it holds what a study
cannot."""

import datetime
import io
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import xmlschema
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from demo.seeding import seed_demo
from evaluations.colours import PALETTE_SIZE
from evaluations.models import Excerpt, Participant, Source, Study, Theme
from evaluations.qda import codebook, reader
from evaluations.qda.project import SCHEMA_PATH
from tests import factories

pytestmark = pytest.mark.django_db

NS = {"q": "urn:QDA-XML:project:1.0"}
QDC_NS = "urn:QDA-XML:codebook:1.0"
# The copy of the standard kept beside the repositories, when there is one.
STANDARD = Path(__file__).resolve().parents[3] / "shared/standards/refi-qda/Project-mrt2019.xsd"
SCHEMA = xmlschema.XMLSchema10(str(SCHEMA_PATH))
# An accent and a character outside the Basic Multilingual Plane, so that
# positions are counted in code points, not bytes or UTF-16 units.
TEXT_1 = "Interviewer: how did it go?\nP01: The fellows café helped 🙂 a lot.\nIt saved months."
TEXT_2 = "Minutes. The commissioner asked for a rapid review. Trust grew."


def study_url(name, study, **kwargs):
    return reverse(
        f"evaluations:{name}", kwargs={"team": study.team.slug, "study": study.pk} | kwargs
    )


def passage(source, words, themes, **fields):
    start = source.text.index(words)
    return factories.ExcerptFactory(
        source=source, start=start, end=start + len(words), themes=themes, **fields
    )


@pytest.fixture
def study(team, evaluator):
    evaluator.first_name, evaluator.last_name = "Eve", "Lewis"
    evaluator.save()
    second = factories.UserFactory(username="second", first_name="Sam", last_name="Okafor")
    factories.MembershipFactory(user=second, team=team, role="evaluator")
    study = factories.StudyFactory(
        team=team, title="Fellows evaluation", questions="What changed?\nFor whom?"
    )
    study.evaluators.set([evaluator, second])
    contact = factories.ContactFactory(team=team, name="Dr Hidden Person")
    p01 = factories.ParticipantFactory(
        study=study, code="P01", community="research", role="Researcher", contact=contact
    )
    p02 = factories.ParticipantFactory(
        study=study, code="P02", community="commissioning", role="Commissioner"
    )
    impact = factories.ThemeFactory(
        study=study, name="Impact", position=0, description="Changes the work made."
    )
    knowledge = factories.ThemeFactory(study=study, name="Knowledge", parent=impact, position=0)
    enablers = factories.ThemeFactory(study=study, name="Enablers", position=1)
    interview = factories.SourceFactory(
        study=study, title="Interview P01", text=TEXT_1, participants=[p01]
    )
    minutes = factories.SourceFactory(
        study=study, title="Board minutes", kind="meeting_minutes", text=TEXT_2, participants=[p02]
    )
    passage(
        interview,
        "The fellows café helped 🙂 a lot.",
        [knowledge, enablers],
        participant=p01,
        memo="Café = informal space",
        coder=evaluator,
    )
    passage(interview, "It saved months.", [impact], participant=p01, coder=second)
    passage(minutes, "Trust grew.", [enablers], participant=p02, coder=evaluator)
    return study


def download(client, study):
    response = client.get(study_url("qda_project", study))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="study-{study.pk}-project.qdpx"'
    )
    return response.content


def members(content):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def project_of(content):
    files = members(content)
    root = ET.fromstring(files["project.qde"])
    SCHEMA.validate(root)
    return root, files


def codings(content):
    """Every coding of a project as (source, start, end, code path, coder, memo, case)."""
    root, files = project_of(content)
    codes, users = {}, {u.get("guid"): u.get("name") for u in root.iterfind(".//q:User", NS)}
    for top in root.iterfind("q:CodeBook/q:Codes/q:Code", NS):
        codes[top.get("guid")] = top.get("name")
        for sub in top.iterfind("q:Code", NS):
            codes[sub.get("guid")] = f"{top.get('name')} › {sub.get('name')}"
    notes = {
        n.get("guid"): n.findtext("q:PlainTextContent", namespaces=NS)
        for n in root.iterfind(".//q:Note", NS)
    }
    cases = {
        ref.get("targetGUID"): case.get("name")
        for case in root.iterfind(".//q:Case", NS)
        for ref in case.iterfind("q:SelectionRef", NS)
    }
    found = set()
    for source in root.iterfind(".//q:TextSource", NS):
        path = source.get("plainTextPath").removeprefix("internal://")
        text = files[f"Sources/{path}"].decode("utf-8")
        for selection in source.iterfind("q:PlainTextSelection", NS):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            memo = "".join(notes[r.get("targetGUID")] for r in selection.iterfind("q:NoteRef", NS))
            for coding in selection.iterfind("q:Coding", NS):
                code = codes[coding.find("q:CodeRef", NS).get("targetGUID")]
                found.add(
                    (
                        source.get("name"),
                        text[start:end],
                        start,
                        end,
                        code,
                        users.get(coding.get("creatingUser")),
                        memo,
                        cases.get(selection.get("guid")),
                    )
                )
    return found


EXPECTED_CODINGS = {
    ("Interview P01", "The fellows café helped 🙂 a lot.", 33, 65, "Impact › Knowledge",
     "Eve Lewis", "Café = informal space", "P01"),
    ("Interview P01", "The fellows café helped 🙂 a lot.", 33, 65, "Enablers",
     "Eve Lewis", "Café = informal space", "P01"),
    ("Interview P01", "It saved months.", 66, 82, "Impact", "Sam Okafor", "", "P01"),
    ("Board minutes", "Trust grew.", 52, 63, "Enablers", "Eve Lewis", "", "P02"),
}  # fmt: skip


def test_the_schema_is_the_standards_copy():
    if not STANDARD.exists():
        pytest.skip("no copy of the standard beside the repository")
    assert SCHEMA_PATH.read_bytes() == STANDARD.read_bytes()


def test_the_project_validates_and_holds_the_study(client_for, study, evaluator):
    content = download(client_for(evaluator), study)

    root, files = project_of(content)
    assert root.get("name") == "Fellows evaluation"
    assert root.findtext("q:Description", namespaces=NS) == "What changed?\nFor whom?"
    assert sorted(u.get("name") for u in root.iterfind("q:Users/q:User", NS)) == [
        "Eve Lewis",
        "Sam Okafor",
    ]
    tops = root.findall("q:CodeBook/q:Codes/q:Code", NS)
    assert [(c.get("name"), c.get("color")) for c in tops] == [
        # The coding screen's colours (evaluations.colours), Knowledge between them.
        ("Impact", "#FFEC99"),
        ("Enablers", "#A5D8FF"),
    ]
    assert tops[0].findtext("q:Description", namespaces=NS) == "Changes the work made."
    assert [c.get("name") for c in tops[0].findall("q:Code", NS)] == ["Knowledge"]
    # Positions count code points: the emoji is one character.
    assert codings(content) == EXPECTED_CODINGS
    assert TEXT_1[33:65] == "The fellows café helped 🙂 a lot."
    texts = sorted(name for name in files if name.startswith("Sources/"))
    assert len(texts) == 2
    assert sorted(files[name].decode() for name in texts) == sorted([TEXT_1, TEXT_2])
    cases = {
        case.get("name"): [
            v.findtext("q:TextValue", namespaces=NS) for v in case.iterfind("q:VariableValue", NS)
        ]
        for case in root.iterfind("q:Cases/q:Case", NS)
    }
    assert cases == {"P01": ["research", "Researcher"], "P02": ["commissioning", "Commissioner"]}
    # Participants leave the study by their codes: never their contact, by name or pseudonym.
    contact = Participant.objects.get(code="P01").contact
    everything = b"".join(files.values()).decode()
    assert contact.name not in everything
    assert contact.pseudonym not in everything


def test_the_same_study_gives_the_same_guids(client_for, study, evaluator):
    client = client_for(evaluator)

    first, second = project_of(download(client, study))[0], project_of(download(client, study))[0]

    def guids(root):
        return [e.get("guid") for e in root.iter() if e.get("guid")]

    assert guids(first) == guids(second)


def test_the_codebook_file_holds_the_framework(client_for, study, evaluator):
    response = client_for(evaluator).get(study_url("qda_codebook", study))

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'study-{study.pk}-codebook.qdc"')
    root = ET.fromstring(response.content)
    assert root.tag == f"{{{QDC_NS}}}CodeBook"
    # A codebook's Codes are the project's CodeType: checked by the project schema, moved
    # into the project namespace.
    for element in root.iter():
        element.tag = element.tag.replace(QDC_NS, NS["q"])
    project = ET.Element(f"{{{NS['q']}}}Project", {"name": "codebook"})
    holder = ET.SubElement(project, f"{{{NS['q']}}}CodeBook")
    holder.extend(list(root))
    SCHEMA.validate(project)
    names = [(c.get("name"), [s.get("name") for s in c]) for c in holder.find("q:Codes", NS)]
    assert names == [("Impact", [None, "Knowledge"]), ("Enablers", [])]


def test_an_empty_framework_has_no_codebook_to_download(client_for, team, evaluator):
    study = factories.StudyFactory(team=team)

    response = client_for(evaluator).get(study_url("qda_codebook", study))

    assert response.status_code == 302
    assert response["Location"] == study_url("qda_exchange", study)


def import_file(client, team, content, name="project.qdpx"):
    upload = SimpleUploadedFile(name, content, content_type="application/zip")
    url = reverse("evaluations:qda_import", kwargs={"team": team.slug})
    return client.post(url, {"file": upload, "submission": "a-token-of-this-import-0001"})


def test_export_import_export_gives_the_same_codings(client_for, team, study, evaluator):
    client = client_for(evaluator)
    first = download(client, study)

    response = import_file(client, team, first)

    assert response.status_code == 302
    imported = Study.objects.exclude(pk=study.pk).get()
    assert response["Location"] == imported.get_absolute_url()
    assert imported.title == "Fellows evaluation"
    assert imported.questions == "What changed?\nFor whom?"
    assert set(imported.evaluators.all()) == {evaluator}
    assert Source.objects.filter(study=imported).count() == 2
    assert Theme.objects.filter(study=imported).count() == 3
    assert Excerpt.objects.filter(source__study=imported).count() == 3
    board = Source.objects.get(study=imported, title="Board minutes")
    assert board.kind == "meeting_minutes"
    assert list(board.participants.values_list("code", flat=True)) == ["P02"]
    assert list(
        Participant.objects.filter(study=imported).values_list("code", "community", "role")
    ) == [("P01", "research", "Researcher"), ("P02", "commissioning", "Commissioner")]
    assert Participant.objects.get(study=imported, code="P01").contact is None
    # The coders are found again among the team's members by name.
    assert set(
        Excerpt.objects.filter(source__study=imported).values_list("coder__username", flat=True)
    ) == {"evaluator", "second"}
    assert codings(download(client, imported)) == EXPECTED_CODINGS


def test_a_second_send_of_the_same_import_makes_no_second_study(client_for, team, study, evaluator):
    client = client_for(evaluator)
    content = download(client, study)

    import_file(client, team, content)
    again = import_file(client, team, content)

    assert again.status_code == 302
    assert Study.objects.count() == 2


def qdpx(project_xml, sources=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", project_xml)
        for name, data in (sources or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


G = "{0:08d}-0000-4000-8000-000000000000".format

MIXED = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Mixed">
  <CodeBook><Codes><Code guid="{G(1)}" name="Trust" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="{G(2)}" name="Notes"><PlainTextContent>Some notes.</PlainTextContent>
      <PlainTextSelection guid="{G(3)}" startPosition="0" endPosition="4">
        <Coding guid="{G(4)}"><CodeRef targetGUID="{G(1)}"/></Coding>
      </PlainTextSelection>
    </TextSource>
    <AudioSource guid="{G(5)}" name="Interview recording" path="internal://a.mp3"/>
    <PDFSource guid="{G(6)}" name="Annual report" path="internal://r.pdf"/>
  </Sources>
</Project>"""


def test_a_project_with_audio_and_pdf_is_refused_and_nothing_saved(client_for, team, evaluator):
    response = import_file(client_for(evaluator), team, qdpx(MIXED))

    assert response.status_code == 200
    error = response.context["form"].errors["file"][0]
    assert "1 audio (Interview recording)" in error
    assert "1 PDF (Annual report)" in error
    assert "Nothing has been imported" in response.content.decode()
    assert Study.objects.count() == 0
    assert Theme.objects.count() == 0


def test_a_project_outside_the_schema_is_refused(client_for, team, evaluator):
    broken = (
        MIXED.replace(' isCodable="true"', "")
        .replace("<AudioSource", "<!--")
        .replace('path="internal://r.pdf"/>', "-->")
    )

    response = import_file(client_for(evaluator), team, qdpx(broken))

    error = response.context["form"].errors["file"][0]
    assert error.startswith("project.qde does not follow the REFI-QDA 1.5 schema")
    assert "isCodable" in error
    assert Study.objects.count() == 0


def test_a_passage_outside_its_text_is_refused_and_nothing_saved(client_for, team, evaluator):
    outside = MIXED.replace('endPosition="4"', 'endPosition="400"')
    outside = outside.split("<AudioSource")[0] + "</Sources></Project>"

    response = import_file(client_for(evaluator), team, qdpx(outside))

    assert "lies outside its text" in response.context["form"].errors["file"][0]
    assert Study.objects.count() == 0


def test_codes_three_levels_deep_are_refused(client_for, team, evaluator):
    deep = (
        MIXED.replace(
            f'<Code guid="{G(1)}" name="Trust" isCodable="true"/>',
            f'<Code guid="{G(1)}" name="A" isCodable="true"><Code guid="{G(7)}" name="B" '
            f'isCodable="true"><Code guid="{G(8)}" name="C" isCodable="true"/></Code></Code>',
        ).split("<AudioSource")[0]
        + "</Sources></Project>"
    )

    response = import_file(client_for(evaluator), team, qdpx(deep))

    assert "three levels deep (A › B › C)" in response.context["form"].errors["file"][0]


def test_a_zip_that_inflates_beyond_the_bound_is_refused(client_for, team, evaluator):
    text_only = MIXED.split("<AudioSource")[0] + "</Sources></Project>"
    bomb = qdpx(text_only, {"Sources/big.txt": b"\0" * (reader.MAX_EXPANDED_BYTES + 1)})
    assert len(bomb) < reader.MAX_BYTES

    response = import_file(client_for(evaluator), team, bomb)

    assert "inflates to more than" in response.context["form"].errors["file"][0]
    assert Study.objects.count() == 0


def test_windows_line_ends_move_the_positions_with_the_text(client_for, team, evaluator):
    text = "One.\r\nTwo words.\r\nThree."
    project = (
        MIXED.split("<AudioSource")[0]
        .replace("<PlainTextContent>Some notes.</PlainTextContent>", "")
        .replace('name="Notes"', 'name="Notes" plainTextPath="internal://n.txt"')
        .replace('startPosition="0" endPosition="4"', 'startPosition="6" endPosition="16"')
        + "</Sources></Project>"
    )

    response = import_file(client_for(evaluator), team, qdpx(project, {"Sources/n.txt": text}))

    assert response.status_code == 302
    excerpt = Excerpt.objects.get()
    assert excerpt.source.text == "One.\nTwo words.\nThree."
    assert (excerpt.start, excerpt.end, excerpt.text) == (5, 15, "Two words.")


def test_a_file_that_is_no_qdpx_is_refused(client_for, team, evaluator):
    response = import_file(client_for(evaluator), team, b"not a zip", name="project.qdpx")

    assert "not a readable .qdpx" in response.context["form"].errors["file"][0]
    response = import_file(client_for(evaluator), team, qdpx(MIXED), name="project.docx")
    assert "is not a .qdpx file" in response.context["form"].errors["file"][0]


def test_theme_codes_are_plain_and_unique():
    study = factories.StudyFactory()
    top = factories.ThemeFactory(study=study, name="Co-production & trust", position=0)
    sub = factories.ThemeFactory(study=study, name="Café 2.0", parent=top)
    twin = factories.ThemeFactory(study=study, name="Co-production: trust", position=1)
    digits = factories.ThemeFactory(study=study, name="2024 goals", position=2)
    themes = Theme.objects.filter(study=study).in_framework_order().select_related("parent")

    assert codebook.codes(themes) == {
        top.pk: "co_production_trust",
        sub.pk: "co_production_trust__cafe_2_0",
        twin.pk: "co_production_trust_2",
        digits.pk: "t_2024_goals",
    }


def test_the_demo_study_goes_out_and_comes_back_with_the_same_codings(client):
    seed_demo(force=True, today=datetime.date(2025, 6, 18), stdout=io.StringIO())
    demo = Study.objects.get(team__slug="bristol")
    client.force_login(get_user_model().objects.get(username="evaluator"))
    first = download(client, demo)
    assert len(codings(first)) >= Excerpt.objects.filter(source__study=demo).count() > 0

    response = import_file(client, demo.team, first)

    assert response.status_code == 302
    imported = Study.objects.exclude(pk=demo.pk).get(team__slug="bristol")
    assert codings(download(client, imported)) == codings(first)


def test_the_project_takes_a_fixed_number_of_queries(
    client_for, study, evaluator, django_assert_num_queries
):
    client = client_for(evaluator)
    source = Source.objects.get(study=study, title="Interview P01")
    theme = Theme.objects.get(study=study, name="Enablers")
    for number in range(6):
        participant = factories.ParticipantFactory(study=study, code=f"X{number}")
        source.participants.add(participant)
        passage(source, "It saved", [theme], participant=participant, coder=evaluator)

    # session, user, membership, study; the framework; sources; excerpts with their coders,
    # and their themes; participants, and their sources; the access log's record: 11.
    with django_assert_num_queries(11):
        content = download(client, study)

    assert len(codings(content)) == len(EXPECTED_CODINGS) + 6


def test_the_codebook_colours_are_those_of_the_coding_screen():
    study = factories.StudyFactory()
    top = factories.ThemeFactory(study=study, name="Impact", position=0)
    factories.ThemeFactory(study=study, name="Policy", parent=top)
    factories.ThemeFactory(study=study, name="Enablers", position=1)
    themes = list(Theme.objects.filter(study=study).in_framework_order().select_related("parent"))
    stylesheet = (settings.BASE_DIR / "static/css/evaluations.css").read_text()
    on_screen = dict(re.findall(r"\.theme-c(\d+) \{ --code: (#[0-9a-f]{6}); \}", stylesheet))

    assert len(on_screen) == PALETTE_SIZE
    assert [e.colour for e in codebook.entries(themes)] == [
        on_screen[str(n)].upper() for n in range(3)
    ]
