"""The five conduits are fixed codes that reports and exports rely on."""

from django.db import migrations

CONDUITS = [
    ("interpersonal", "Interpersonal relationships"),
    ("people_placement", "People placement"),
    ("governance", "Governance"),
    ("copy_adapt_paste", "Copy, adapt and paste"),
    ("product_deployment", "Product deployment"),
]


def add_conduits(apps, schema_editor):
    Conduit = apps.get_model("activities", "Conduit")
    for position, (code, label) in enumerate(CONDUITS):
        Conduit.objects.update_or_create(code=code, defaults={"label": label, "position": position})


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(add_conduits, migrations.RunPython.noop)]
