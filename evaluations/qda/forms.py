"""The form that imports a REFI-QDA project (`.qdpx`) into a new study."""

import os

from django import forms

from evaluations.qda.reader import MAX_BYTES, ProjectFileError, read_qdpx
from teams import submissions


class ProjectImportForm(forms.Form):
    """A `.qdpx` file, read and checked whole in `clean_file()`: `project` is what it holds."""

    file = forms.FileField(
        label="REFI-QDA project (.qdpx)",
        help_text="Exported from NVivo, ATLAS.ti, MAXQDA, QualCoder or KM Tracker as a "
        "REFI-QDA project. Text sources only.",
        widget=forms.ClearableFileInput(attrs={"accept": ".qdpx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[submissions.FIELD] = submissions.token_field()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = os.path.basename(upload.name or "")
        if not name.lower().endswith(".qdpx"):
            raise forms.ValidationError(
                f"“{name}” is not a .qdpx file: export a REFI-QDA project from your QDA program."
            )
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"“{name}” is larger than {MAX_BYTES // 1024 // 1024} MB, the most a project "
                "can be."
            )
        try:
            self.project = read_qdpx(upload.read())
        except ProjectFileError as error:
            raise forms.ValidationError(str(error)) from None
        return upload
