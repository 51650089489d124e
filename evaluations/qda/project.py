"""A study as a REFI-QDA project (`.qdpx`) and its framework as a REFI-QDA codebook (`.qdc`).

REFI-QDA 1.5 (QDA-XML 1.0, schema `schema/Project-mrt2019.xsd`): a `.qdpx` is a zip of
`project.qde` and `Sources/`. What a study puts in it:

- `Users`: everyone who coded a passage of it, by name (the name the excerpts CSV gives);
- `CodeBook`: the framework, themes holding their sub-themes, with descriptions and colours;
- `Variables` and `Cases`: each participant is a case named by their code (P01, ...), with
  the variables `community` and `role`, the sources they speak in and their passages;
  the link from a participant to a contact is never exported;
- `Sources`: each source the exporter may read is a `TextSource` whose plain text is
  `Sources/<guid>.txt` (UTF-8), with the variables `source_kind` and `source_date`; each
  coded passage is a `PlainTextSelection` from `startPosition` to `endPosition`, counted
  in characters (Unicode code points) from 0, the end being the position after the last
  character, with one `Coding` per theme, by its coder, at the time it was coded;
- `Notes`: each passage's memo, referred to by the passage's `NoteRef`;
- `Description`: the study's evaluation questions.

GUIDs are derived from the records' ids (`codebook.guid`): the same study gives the same
file. Excerpts and sources come through `for_user()`, as in every export of a study.
"""

import datetime
import io
import zipfile
from functools import cache
from pathlib import Path
from xml.etree import ElementTree as ET

import xmlschema
from django.db.models import Prefetch
from django.utils import timezone

from evaluations.models import Excerpt, Participant, Source, Theme
from evaluations.qda import codebook
from kmtracker.lib.names import display_name

NAMESPACE = "urn:QDA-XML:project:1.0"
CODEBOOK_NAMESPACE = "urn:QDA-XML:codebook:1.0"
SCHEMA_PATH = Path(__file__).parent / "schema" / "Project-mrt2019.xsd"
PROJECT_FILE = "project.qde"
SOURCES_FOLDER = "Sources/"
ORIGIN = "KM Tracker"
# The variables every export declares: (name, type, what it holds, on cases or sources).
VARIABLES = (
    ("community", "Text", "The participant's community.", "case"),
    ("role", "Text", "The participant's role.", "case"),
    ("source_kind", "Text", "The kind of source (interview, document, ...).", "source"),
    ("source_date", "Date", "The date of the source.", "source"),
)


@cache
def schema():
    """The REFI-QDA project schema, read once."""
    return xmlschema.XMLSchema10(str(SCHEMA_PATH))


def _q(name, namespace=NAMESPACE):
    return f"{{{namespace}}}{name}"


def _sub(parent, tag, namespace=NAMESPACE, text=None, **attributes):
    element = ET.SubElement(
        parent, _q(tag, namespace), {k: str(v) for k, v in attributes.items() if v is not None}
    )
    if text is not None:
        element.text = text
    return element


def _stamp(moment):
    """xsd:dateTime in UTC, to the second."""
    if moment is None:
        return None
    return moment.astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _themes(study):
    return list(Theme.objects.filter(study=study).in_framework_order().select_related("parent"))


def _codes_element(parent, entries, namespace):
    """`Codes` of the codebook: each top-level theme holding its sub-themes."""
    codes = _sub(parent, "Codes", namespace)
    elements = {}
    for entry in entries:
        theme = entry.theme
        holder = elements.get(theme.parent_id, codes) if theme.parent_id else codes
        element = _sub(
            holder,
            "Code",
            namespace,
            guid=codebook.guid("theme", theme.pk),
            name=theme.name,
            isCodable="true",
            color=entry.colour,
        )
        if theme.description:
            _sub(element, "Description", namespace, text=theme.description)
        elements[theme.pk] = element
    return codes


def _xml_bytes(root):
    ET.register_namespace("", root.tag[1:].split("}")[0])
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def codebook_xml(study):
    """The framework as a REFI-QDA codebook document (`.qdc`)."""
    root = ET.Element(_q("CodeBook", CODEBOOK_NAMESPACE), {"origin": ORIGIN})
    entries = codebook.entries(_themes(study))
    if entries:
        _codes_element(root, entries, CODEBOOK_NAMESPACE)
    return _xml_bytes(root)


def _grouped(excerpts, key):
    """{value of `key`: [excerpts with it]}, in order; excerpts without one are left out."""
    groups = {}
    for excerpt in excerpts:
        value = getattr(excerpt, key)
        if value is not None:
            groups.setdefault(value, []).append(excerpt)
    return groups


class ProjectWriter:
    """The REFI-QDA project of `study` as `user` may read it."""

    def __init__(self, study, user):
        self.study, self.user = study, user
        self.entries = codebook.entries(_themes(study))
        self.sources = list(Source.objects.for_user(user).filter(study=study).order_by("pk"))
        self.excerpts = list(
            Excerpt.objects.for_user(user)
            .filter(source__in=[source.pk for source in self.sources])
            .select_related("coder")
            .prefetch_related(Prefetch("themes", queryset=Theme.objects.only("pk")))
            .order_by("source_id", "start", "end", "pk")
        )
        self.participants = list(
            Participant.objects.filter(study=study)
            .prefetch_related(Prefetch("sources", queryset=Source.objects.only("pk")))
            .order_by("code")
        )
        self.variable_guids = {name: codebook.guid("variable", name) for name, *_ in VARIABLES}

    def texts(self):
        """(path in the zip, text) of each source's plain text."""
        return [(self._text_path(source), source.text) for source in self.sources]

    def _text_path(self, source):
        return f"{SOURCES_FOLDER}{codebook.guid('source', source.pk)}.txt"

    def xml(self):
        root = ET.Element(
            _q("Project"),
            {
                "name": self.study.title,
                "origin": ORIGIN,
                "creationDateTime": _stamp(self.study.created_at),
                "modifiedDateTime": _stamp(timezone.now()),
            },
        )
        self._users(root)
        if self.entries:
            _codes_element(_sub(root, "CodeBook"), self.entries, NAMESPACE)
        variables = _sub(root, "Variables")
        for name, kind, description, _on in VARIABLES:
            variable = _sub(
                variables,
                "Variable",
                guid=self.variable_guids[name],
                name=name,
                typeOfVariable=kind,
            )
            _sub(variable, "Description", text=description)
        self._cases(root)
        self._sources(root)
        self._notes(root)
        if self.study.questions:
            _sub(root, "Description", text=self.study.questions)
        return _xml_bytes(root)

    def _coders(self):
        coders = {}
        for excerpt in self.excerpts:
            if excerpt.coder_id is not None:
                coders.setdefault(excerpt.coder_id, excerpt.coder)
        return coders

    def _users(self, root):
        coders = self._coders()
        if coders:
            users = _sub(root, "Users")
            for pk, coder in sorted(coders.items()):
                _sub(users, "User", guid=codebook.guid("user", pk), name=display_name(coder))

    def _value(self, parent, name, value):
        element = _sub(parent, "VariableValue")
        _sub(element, "VariableRef", targetGUID=self.variable_guids[name])
        if isinstance(value, datetime.date):
            _sub(element, "DateValue", text=value.isoformat())
        else:
            _sub(element, "TextValue", text=value)

    def _cases(self, root):
        if not self.participants:
            return
        readable = {source.pk for source in self.sources}
        passages = _grouped(self.excerpts, "participant_id")
        cases = _sub(root, "Cases")
        for participant in self.participants:
            case = _sub(
                cases,
                "Case",
                guid=codebook.guid("participant", participant.pk),
                name=participant.code,
            )
            self._value(case, "community", participant.community)
            self._value(case, "role", participant.role)
            for source in participant.sources.all():
                if source.pk in readable:
                    _sub(case, "SourceRef", targetGUID=codebook.guid("source", source.pk))
            for excerpt in passages.get(participant.pk, ()):
                _sub(case, "SelectionRef", targetGUID=codebook.guid("excerpt", excerpt.pk))

    def _sources(self, root):
        if not self.sources:
            return
        by_source = _grouped(self.excerpts, "source_id")
        sources = _sub(root, "Sources")
        for source in self.sources:
            element = _sub(
                sources,
                "TextSource",
                guid=codebook.guid("source", source.pk),
                name=source.title,
                plainTextPath="internal://" + self._text_path(source)[len(SOURCES_FOLDER) :],
                creationDateTime=_stamp(source.created_at),
                modifiedDateTime=_stamp(source.updated_at),
            )
            for excerpt in by_source.get(source.pk, ()):
                self._selection(element, excerpt)
            self._value(element, "source_kind", source.kind)
            if source.date is not None:
                self._value(element, "source_date", source.date)

    def _selection(self, parent, excerpt):
        coder = codebook.guid("user", excerpt.coder_id) if excerpt.coder_id else None
        selection = _sub(
            parent,
            "PlainTextSelection",
            guid=codebook.guid("excerpt", excerpt.pk),
            name=excerpt.text[:60],
            startPosition=excerpt.start,
            endPosition=excerpt.end,
            creatingUser=coder,
            creationDateTime=_stamp(excerpt.created_at),
            modifiedDateTime=_stamp(excerpt.updated_at),
        )
        for theme in sorted(excerpt.themes.all(), key=lambda theme: theme.pk):
            coding = _sub(
                selection,
                "Coding",
                guid=codebook.guid("coding", f"{excerpt.pk}-{theme.pk}"),
                creatingUser=coder,
                creationDateTime=_stamp(excerpt.created_at),
            )
            _sub(coding, "CodeRef", targetGUID=codebook.guid("theme", theme.pk))
        if excerpt.memo:
            _sub(selection, "NoteRef", targetGUID=codebook.guid("memo", excerpt.pk))

    def _notes(self, root):
        memos = [excerpt for excerpt in self.excerpts if excerpt.memo]
        if not memos:
            return
        notes = _sub(root, "Notes")
        for excerpt in memos:
            coder = codebook.guid("user", excerpt.coder_id) if excerpt.coder_id else None
            note = _sub(
                notes,
                "Note",
                guid=codebook.guid("memo", excerpt.pk),
                name=f"Memo: {excerpt.text[:50]}",
                creatingUser=coder,
                creationDateTime=_stamp(excerpt.updated_at),
            )
            _sub(note, "PlainTextContent", text=excerpt.memo)


def qdpx_bytes(study, user):
    """The `.qdpx` of `study` as `user` may read it: `project.qde` and `Sources/`."""
    writer = ProjectWriter(study, user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(PROJECT_FILE, writer.xml())
        for path, text in writer.texts():
            archive.writestr(path, text.encode("utf-8"))
    return buffer.getvalue()
