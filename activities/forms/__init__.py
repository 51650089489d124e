"""Forms of the brokering log. Each takes the TeamAccess of the request, so that every
choice it offers belongs to the team in play and posted ids of other teams are refused."""

from activities.forms.activity import ActivityForm
from activities.forms.contact import ContactForm, ContactQuickForm
from activities.forms.outcome import OutcomeForm
from activities.forms.project import ProjectForm, ProjectMoveForm
from activities.forms.upload import ImportUploadForm

__all__ = [
    "ActivityForm",
    "ContactForm",
    "ContactQuickForm",
    "ImportUploadForm",
    "OutcomeForm",
    "ProjectForm",
    "ProjectMoveForm",
]
