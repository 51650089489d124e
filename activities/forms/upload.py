"""The file of an import, read as soon as it is chosen."""

from django import forms

from activities.imports import ImportFileError, read_table
from kmtracker.lib.tables import too_large


class ImportUploadForm(forms.Form):
    """The file to import; it is read here, so that any problem shows beside the field."""

    file = forms.FileField(
        label="CSV or XLSX file",
        help_text="Up to 5 MB and 10,000 rows, with the columns of the export.",
    )
    encoding = forms.ChoiceField(
        label="Encoding of a CSV file",
        choices=[
            ("utf-8", "UTF-8 (Excel's “CSV UTF-8”, and most other programs)"),
            ("cp1252", "Windows-1252 (Excel's older “CSV (Comma delimited)”)"),
        ],
        initial="utf-8",
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        if message := too_large(upload.size):
            self.add_error("file", message)
            return cleaned
        cleaned["content"] = upload.read()
        try:
            read_table(cleaned["content"], cleaned.get("encoding") or "utf-8")
        except ImportFileError as error:
            self.add_error("file", str(error))
        return cleaned
