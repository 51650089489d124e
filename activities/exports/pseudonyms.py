"""How a file names contacts: each viewer's labels, sorted as they read them, and the rows
of evaluators' files from the COPY path, pseudonymised and redacted."""

import functools

from activities.mentions import redactor_for
from kmtracker.lib.copy_csv import copied_rows
from kmtracker.lib.pseudonyms import contact_pseudonym
from kmtracker.lists.exports import SEPARATOR, joined

# Texts each redacting column of an evaluator's file keeps redacted, to redact a repeated
# text once (a bound, so that memory stays flat however many rows the file has).
REDACTED_TEXTS = 4096


def sorted_contacts(contacts, access):
    """Contacts with the label `access` may see, sorted by that label.

    Evaluators' pseudonyms are sorted as pseudonyms, so their order says nothing
    about the names behind them.
    """
    labelled = [(contact.label_for(access), contact) for contact in contacts]
    return sorted(labelled, key=lambda pair: (pair[0].casefold(), pair[1].pk))


def contact_labels(contacts, access):
    return joined(label for label, _ in sorted_contacts(contacts, access))


def pseudonymised(columns, cells, contacts, communities=None):
    """How an export's rows are read by viewers who see pseudonyms, from cells computed in
    SQL (`cells(queryset)`, unescaped): the ids in the cell `contacts` (`id` or, when
    the export has a `communities` cell, `id:community`, joined by `; `) become
    pseudonyms, sorted as the Python path sorts them, and the free text is redacted.

    The rows stream from PostgreSQL by COPY and are redacted here, in Python: the
    matcher of names that redacts the free text is Python's (kmtracker.lib.mentions),
    and the pseudonyms' key stays in this process, never in SQL text or the
    database's logs. A contact takes part in many rows and a text is often repeated
    (a series of meetings has one title), so each pseudonym is computed once a file
    and each text redacted once in a while (`REDACTED_TEXTS` kept).
    """
    headings = [column.heading for column in columns]
    labels = headings.index(contacts)
    paired = communities is not None
    kinds = headings.index(communities) if paired else None
    redacting = [
        (index, column.redact) for index, column in enumerate(columns) if column.redact is not None
    ]

    def rows(queryset, access):
        # The redactor reads the team's contacts before COPY starts: while COPY sends the
        # rows, the connection runs no other query.
        redactor_for(access)
        team_id = access.team.pk
        pseudonym = functools.cache(lambda pk: contact_pseudonym(team_id, pk))
        redactors = [
            (index, functools.lru_cache(maxsize=REDACTED_TEXTS)(functools.partial(redact, access)))
            for index, redact in redacting
        ]
        for values in copied_rows(cells(queryset), headings):
            row = list(values)
            if row[labels]:
                links = row[labels].split(SEPARATOR)
                if paired:
                    pairs = [link.split(":", 1) for link in links]
                    labelled = sorted(
                        ((pseudonym(pk), kind) for pk, kind in pairs),
                        key=lambda pair: pair[0].casefold(),
                    )
                    row[labels] = joined(label for label, _ in labelled)
                    row[kinds] = joined(kind for _, kind in labelled)
                else:
                    # Ids come sorted, so that equal labels keep the Python path's order.
                    row[labels] = joined(sorted(map(pseudonym, links), key=str.casefold))
            for index, redact in redactors:
                row[index] = redact(row[index])
            yield row

    return rows
