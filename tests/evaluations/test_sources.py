"""Sources of a study: pasted text, uploaded .txt/.md/.docx files (bad files refused with a
clear message and nothing saved), shared reflective log entries and signed-off report
narratives brought in without retyping."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from evaluations.models import QuarterlyReport, Source
from evaluations.studies import MAX_UPLOAD_BYTES
from tests import factories

pytestmark = pytest.mark.django_db

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture
def study(team, evaluator):
    return factories.StudyFactory(team=team, title="Year two")


def url(name, study, **kwargs):
    return reverse(
        f"evaluations:{name}", kwargs={"team": study.team.slug, "study": study.pk, **kwargs}
    )


def docx(body):
    """A minimal Word document whose body is `body` (WordprocessingML)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{body}'
            "</w:body></w:document>",
        )
    return buffer.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def post_source(client, study, **fields):
    data = {"kind": "interview", "title": "Interview with P01", "date": "2025-06-02", **fields}
    return client.post(url("source_add", study), data)


def test_it_saves_pasted_text_with_one_kind_of_line_ending(client_for, study, evaluator):
    participant = factories.ParticipantFactory(study=study, code="P01")

    response = post_source(
        client_for(evaluator),
        study,
        text="Q: How did it start?\r\nA: At a seminar.\r\n",
        participants=[participant.pk],
    )

    source = Source.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("source_detail", study, pk=source.pk)
    assert source.text == "Q: How did it start?\nA: At a seminar."
    assert (source.kind, source.title, source.date) == (
        "interview",
        "Interview with P01",
        datetime.date(2025, 6, 2),
    )
    assert list(source.participants.all()) == [participant]
    assert source.created_by == evaluator


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("notes.txt", "\ufeffFirst line\r\nSecond – line".encode(), "First line\nSecond – line"),
        ("notes.md", b"# Workshop\n\n- buddying\n", "# Workshop\n\n- buddying"),
        # Notepad's old encoding: the pound sign and the curly quotes are single bytes.
        ("minutes.txt", "Budget £30k, “agreed”".encode("cp1252"), "Budget £30k, “agreed”"),
    ],
)
def test_it_reads_the_text_of_an_uploaded_text_file(
    client_for, study, evaluator, name, content, expected
):
    response = post_source(client_for(evaluator), study, upload=upload(name, content))

    assert response.status_code == 302
    source = Source.objects.get()
    assert source.text == expected
    assert source.file_name == name


def test_it_reads_the_paragraphs_of_a_word_document(client_for, study, evaluator):
    body = (
        "<w:p><w:r><w:t>Interviewer: How did you </w:t></w:r><w:r><w:t>meet them?</w:t></w:r></w:p>"
        "<w:p/>"
        "<w:p><w:r><w:t>P01:</w:t><w:tab/><w:t>Through a seminar.</w:t><w:br/>"
        "<w:t>Then a bid.</w:t></w:r></w:p>"
        "<w:p><w:r><w:delText>Struck out</w:delText></w:r></w:p>"
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>In a table</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    )

    response = post_source(client_for(evaluator), study, upload=upload("p01.docx", docx(body)))

    assert response.status_code == 302
    assert Source.objects.get().text == (
        "Interviewer: How did you meet them?\n\nP01:\tThrough a seminar.\nThen a bid.\n\nIn a table"
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is not a text file"),
        ("export.md", b"PK\x03\x04 a zip with a text name", "is not a text file"),
        ("interview.docx", b"Plain text that claims to be Word.", "is not a Word document"),
        ("empty.docx", b"", "The submitted file is empty."),
        ("interview.doc", b"\xd0\xcf\x11\xe0 old Word", "Save it from Word as a .docx file"),
        ("report.pdf", b"%PDF-1.7", "Copy its text and paste it instead"),
        ("blank.txt", b"\n\n  \n", "holds no text"),
    ],
)
def test_a_bad_file_gets_a_clear_error_and_nothing_is_saved(
    client_for, study, evaluator, name, content, message
):
    response = post_source(client_for(evaluator), study, upload=upload(name, content))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["upload"]
    assert message in errors["upload"][0]
    assert content == b"" or name in errors["upload"][0]
    assert not Source.objects.exists()


def test_a_zip_that_is_not_a_word_document_is_refused(client_for, study, evaluator):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("content.xml", "<office:document/>")

    response = post_source(
        client_for(evaluator), study, upload=upload("odt-renamed.docx", buffer.getvalue())
    )

    assert "has no document text" in response.context["form"].errors["upload"][0]
    assert not Source.objects.exists()


def test_a_word_document_with_an_xml_bomb_is_refused(client_for, study, evaluator):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "word/document.xml",
            '<!DOCTYPE lolz [<!ENTITY lol "lol">]><w:document xmlns:w="x">&lol;</w:document>',
        )

    response = post_source(
        client_for(evaluator), study, upload=upload("bomb.docx", buffer.getvalue())
    )

    assert "not what Word writes" in response.context["form"].errors["upload"][0]
    assert not Source.objects.exists()


def test_an_oversized_file_is_refused_and_nothing_is_saved(client_for, study, evaluator):
    big = upload("transcript.txt", b"word " * (MAX_UPLOAD_BYTES // 5 + 1))

    response = post_source(client_for(evaluator), study, upload=big)

    error = response.context["form"].errors["upload"][0]
    assert "transcript.txt" in error
    assert "2.0\xa0MB" in error
    assert not Source.objects.exists()


def test_it_wants_pasted_text_or_a_file_but_not_both(client_for, study, evaluator):
    client = client_for(evaluator)

    neither = post_source(client, study, text="")
    both = post_source(client, study, text="Pasted", upload=upload("a.txt", b"Uploaded"))

    assert "Paste the source's text" in neither.context["form"].errors["text"][0]
    assert "not both" in both.context["form"].errors["upload"][0]
    assert not Source.objects.exists()


def test_an_upload_replaces_the_text_of_an_uncoded_source(client_for, study, evaluator):
    source = factories.SourceFactory(study=study, text="Old text")

    response = client_for(evaluator).post(
        url("source_edit", study, pk=source.pk),
        {
            "kind": "interview",
            "title": "Renamed",
            "text": "Old text",
            "upload": upload("new.txt", b"New text"),
        },
    )

    assert response.status_code == 302
    source.refresh_from_db()
    assert (source.title, source.text, source.file_name) == ("Renamed", "New text", "new.txt")


def test_the_participants_offered_are_the_studys_own(client_for, study, evaluator):
    other_study = factories.StudyFactory(team=study.team)
    stranger = factories.ParticipantFactory(study=other_study)

    response = post_source(client_for(evaluator), study, text="Text", participants=[stranger.pk])

    assert "participants" in response.context["form"].errors
    assert not Source.objects.exists()


# From the reflective log.


def test_shared_log_entries_become_sources_without_retyping(
    client_for, team, study, broker, evaluator
):
    shared = factories.ReflectiveEntryFactory(
        team=team,
        author=broker,
        title="Buddying up",
        text="My buddy made it easier.",
        date=datetime.date(2025, 5, 14),
        shared=True,
        tags=["enabler"],
    )
    private = factories.ReflectiveEntryFactory(team=team, author=broker, title="Private")
    client = client_for(evaluator)

    page = client.get(url("source_add_from_log", study))
    offered = list(page.context["form"].fields["entries"].queryset)
    response = client.post(url("source_add_from_log", study), {"entries": [shared.pk]})

    assert offered == [shared]
    assert "Private" not in page.content.decode()
    assert response.status_code == 302
    source = Source.objects.get()
    assert (source.kind, source.title, source.date, source.reflective_entry) == (
        "reflective_log",
        "Reflective log: Buddying up",
        datetime.date(2025, 5, 14),
        shared,
    )
    assert source.text == "My buddy made it easier.\n\nTags: Enabler"
    refused = client.post(url("source_add_from_log", study), {"entries": [private.pk]})
    assert "entries" in refused.context["form"].errors
    assert Source.objects.count() == 1


def test_a_log_entry_is_brought_in_once(client_for, team, study, broker, evaluator):
    shared = factories.ReflectiveEntryFactory(team=team, author=broker, shared=True)
    client = client_for(evaluator)

    client.post(url("source_add_from_log", study), {"entries": [shared.pk]})
    again = client.post(url("source_add_from_log", study), {"entries": [shared.pk]})

    assert again.status_code == 200  # no longer offered
    assert Source.objects.count() == 1


def test_it_offers_the_entries_of_the_studys_period_unless_asked_for_all(
    client_for, team, study, broker, evaluator
):
    inside = factories.ReflectiveEntryFactory(
        team=team, author=broker, shared=True, date=datetime.date(2025, 6, 1)
    )
    before = factories.ReflectiveEntryFactory(
        team=team, author=broker, shared=True, date=datetime.date(2025, 3, 31)
    )
    client = client_for(evaluator)

    in_period = client.get(url("source_add_from_log", study))
    every = client.get(url("source_add_from_log", study), {"period": "all"})

    assert list(in_period.context["form"].fields["entries"].queryset) == [inside]
    assert list(every.context["form"].fields["entries"].queryset) == [inside, before]


# From signed-off quarterly reports.


def signed_off_report(team, number=1, **narrative):
    start = datetime.date(2025, 4 + 3 * (number - 1), 1)
    texts = {"highlights": "Ten seminars.", "challenges": "Workload.", "plans": "Two bids."}
    texts |= narrative
    return QuarterlyReport.objects.create(
        team=team,
        start_year=2025,
        number=number,
        start=start,
        end=start + datetime.timedelta(days=89),
        signed_off_at=timezone.now(),
        frozen={"figures": {"sections": [], "months": []}, "narrative": texts},
        # What the lead typed after sign-off is not what was submitted.
        highlights="Changed after sign-off",
    )


def test_signed_off_report_narratives_become_sources(client_for, team, study, evaluator):
    report = signed_off_report(team)
    QuarterlyReport.objects.create(
        team=team,
        start_year=2025,
        number=2,
        start=datetime.date(2025, 7, 1),
        end=datetime.date(2025, 9, 30),
        highlights="Not signed off",
    )
    client = client_for(evaluator)

    offered = client.get(url("source_add_from_narratives", study)).context["form"]
    response = client.post(url("source_add_from_narratives", study), {"reports": [report.pk]})

    assert list(offered.fields["reports"].queryset) == [report]
    assert response.status_code == 302
    source = Source.objects.get()
    assert (source.kind, source.title, source.date, source.quarterly_report) == (
        "progress_report",
        "Progress report 2025/26 Q1 (Apr–Jun 2025)",
        datetime.date(2025, 6, 29),
        report,
    )
    assert source.text == (
        "Highlights\n\nTen seminars.\n\nChallenges\n\nWorkload.\n\n"
        "Plans for next quarter\n\nTwo bids."
    )
    client.post(url("source_add_from_narratives", study), {"reports": [report.pk]})
    assert Source.objects.count() == 1


def test_another_teams_reports_and_entries_are_not_offered(
    client_for, study, evaluator, other_team, other_broker
):
    signed_off_report(other_team)
    factories.ReflectiveEntryFactory(team=other_team, author=other_broker, shared=True)
    client = client_for(evaluator)

    assert (
        not client.get(url("source_add_from_narratives", study))
        .context["form"]
        .fields["reports"]
        .queryset.exists()
    )
    assert (
        not client.get(url("source_add_from_log", study))
        .context["form"]
        .fields["entries"]
        .queryset.exists()
    )


def test_leads_read_a_source_without_the_coding_form(client_for, study, lead):
    source = factories.SourceFactory(study=study)

    response = client_for(lead).get(url("source_detail", study, pk=source.pk))

    assert response.status_code == 200
    assert response.context["form"] is None
    assert "Code a passage" not in response.content.decode()


def test_deleting_a_source_deletes_its_coded_passages(client_for, study, evaluator):
    source = factories.SourceFactory(study=study)
    factories.ExcerptFactory(source=source, themes=[factories.ThemeFactory(study=study)])

    response = client_for(evaluator).post(url("source_delete", study, pk=source.pk))

    assert response.status_code == 302
    assert not Source.objects.exists()
    assert not source.excerpts.exists()
