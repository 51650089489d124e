"""The data dictionary: the README and the in-app page agree with the declared columns."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from activities import dictionary, exports
from activities.exports.activities import ACTIVITIES, ACTIVITY_CONTACTS
from activities.imports import IMPORTERS
from kmtracker.lists.exports import CODE, CODE_LIST, TYPES, all_exports

README = Path(settings.BASE_DIR) / "README.md"

# The product's columns of activities.csv and activity_contacts.csv, in their order
# (docs/architecture.md, "What stays stable").
DESIGN_ACTIVITIES = [
    "id",
    "date",
    "team",
    "lead_broker",
    "co_brokers",
    "category",
    "activity_type",
    "title",
    "description",
    "duration_minutes",
    "setting",
    "direction",
    "conduits",
    "contacts",
    "contact_communities",
    "organisations",
    "topics",
    "attendees",
    "project",
    "outcomes",
    "follow_up",
    "created_by",
    "created_at",
    "updated_at",
]
DESIGN_LINKS = ["activity_id", "date", "category", "contact", "community", "organisation_kind"]


def readme_tables():
    """{export name: [column headings]} as the README's data dictionary lists them."""
    section = dictionary.section_of(README.read_text(encoding="utf-8"))
    tables = {}
    for name, body in re.findall(r"^### (\w+)\.csv: .*?\n(.*?)(?=^### |\Z)", section, re.M | re.S):
        tables[name] = re.findall(r"^\| `(\w+)` \|", body, re.M)
    return tables


def test_the_readme_has_the_generated_data_dictionary():
    section = dictionary.section_of(README.read_text(encoding="utf-8"))

    assert section.rstrip() == dictionary.markdown().rstrip(), (
        "README.md's data dictionary is out of date: replace its section with the output "
        "of `python manage.py data_dictionary`."
    )


def test_the_readme_lists_every_column_of_every_export_in_order():
    assert readme_tables() == {export.name: export.header for export in all_exports()}


def test_the_activity_columns_are_the_designs():
    assert ACTIVITIES.header == DESIGN_ACTIVITIES
    assert ACTIVITY_CONTACTS.header == DESIGN_LINKS


def test_every_column_is_documented_with_a_known_type():
    for export in all_exports():
        assert len(set(export.header)) == len(export.header), export.name
        for column in export.columns:
            assert column.type in TYPES, (export.name, column.heading)
            assert column.meaning.endswith("."), (export.name, column.heading)
            assert bool(column.codes) == (column.type in (CODE, CODE_LIST)) or (
                column.heading == "team"
            ), (export.name, column.heading)


def test_imports_read_only_columns_of_their_export():
    for kind, importer in IMPORTERS.items():
        header = exports.LIST_EXPORTS[kind].header
        read = [field.name for field in importer.fields]
        assert set(read) | set(importer.ignored) <= set(header), kind
        assert not set(read) & set(importer.ignored), kind


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["broker", "evaluator"])
def test_the_page_lists_every_column_of_every_export(client_for, team, persona, request):
    user = request.getfixturevalue(persona)

    response = client_for(user).get(reverse("activities:data_dictionary", args=[team.slug]))

    assert response.status_code == 200
    html = response.content.decode()
    for export in all_exports():
        table = html.split(f'data-testid="columns-{export.name}"', 1)[1].split("</table>", 1)[0]
        assert re.findall(r"<td><code>(\w+)</code></td>", table) == export.header
