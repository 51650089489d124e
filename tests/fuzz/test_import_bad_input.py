"""The import parser, fed hostile files: reading a file either gives a table or raises
ImportFileError (the message shown beside the upload field), and an import saves
all of what its preview promised or nothing at all."""

import csv
import datetime
import io
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from activities import imports
from activities.models import (
    Activity,
    ActivityType,
    Category,
    Community,
    Conduit,
    Contact,
    Direction,
    Organisation,
    Setting,
)
from tests.fuzz.strategies import (
    anything,
    dates,
    file_contents,
    odd_dates,
    odd_numbers,
    printable,
)
from tests.fuzz.world import assert_consistent, build_world, rolled_back, row_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(team, broker, lead, evaluator, other_broker):
    return build_world(team, broker, lead, evaluator, other_broker)


@given(
    content=st.one_of(
        file_contents(b"date,title\n"),
        st.binary(max_size=2000),
        st.text(max_size=500).map(lambda text: text.encode("utf-8", "surrogatepass")),
    ),
    encoding=st.sampled_from(list(imports.ENCODINGS)),
)
def test_reading_any_file_gives_a_table_or_a_clear_error(content, encoding):
    try:
        table = imports.read_table(content, encoding)
    except imports.ImportFileError as error:
        assert str(error).strip()
    else:
        assert table.headings and table.rows


def _codes(choices):
    return [code for code, _ in choices] + [str(label) for _, label in choices]


def _activity_cells(world):
    """Per column: (what a right cell for team A looks like, what a wrong one may be)."""
    types = list(ActivityType.objects.for_team(world.team).values_list("name", flat=True))
    whole = st.integers(min_value=0, max_value=10**6).map(str)
    day = dates.map(datetime.date.isoformat)
    project = world.objects["project"].title
    return {
        "id": (st.one_of(st.just(""), whole), odd_numbers),
        "date": (day, odd_dates),
        "lead_broker": (st.just("broker"), st.sampled_from(["lead", "wm-broker", "nobody"])),
        "co_brokers": (st.sampled_from(["", "lead", "Lee Member1"]), st.just("lead;;nobody")),
        "category": (st.just(""), st.sampled_from(_codes(Category.choices))),
        "activity_type": (st.sampled_from(types), printable),
        "title": (printable, printable.map(lambda text: text * 50)),
        "description": (printable, anything),
        "duration_minutes": (whole, odd_numbers),
        "setting": (st.sampled_from(_codes(Setting.choices)), printable),
        "direction": (st.sampled_from(_codes(Direction.choices)), printable),
        "conduits": (
            st.sampled_from(list(Conduit.objects.values_list("code", flat=True))),
            printable,
        ),
        "contacts": (st.just("Fuzzed Person"), st.just("Nobody")),
        "organisations": (st.just("University of Bristol"), printable),
        "topics": (printable, printable.map(lambda text: text * 30)),
        "attendees": (whole, odd_numbers),
        "project": (st.just(project), printable),
        "follow_up": (day, odd_dates),
    }


def _contact_cells(world):
    return {
        "name": (printable, printable.map(lambda text: text * 30)),
        "job_title": (printable, printable.map(lambda text: text * 30)),
        "organisation": (st.just("University of Bristol"), printable),
        "organisation_kind": (st.sampled_from(_codes(Organisation.Kind.choices)), printable),
        "community": (st.sampled_from(_codes(Community.choices)), printable),
        "email": (st.one_of(st.emails(), st.just("fp@example.org")), printable),
        "phone": (printable, printable.map(lambda text: text * 30)),
        "notes": (printable, anything),
        "consent_note": (printable, anything),
        "erased": (st.sampled_from(["true", "false", "yes", "0"]), printable),
    }


@st.composite
def csv_files(draw, cells, required):
    """A CSV file with some of the importer's columns (the required ones usually among
    them), in any order, maybe an unknown one, and a few rows of plausible cells; in a
    hostile file any cell may hold anything."""
    names = list(cells)
    columns = draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names)))
    columns += [name for name in required if name not in columns and draw(st.integers(0, 9))]
    if not columns or draw(st.integers(0, 4)) == 0:
        columns.append(draw(printable))
    hostile = draw(st.integers(0, 3)) == 0
    rows = []
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        rows.append(
            [
                draw(
                    st.one_of(cells[column][0], cells[column][1], anything)
                    if hostile
                    else cells[column][0]
                )
                if column in cells
                else draw(printable)
                for column in columns
            ]
        )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")


def _cell(strategies, hostile):
    right, wrong = strategies
    return st.one_of(right, wrong, anything) if hostile else right


IMPORTS = {
    "activities": (_activity_cells, Activity, "broker"),
    "contacts": (_contact_cells, Contact, "broker"),
}


@pytest.mark.parametrize("kind", list(IMPORTS))
def test_an_import_saves_what_its_preview_promised_or_nothing(world, kind):
    cells, model, persona = IMPORTS[kind]
    outcomes = Counter()

    required = [field.name for field in imports.IMPORTERS[kind].fields if field.required]

    @given(content=csv_files(cells(world), required))
    def check(content):
        with rolled_back():
            importer = imports.IMPORTERS[kind](world.access(persona))
            try:
                table = imports.read_table(content)
            except imports.ImportFileError:
                outcomes["unreadable"] += 1
                return
            promised = importer.preview(table)
            before = row_counts()
            saved = importer.save(table)
            after = row_counts()
            outcomes[saved.can_import] += 1
            assert saved.can_import == promised.can_import
            if not saved.can_import:
                assert after == before, "a refused import wrote nothing"
                return
            assert saved.new == promised.new
            label = model._meta.label
            assert after[label] - before[label] == promised.new
            assert_consistent()

    check()
    assert outcomes[False] and outcomes[True], outcomes
