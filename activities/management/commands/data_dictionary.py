"""`manage.py data_dictionary`: the README's "Data dictionary" section, from the declarations."""

from django.core.management.base import BaseCommand

from activities import dictionary


class Command(BaseCommand):
    help = (
        "Print the data dictionary of every export (generated from activities/exports/), "
        "to paste over the README's section of that name."
    )

    def handle(self, *args, **options):
        self.stdout.write(dictionary.markdown(), ending="")
