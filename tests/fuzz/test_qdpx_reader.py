"""A REFI-QDA project damaged anywhere is refused with a message, never a server error."""

import io
import zipfile

from hypothesis import given, settings
from hypothesis import strategies as st

from evaluations.qda.reader import Project, ProjectFileError, read_qdpx

G = "{0:08d}-0000-4000-8000-000000000000".format
PROJECT = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Fuzzed">
  <Users><User guid="{G(9)}" name="Eve"/></Users>
  <CodeBook><Codes><Code guid="{G(1)}" name="Trust" isCodable="true">
    <Code guid="{G(7)}" name="Early" isCodable="true"/></Code></Codes></CodeBook>
  <Variables><Variable guid="{G(10)}" name="community" typeOfVariable="Text"/></Variables>
  <Cases><Case guid="{G(11)}" name="P01"><VariableValue><VariableRef targetGUID="{G(10)}"/>
    <TextValue>research</TextValue></VariableValue>
    <SelectionRef targetGUID="{G(3)}"/></Case></Cases>
  <Sources>
    <TextSource guid="{G(2)}" name="Notes" plainTextPath="internal://n.txt">
      <PlainTextSelection guid="{G(3)}" startPosition="0" endPosition="4" creatingUser="{G(9)}">
        <Coding guid="{G(4)}"><CodeRef targetGUID="{G(7)}"/></Coding>
        <NoteRef targetGUID="{G(5)}"/>
      </PlainTextSelection>
    </TextSource>
  </Sources>
  <Notes><Note guid="{G(5)}" name="memo"><PlainTextContent>A memo</PlainTextContent></Note></Notes>
</Project>""".encode()


def qdpx(project, text=b"Some notes.\r\nMore."):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.qde", project)
        archive.writestr("Sources/n.txt", text)
    return buffer.getvalue()


def test_the_undamaged_project_is_read():
    project = read_qdpx(qdpx(PROJECT))

    assert [source.text for source in project.sources] == ["Some notes.\nMore."]
    assert project.sources[0].selections[0].notes == ["A memo"]
    assert [case.community for case in project.cases] == ["research"]


@settings(max_examples=150, deadline=None)
@given(
    position=st.integers(min_value=0, max_value=len(PROJECT) - 1),
    length=st.integers(min_value=1, max_value=12),
    replacement=st.binary(max_size=12),
    text=st.binary(max_size=40),
)
def test_a_damaged_project_is_refused_with_a_message(position, length, replacement, text):
    damaged = PROJECT[:position] + replacement + PROJECT[position + length :]
    try:
        result = read_qdpx(qdpx(damaged, text))
    except ProjectFileError as error:
        assert str(error)
    else:
        assert isinstance(result, Project)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_are_refused_with_a_message(content):
    try:
        read_qdpx(content)
    except ProjectFileError as error:
        assert str(error)
