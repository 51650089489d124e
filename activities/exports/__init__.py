"""The columns of every export of the brokering log, declared once.

Each list (activities, contacts, outcomes, projects, organisations) and the
activity–contact links export the rows its FilterSet selects, with the columns
of its module, in this order (declared with kmtracker.lists.exports). The README's data
dictionary (activities.dictionary) and the in-app page are generated from these
declarations, and a test fails when the README disagrees.

Contacts are written as the viewer may see them: names for brokers and leads,
stable pseudonyms (`C-` and 8 characters) for evaluators, whose exports never
hold a contact's name, job title, email, phone, notes or consent note.

One module per list (`activities`, with the follow-ups and the activity–contact links;
`contacts`, `outcomes`, `projects`, `organisations`); `pseudonyms` names contacts as
each viewer may see them. Declaring an export registers it, and the data dictionary
lists the exports in the order they were registered: the modules are imported below in
the order of the lists.
"""

# isort: off
from activities.exports.activities import ACTIVITIES, ACTIVITY_CONTACTS
from activities.exports.contacts import CONTACTS
from activities.exports.outcomes import OUTCOMES
from activities.exports.projects import PROJECTS
from activities.exports.organisations import ORGANISATIONS

# isort: on

# The tables of the lists, which `manage.py export_csv` writes by name.
LIST_EXPORTS = {
    export.name: export
    for export in (ACTIVITIES, ACTIVITY_CONTACTS, CONTACTS, OUTCOMES, PROJECTS, ORGANISATIONS)
}
