"""Reading a REFI-QDA project (`.qdpx`) into a new study, all of it or nothing.

The file is bounded as every upload is: its size, the number of files in the zip and what
they inflate to (measured while inflating: what a zip declares may be untrue), and its
XML is read without entities or a DTD (defusedxml) and checked against the standard's
schema before anything is made. What KM Tracker cannot hold is refused with a message
that says what, and nothing is saved: audio, video, PDF and picture sources, rich-text
sources without plain text, sources kept outside the file, codes more than two levels
deep, passages outside their text.

What is read: the project's name and description (the study's title and questions), the
codebook (themes and sub-themes, with descriptions), text sources with their plain text
(`source_kind` and `source_date` variables when present), coded selections (a source
coded as a whole becomes one passage over its whole text), the notes of selections as
their memos, cases as participants (`community` and `role` variables; a case name longer
than a participant code, 12 characters, gets the next P-code), with the sources and
selections they refer to, and users as coders when a member of the team has that name
(else the person importing). Positions count characters (Unicode code points) from 0; a
text with Windows line ends is stored with one kind of line end and its positions moved
with it.
"""

import bisect
import datetime
import io
import zipfile
import zlib
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.defaultfilters import filesizeformat

from activities.models import Community
from evaluations.models import Excerpt, Participant, Source, Study, Theme
from evaluations.qda.project import NAMESPACE, PROJECT_FILE, SOURCES_FOLDER, schema
from kmtracker.lib.names import display_name
from teams.models import Membership

MAX_BYTES = 20 * 1024 * 1024
MAX_EXPANDED_BYTES = 100 * 1024 * 1024
MAX_PROJECT_BYTES = 30 * 1024 * 1024
MAX_MEMBERS = 5000
UNREADABLE = {
    "AudioSource": "audio",
    "VideoSource": "video",
    "PDFSource": "PDF",
    "PictureSource": "picture",
}
CODE_LENGTH = Participant._meta.get_field("code").max_length
NAME_LENGTH = Theme._meta.get_field("name").max_length


class ProjectFileError(Exception):
    """A `.qdpx` that cannot be imported; the message says why and what to do."""


def _q(name):
    return f"{{{NAMESPACE}}}{name}"


@dataclass
class Selection:
    guid: str
    start: int
    end: int
    code_guids: list
    coder_guid: str | None
    notes: list


@dataclass
class TextSource:
    guid: str
    name: str
    text: str
    kind: str
    date: datetime.date | None
    selections: list = field(default_factory=list)


@dataclass
class Case:
    guid: str
    name: str
    community: str
    role: str
    source_guids: list
    selection_guids: list


@dataclass
class Project:
    """What a `.qdpx` holds that a study can hold."""

    name: str
    description: str
    codes: list  # (guid, name, description, parent guid or None), parents first
    users: dict  # guid -> name
    sources: list
    cases: list
    skipped: list = field(default_factory=list)  # what was read but has no place


def read_qdpx(content):
    """The Project in the bytes of a `.qdpx`; ProjectFileError saying what is wrong."""
    if len(content) > MAX_BYTES:
        raise ProjectFileError(
            f"The file is {filesizeformat(len(content))}: projects of up to "
            f"{filesizeformat(MAX_BYTES)} can be imported."
        )
    members = _unzipped(content)
    if PROJECT_FILE not in members:
        raise ProjectFileError(
            "The file holds no project.qde: export the project from your QDA program as a "
            "REFI-QDA project (.qdpx)."
        )
    try:
        root = SafeET.fromstring(members[PROJECT_FILE], forbid_dtd=True)
    except (ParseError, DefusedXmlException) as error:
        raise ProjectFileError(f"project.qde is not readable XML ({error}).") from None
    problems = list(schema().iter_errors(root))
    if problems:
        raise ProjectFileError(
            "project.qde does not follow the REFI-QDA 1.5 schema: "
            f"{problems[0].reason} (at {problems[0].path}). {len(problems)} problem(s) in all."
        )
    return _project(root, members)


def _unzipped(content):
    """{name: bytes} of the zip's files, each inflated under the bounds."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = [info for info in archive.infolist() if not info.is_dir()]
        if len(infos) > MAX_MEMBERS:
            raise ProjectFileError(f"The file holds more than {MAX_MEMBERS:,} files.")
        members, total = {}, 0
        for info in infos:
            bound = min(MAX_EXPANDED_BYTES - total, MAX_PROJECT_BYTES)
            data = _inflated(archive, info, bound)
            total += len(data)
            members[info.filename] = data
        return members
    except ProjectFileError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, NotImplementedError) as e:
        raise ProjectFileError(f"The file is not a readable .qdpx (zip) file ({e}).") from None
    except (zlib.error, OSError, EOFError):
        raise ProjectFileError("The file is damaged: its zip cannot be read.") from None


def _inflated(archive, info, bound):
    too_large = ProjectFileError(
        f"The project inflates to more than {filesizeformat(MAX_EXPANDED_BYTES)}: "
        "import it in parts."
    )
    if info.file_size > bound:
        raise too_large
    pieces, size = [], 0
    with archive.open(info) as member:
        while chunk := member.read(1024 * 1024):
            size += len(chunk)
            if size > bound:
                raise too_large
            pieces.append(chunk)
    return b"".join(pieces)


def _project(root, members):
    unreadable = {}
    for tag, label in UNREADABLE.items():
        for element in root.iter(_q(tag)):
            unreadable.setdefault(label, []).append(element.get("name") or element.get("guid"))
    if unreadable:
        parts = [
            f"{len(names)} {label} ({', '.join(names[:3])})" for label, names in unreadable.items()
        ]
        raise ProjectFileError(
            f"The project holds sources KM Tracker cannot read: {'; '.join(parts)}. Only text "
            "sources can be imported: remove the others from a copy of the project, export "
            "that, and import it. Nothing has been imported."
        )
    variables = {
        v.get("guid"): v.get("name", "").strip().lower() for v in root.iter(_q("Variable"))
    }
    notes = {
        note.get("guid"): (note.findtext(_q("PlainTextContent")) or "").strip()
        for note in root.iter(_q("Note"))
    }
    project = Project(
        name=(root.get("name") or "Imported project").strip()[:250],
        description=(root.findtext(_q("Description")) or "").strip(),
        codes=_codes(root),
        users={u.get("guid"): u.get("name") or "" for u in root.iter(_q("User"))},
        sources=[],
        cases=[],
    )
    sources = root.find(_q("Sources"))
    for element in sources if sources is not None else ():
        project.sources.append(_source(element, members, variables, notes))
    cases = root.find(_q("Cases"))
    for element in cases if cases is not None else ():
        values = _values(element, variables)
        project.cases.append(
            Case(
                guid=element.get("guid"),
                name=(element.get("name") or "").strip(),
                community=_community(values.get("community", "")),
                role=str(values.get("role", ""))[:100],
                source_guids=[r.get("targetGUID") for r in element.findall(_q("SourceRef"))],
                selection_guids=[r.get("targetGUID") for r in element.findall(_q("SelectionRef"))],
            )
        )
    if root.find(_q("Sets")) is not None:
        project.skipped.append("sets")
    if root.find(_q("Graphs")) is not None:
        project.skipped.append("graphs")
    if root.find(_q("Links")) is not None:
        project.skipped.append("links")
    return project


def _codes(root):
    codes = []
    codebook = root.find(_q("CodeBook"))
    if codebook is None:
        return codes
    for top in codebook.find(_q("Codes")).findall(_q("Code")):
        codes.append(_code(top, None))
        for sub in top.findall(_q("Code")):
            if sub.find(_q("Code")) is not None:
                deep = sub.find(_q("Code")).get("name")
                raise ProjectFileError(
                    f"The codebook has codes three levels deep ({top.get('name')} › "
                    f"{sub.get('name')} › {deep}): a framework has themes and sub-themes "
                    "only. Merge the deeper codes into their parents and export again."
                )
            codes.append(_code(sub, top.get("guid")))
    names = {}
    for guid, name, _description, parent in codes:
        if len(name) > NAME_LENGTH:
            raise ProjectFileError(
                f"The code “{name[:40]}…” has a name longer than {NAME_LENGTH} characters."
            )
        key = (parent, name.lower())
        if key in names:
            raise ProjectFileError(f"Two codes of one level are called “{name}”.")
        names[key] = guid
    return codes


def _code(element, parent_guid):
    name = (element.get("name") or "").strip()
    if not name:
        raise ProjectFileError("A code of the codebook has no name.")
    description = (element.findtext(_q("Description")) or "").strip()
    return (element.get("guid"), name, description, parent_guid)


def _values(element, variables):
    values = {}
    for value in element.findall(_q("VariableValue")):
        name = variables.get(value.find(_q("VariableRef")).get("targetGUID"), "")
        for child in value:
            if child.tag != _q("VariableRef"):
                values[name] = (child.text or "").strip()
    return values


def _community(value):
    value = value.strip().lower()
    for code, label in Community.choices:
        if value in (code, label.lower()):
            return code
    return Community.OTHER


def _text_of(element, members):
    name = element.get("name") or element.get("guid")
    path = element.get("plainTextPath")
    content = element.findtext(_q("PlainTextContent"))
    if content is not None:
        return content
    if not path:
        raise ProjectFileError(
            f"The source “{name}” has no plain text (only rich text): export the project "
            "with plain text, or remove that source."
        )
    if not path.startswith("internal://"):
        raise ProjectFileError(
            f"The source “{name}” is kept outside the project ({path}): export the project "
            "with its sources inside."
        )
    member = SOURCES_FOLDER + path[len("internal://") :]
    if member not in members:
        raise ProjectFileError(f"The text of the source “{name}” is missing from Sources/.")
    try:
        return members[member].decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProjectFileError(f"The text of the source “{name}” is not UTF-8.") from None


class _Offsets:
    """Positions in a text before and after its line ends become line feeds and NULs go."""

    def __init__(self, text):
        self.removed = [i for i, c in enumerate(text) if c == "\x00" or text[i : i + 2] == "\r\n"]
        kept = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
        self.text = kept

    def __call__(self, position):
        return position - bisect.bisect_left(self.removed, position)


def _source(element, members, variables, notes):
    name = (element.get("name") or "Untitled source").strip()[:250]
    raw = _text_of(element, members)
    offsets = _Offsets(raw)
    values = _values(element, variables)
    kind = values.get("source_kind", "")
    try:
        date = datetime.date.fromisoformat(values.get("source_date", ""))
    except ValueError:
        date = None
    source = TextSource(
        guid=element.get("guid"),
        name=name,
        text=offsets.text,
        kind=kind if kind in Source.Kind.values else Source.Kind.DOCUMENT,
        date=date,
    )
    if not source.text.strip():
        raise ProjectFileError(f"The source “{name}” has no text.")
    whole = [c.find(_q("CodeRef")).get("targetGUID") for c in element.findall(_q("Coding"))]
    if whole:
        source.selections.append(
            Selection(f"{source.guid}-whole", 0, len(source.text), whole, None, [])
        )
    for selection in element.findall(_q("PlainTextSelection")):
        start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
        if not 0 <= start < end <= len(raw):
            raise ProjectFileError(
                f"A passage of “{name}” lies outside its text (characters {start} to {end} of "
                f"{len(raw)})."
            )
        codings = selection.findall(_q("Coding"))
        memo = [notes.get(ref.get("targetGUID"), "") for ref in selection.findall(_q("NoteRef"))]
        source.selections.append(
            Selection(
                guid=selection.get("guid"),
                start=offsets(start),
                end=offsets(end),
                code_guids=[c.find(_q("CodeRef")).get("targetGUID") for c in codings],
                coder_guid=selection.get("creatingUser")
                or (codings[0].get("creatingUser") if codings else None),
                notes=[text for text in memo if text],
            )
        )
    return source


# Saving ------------------------------------------------------------------------------------------


@dataclass
class Imported:
    study: Study
    sources: int
    themes: int
    passages: int
    participants: int
    skipped: list


def _coders(project, team, user):
    """{user guid: member of the team} by name; anyone else codes as the importer."""
    members = get_user_model().objects.filter(
        pk__in=Membership.objects.filter(team=team, is_active=True).values("user_id")
    )
    by_name = {}
    for member in members:
        by_name.setdefault(display_name(member).casefold(), member)
        by_name.setdefault(member.get_username().casefold(), member)
    return {guid: by_name.get(name.casefold(), user) for guid, name in project.users.items()}


def _participant_codes(project):
    """{case guid: participant code}: the case's name when it fits, else the next P-code."""
    codes, taken = {}, set()
    for case in project.cases:
        if case.name and len(case.name) <= CODE_LENGTH and case.name.lower() not in taken:
            codes[case.guid] = case.name
            taken.add(case.name.lower())
    number = 0
    for case in project.cases:
        if case.guid in codes:
            continue
        while True:
            number += 1
            code = f"P{number:02d}"
            if code.lower() not in taken:
                break
        codes[case.guid] = code
        taken.add(code.lower())
    return codes


@transaction.atomic
def save_project(project, team, user, file_name=""):
    """A new study of `team` holding `project`, made by `user`; all of it or nothing."""
    study = Study.objects.create(
        team=team,
        title=project.name,
        questions=project.description,
        created_by=user,
        status=Study.Status.ANALYSING,
    )
    study.evaluators.set([user])
    themes = {}
    for position, (guid, name, description, parent) in enumerate(project.codes):
        themes[guid] = Theme.objects.create(
            study=study,
            parent=themes.get(parent) if parent else None,
            name=name,
            description=description,
            position=position,
        )
    codes = _participant_codes(project)
    participants, by_selection = {}, {}
    for case in project.cases:
        participants[case.guid] = Participant.objects.create(
            study=study, code=codes[case.guid], community=case.community, role=case.role
        )
        for guid in case.selection_guids:
            by_selection.setdefault(guid, participants[case.guid])
    coders = _coders(project, team, user)
    passages, skipped = 0, list(project.skipped)
    uncoded = 0
    for item in project.sources:
        source = Source.objects.create(
            study=study,
            kind=item.kind,
            title=item.name,
            date=item.date,
            text=item.text,
            file_name=file_name[:255],
            created_by=user,
        )
        speakers = [participants[c.guid] for c in project.cases if item.guid in c.source_guids]
        if speakers:
            source.participants.set(speakers)
        for selection in item.selections:
            chosen = [themes[guid] for guid in selection.code_guids if guid in themes]
            if not chosen:
                uncoded += 1
                continue
            excerpt = Excerpt.objects.create(
                source=source,
                start=selection.start,
                end=selection.end,
                text=item.text[selection.start : selection.end],
                memo="\n\n".join(selection.notes),
                participant=by_selection.get(selection.guid),
                coder=coders.get(selection.coder_guid, user),
            )
            excerpt.themes.set(chosen)
            passages += 1
    if uncoded:
        skipped.append(f"{uncoded} passage{'s' * (uncoded != 1)} without a code")
    return Imported(study, len(project.sources), len(themes), passages, len(participants), skipped)
