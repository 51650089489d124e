"""Sources of an evaluation study: text from uploaded files, copies of shared reflective
log entries and signed-off report narratives, and the sampling frame for interviews.

Uploaded files are read in memory and never stored: only their text is kept.
A file that is too large, binary, or not really what its name says is refused
with a message that says why, and nothing is saved.
"""

import io
import os
import re
import zipfile
import zlib
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, IntegerField, Max, Q, Value, When
from django.template.defaultfilters import filesizeformat

from activities.mentions import text_for
from activities.models import Community
from evaluations.models import Source
from evaluations.reports.figures import ReportFigures
from evaluations.reports.narrative import filled_narrative

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# A .docx is compressed: its document.xml may be far larger than the file, but not this large.
MAX_DOCX_XML_BYTES = 20 * 1024 * 1024
TEXT_EXTENSIONS = (".txt", ".md", ".docx")
_CONVERT_FIRST = {
    ".doc": "Save it from Word as a .docx file",
    ".rtf": "Save it as a .docx or .txt file",
    ".odt": "Save it as a .docx file",
    ".pdf": "Copy its text and paste it instead",
}

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Control characters other than tab, line feed, form feed and carriage return: binary data.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def normalise_text(text):
    """One kind of line ending and no NUL characters: offsets into the text must not
    depend on the browser or the system the text came from."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return text.strip("\n")


def text_from_upload(upload):
    """The text of an uploaded .txt, .md or .docx file; ValidationError saying what is wrong."""
    name = os.path.basename(upload.name or "")
    extension = os.path.splitext(name)[1].lower()
    if extension not in TEXT_EXTENSIONS:
        advice = _CONVERT_FIRST.get(extension, "Upload a .txt, .md or .docx file")
        raise ValidationError(f"“{name}” cannot be read: {advice}.", code="file_type")
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"“{name}” is {filesizeformat(upload.size)}: files of up to "
            f"{filesizeformat(MAX_UPLOAD_BYTES)} can be uploaded. Split it, or paste its text.",
            code="file_size",
        )
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    text = _docx_text(name, data) if extension == ".docx" else _plain_text(name, data)
    text = normalise_text(text)
    if not text.strip():
        raise ValidationError(f"“{name}” holds no text.", code="empty")
    return text


def _not_text(name):
    return ValidationError(
        f"“{name}” is not a text file: it holds binary data. "
        "Upload a .txt, .md or .docx file, or paste the text.",
        code="binary",
    )


def _plain_text(name, data):
    if b"\x00" in data or data.startswith(b"PK\x03\x04"):
        raise _not_text(name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            # Notepad on older Windows saves text in this encoding.
            text = data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise _not_text(name) from error
    if _CONTROL_CHARACTERS.search(text):
        raise _not_text(name)
    return text


def _not_docx(name, reason):
    return ValidationError(
        f"“{name}” is not a Word document (.docx): {reason}. "
        "Open it in Word and save it as .docx, or paste the text.",
        code="not_docx",
    )


def _docx_text(name, data):
    """The paragraphs of word/document.xml, read with the standard library only."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        info = archive.getinfo("word/document.xml")
    except zipfile.BadZipFile as error:
        raise _not_docx(name, "it could not be opened as one") from error
    except KeyError as error:
        raise _not_docx(name, "it has no document text") from error
    if info.file_size > MAX_DOCX_XML_BYTES:
        raise _not_docx(name, "its text is too large to read")
    try:
        xml = archive.read(info)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, zlib.error, OSError) as error:
        raise _not_docx(name, "it is damaged or protected by a password") from error
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        # Word never writes these; they are how XML bombs are built.
        raise _not_docx(name, "its contents are not what Word writes")
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as error:
        raise _not_docx(name, "its text could not be read") from error
    if root.tag != f"{_W}document":
        raise _not_docx(name, "its contents are not what Word writes")
    paragraphs = [_paragraph_text(paragraph) for paragraph in root.iter(f"{_W}p")]
    return "\n\n".join(text for text in paragraphs if text.strip())


def _paragraph_text(paragraph):
    """A paragraph's text; text boxes inside it are paragraphs of their own.

    Read with a stack of the elements still to visit, not by recursion: a document
    may nest runs thousands deep.
    """
    parts = []
    pending = list(reversed(paragraph))
    while pending:
        element = pending.pop()
        tag = element.tag
        if tag == f"{_W}t":
            parts.append(element.text or "")
        elif tag == f"{_W}tab":
            parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            parts.append("-")
        elif tag not in (f"{_W}p", f"{_W}txbxContent"):
            pending.extend(reversed(element))
    return "".join(parts)


# Sources copied from the log and the reports ----------------------------------------------------


def entry_text(entry):
    """A reflective log entry as a source's text: its reflection, then its tags."""
    tags = ", ".join(tag.label for tag in entry.tags.all())
    text = normalise_text(entry.text)
    return f"{text}\n\nTags: {tags}" if tags else text


def report_text(report):
    """The narrative of a signed-off report, as frozen: each section under its heading,
    its placeholders filled with the figures frozen with it."""
    figures = ReportFigures.from_json(report.frozen["figures"])
    sections = [
        f"{label}\n\n{normalise_text(body)}"
        for label, body in filled_narrative(report, figures)
        if body.strip()
    ]
    return "\n\n".join(sections)


def add_sources_from_log(study, entries, user, access=None):
    """Copy shared reflective log entries into `study` as sources; returns those added.

    An entry already in the study is skipped, so that bringing the same entries
    in twice creates nothing new. The copy is the text as `access`'s reader reads
    it: for evaluators, contacts named in it are pseudonyms.
    """
    taken = set(study.sources.exclude(reflective_entry=None).values_list("reflective_entry_id"))
    added = []
    for entry in entries:
        if (entry.pk,) in taken or not entry.shared:
            continue
        source = Source(
            study=study,
            kind=Source.Kind.REFLECTIVE_LOG,
            title=text_for(access, f"Reflective log: {entry.label}"),
            date=entry.date,
            text=text_for(access, entry_text(entry)),
            reflective_entry=entry,
            evaluators_only=True,
            created_by=user,
        )
        if _saved_once(source):
            added.append(source)
    return added


def add_sources_from_reports(study, reports, user, access=None):
    """Copy the narratives of signed-off quarterly reports into `study`, as `access`'s
    reader reads them; returns those added."""
    taken = set(study.sources.exclude(quarterly_report=None).values_list("quarterly_report_id"))
    added = []
    for report in reports:
        if (report.pk,) in taken or not report.is_signed_off:
            continue
        text = text_for(access, report_text(report))
        if not text:
            continue
        source = Source(
            study=study,
            kind=Source.Kind.PROGRESS_REPORT,
            title=f"Progress report {report.quarter.label}",
            date=report.end,
            text=text,
            quarterly_report=report,
            created_by=user,
        )
        if _saved_once(source):
            added.append(source)
    return added


def _saved_once(source):
    """Save unless another request added the same entry or report a moment ago."""
    try:
        with transaction.atomic():
            source.save()
    except IntegrityError:
        return False
    return True


# The sampling frame ---------------------------------------------------------------------------


def sampling_frame(contacts, start=None, end=None):
    """`contacts` who had at least one activity from `start` to `end` (either may be None).

    Each is annotated with `period_activities` (how many activities in the
    period) and `last_contact` (the date of the latest). Erased contacts
    cannot be interviewed and are left out. Rows come by community, the most
    engaged first, then by id (never by name: evaluators see pseudonyms);
    communities in the order of their choices, as the page groups them.
    """
    in_period = Q()
    if start:
        in_period &= Q(activities__date__gte=start)
    if end:
        in_period &= Q(activities__date__lte=end)
    return (
        contacts.active()
        .select_related("organisation")
        .annotate(
            period_activities=Count("activities", filter=in_period, distinct=True),
            last_contact=Max("activities__date", filter=in_period),
        )
        .filter(period_activities__gte=1)
        .annotate(community_rank=_community_rank())
        .order_by("community_rank", "-period_activities", "pk")
    )


def _community_rank():
    ranks = [When(community=code, then=Value(rank)) for rank, code in enumerate(Community.values)]
    return Case(*ranks, default=Value(len(ranks)), output_field=IntegerField())
