"""Writes mentions_corpus.json: sentences as brokers write them, each with its expected redaction.

Run once (`python tests/data/make_mentions_corpus.py`) when the sentences below change; the
test (tests/activities/test_mentions_corpus.py) reads the JSON file alone. A sentence is a list
of pieces: plain text, or (surface text, who) where who is a contact's key, "email" or "phone".
The expected redaction puts `<key>` for a contact, `[email]`, `[phone]` or `[contact]`.
"""

import json
from pathlib import Path

CONTACTS = {
    "C1": "Ayesha Brennan",
    "C2": "Rose Hall",
    "C3": "Siân O'Connor-Davies",
    "C4": "Dr Tom Okafor",
    "C5": "Grace Baker",
    "C6": "Will Walker",
    "C7": "José Núñez",
    "C8": "Mark Bell",
    "C9": "Hope Marsh",
    "C10": "Priya Patel-Shah",
    "C11": "Chloë Young",
    "C12": "Eilidh MacLeod",
    "C13": "April Rivers",
    "C14": "Björn Ångström",
    "C15": "Sam Green",
    "C16": "Fatima Al-Sayed",
    "C17": "Liam O'Brien",
    "C18": "Dawn Summers",
    "C19": "Prof. Helen Ward",
    "C20": "Kwame Mensah",
}

# Forms of each contact's name as brokers type them, and who they are.
FIRST = {
    key: name.replace("Dr ", "").replace("Prof. ", "").split()[0] for key, name in CONTACTS.items()
}
LAST = {key: name.split()[-1] for key, name in CONTACTS.items()}


def full(key):
    return (f"{FIRST[key]} {LAST[key]}", key)


def titled(title, key):
    return (f"{title} {LAST[key]}", key)


SENTENCE_TEMPLATES = [
    lambda a, b: ["Introduced ", titled("Dr", a), " to the frailty lead at the ICB."],
    lambda a, b: ["Met ", full(a), " and ", full(b), " to scope the evaluation bid."],
    lambda a, b: [(f"{FIRST[a]} {LAST[a]}", a), "'s team agreed to share the dashboard."],
    lambda a, b: ["Call with ", (f"{LAST[a]}, {FIRST[a]}", a), " re: data sharing agreement."],
    lambda a, b: ["Follow up with ", (f"{FIRST[a][0]}. {LAST[a]}", a), " next week about the bid."],
    lambda a, b: [("Prof. " + FIRST[a] + " " + LAST[a], a), " presented at the seminar; 40 came."],
    lambda a, b: ["Workshop with ", (f"{FIRST[a]}\n{LAST[a]}", a), " and the CSU analysts."],
    lambda a, b: ["Spoke to ", titled("Ms", a), " after the board; ", titled("Mr", b), " to join."],
    lambda a, b: ["Cllr ", (LAST[a], None), " was absent, so ", full(b), " chaired."],
    lambda a, b: [
        "Coffee with ",
        (f"{FIRST[a].lower()} {LAST[a].lower()}", a),
        " - keen on co-production.",
    ],
    lambda a, b: ["Shared ", (f"Dr {LAST[a]}'s", a), " slides with ", titled("Professor", b), "."],
    lambda a, b: ["Draft sent to ", (f"{FIRST[a].upper()} {LAST[a].upper()}", a), " for comments."],
    lambda a, b: [
        "Agreed with ",
        titled("Dr.", a),
        " that ",
        (f"{FIRST[b]}  {LAST[b]}", b),
        " leads.",
    ],
    lambda a, b: ["Emailed ", (f"{FIRST[a]} {LAST[a]}", a), " the minutes."],
]


def cllr_fix(pieces, a):
    # "Cllr X" is a titled surname: it is a mention of that contact.
    return [
        (f"Cllr {LAST[a]}", a) if piece == "Cllr " else piece
        for piece in pieces
        if piece != (LAST[a], None)
    ]


ADDRESS_SENTENCES = [
    ["Emailed ", ("a.brennan@nhs.net", "email"), " the slides from the seminar."],
    ["Her number is ", ("07700 900123", "phone"), ", best after 2pm."],
    ["Mobile ", ("+44 7700 900123", "phone"), " (work phone only)."],
    ["Office line ", ("(0117) 496 0123", "phone"), "; ask for the research team."],
    ["Rang ", ("0117-496-0123", "phone"), " twice, no answer."],
    ["London office: ", ("020 7946 0958", "phone"), "."],
    ["Contact via ", ("rose.hall@bristol.ac.uk", "email"), " or ", ("07700 900456", "phone"), "."],
    ["Details: ", ("t.okafor@uhbw.nhs.uk", "email"), ", tel ", ("+44 (0)117 496 0999", "phone")],
    ["Text ", ("07700900789", "phone"), " to confirm the room."],
    ["Sent the bid to ", ("research-office@uwe.ac.uk", "email"), " on Friday."],
    ["Switchboard ", ("0300 123 4567", "phone"), ", extension 42."],
    ["Forwarded to ", ("jose.nunez+ics@icb.nhs.uk", "email"), "."],
    ["Left a voicemail on ", ("07700 900 321", "phone"), "."],
    ["Her PA (", ("pa.office@nbt.nhs.uk", "email"), ") booked the room."],
    ["Call ", ("0117 496 0000", "phone"), " if the link fails."],
    ["Reply from ", ("k.mensah@bnssg.icb.nhs.uk", "email"), " today."],
    ["New number ", ("+447700900654", "phone"), "."],
    ["Ring ", ("01632 960 001", "phone"), " to rearrange."],
    ["Booking line ", ("0800 123 4567", "phone"), ", free from mobiles."],
    ["CC'd ", ("evaluation.team@nihr.ac.uk", "email"), "."],
]

# Names that are ordinary words, first names alone, surnames without a title: no mention.
PLAIN_SENTENCES = [
    "Planted a rose bed outside the Hall for the community day.",
    "Will the bid be ready by March?",
    "Grace period of two weeks agreed with the funder.",
    "Mark the deadline in the shared calendar.",
    "The Baker Street clinic hosted the seminar.",
    "In April the board reviews the pipeline.",
    "Green spaces and health: scoping call.",
    "Hope to hear back from the ICB soon.",
    "The Marsh Lane surgery joined the network.",
    "Rang the bell at reception; nobody came.",
    "Young people's mental health was the theme.",
    "The river walk event (Rivers of Bristol) drew 30 people.",
    "Walker Hall is booked for the workshop.",
    "Sam from the CSU sent the data.",
    "Ayesha will chair the next meeting.",
    "Brennan said the report is due.",
    "Dawn meeting with the night shift team.",
    "Summers are quiet; plan the newsletter for September.",
    "Ward rounds observed at the community hospital.",
    "Helen and Tom met the commissioners.",
    "Patel-Shah family foundation is a possible funder.",
    "Meeting on 2025-03-14 about the £120,000 bid.",
    "12 attendees; 45 minutes; room 0.14.",
    "Bid reference 2024/25-117 submitted.",
    "Quarter 3 2025-26 figures shared.",
    "Grant of £1,250,000 over 36 months.",
    "The rose and the hall were both mentioned in the poem.",
    "Young, green and hopeful: the new cohort of fellows.",
    "Baker's dozen of ideas from the workshop.",
    "Will, hope and grace: values of the programme.",
    "Dr Foster data were used in the analysis.",
    "Prof. Smith from another team gave a talk.",
    "Mr Kipling cakes at the seminar.",
    "Marsh and Bell were the names of the two wards.",
    "Mensah is a common surname in Ghana, we learnt.",
    "Invited the Young Carers group.",
    "April showers cancelled the walk.",
    "Mark-up of the protocol returned.",
    "The Green Party councillor attended.",
    "Hall-way conversations matter more than meetings.",
]

# Harder cases, written by hand: (pieces) as above.
HARD_SENTENCES = [
    ["Catch-up with ", ("Dr Siân O'Connor-Davies", "C3"), " on the maternity evaluation."],
    ["", ("sian o'connor-davies", "C3"), " replied overnight."],
    ["Intro between ", ("Dr O'Connor-Davies", "C3"), " and ", ("Mr Mensah", "C20"), "."],
    ["", ("Jose Nunez", "C7"), " (no accents in his e-mail signature) agreed."],
    ["Met ", ("José Núñez", "C7"), " at the ICB."],
    ["", ("Bjorn Angstrom", "C14"), " and ", ("Björn Ångström", "C14"), " are the same man."],
    ["", ("Chloe Young", "C11"), "'s summary was circulated."],
    ["Thanks to ", ("Ms Young", "C11"), " for the venue."],
    ["", ("Dr Okafor", "C4"), " and ", ("Tom Okafor", "C4"), " and ", ("T. Okafor", "C4"), "."],
    ["", ("Priya Patel-Shah", "C10"), " joined; ", ("Ms Patel-Shah", "C10"), " will lead."],
    ["", ("Fatima Al-Sayed", "C16"), " and ", ("Dr Al-Sayed", "C16"), " (same person)."],
    ["", ("Liam O'Brien", "C17"), " and ", ("Mr O’Brien", "C17"), " (curly apostrophe)."],
    ["", ("Prof Ward", "C19"), " chaired; ", ("Helen Ward", "C19"), "'s group presented."],
    ["", ("Professor Helen Ward", "C19"), " welcomed everyone."],
    ["", ("Mrs Summers", "C18"), " and ", ("Dawn Summers", "C18"), " are one person."],
    ["Spoke with ", ("Eilidh MacLeod", "C12"), " and ", ("Dr Macleod", "C12"), "."],
    ["", ("Sam Green", "C15"), " (green spaces lead) joined."],
    ["", ("Dr Green", "C15"), " said the green paper is out."],
    ["", ("Hope Marsh", "C9"), " hopes to attend."],
    ["", ("Ms Marsh", "C9"), " runs the Marsh Lane surgery."],
    ["", ("April Rivers", "C13"), " will start in April."],
    ["", ("Mark Bell", "C8"), " will mark the scripts; ", ("Mr Bell", "C8"), " agreed."],
    ["", ("Will Walker", "C6"), " will walk us through it."],
    ["", ("Grace Baker", "C5"), ", with grace, accepted."],
    ["", ("Rose Hall", "C2"), " booked the hall; ", ("Dr Hall", "C2"), " rose to speak."],
    ["", ("Hall, Rose", "C2"), " (listed surname first in the register)."],
    ["", ("Brennan, A", "C1"), ". in the attendance list."],
    ["", ("Dr A. Brennan", "C1"), " and ", ("Prof. A Brennan", "C1"), "."],
    ["Both ", ("Ayesha Brennan's", "C1"), " and ", ("Kwame Mensah's", "C20"), " teams came."],
    [
        "Call ",
        ("Dr Brennan", "C1"),
        " on ",
        ("07700 900123", "phone"),
        " or ",
        ("a.b@nhs.net", "email"),
        ".",
    ],
    ["Ayesha rang back; ", ("Dr Brennan", "C1"), " is away until June."],
    ["Note: ", ("Ayesha\r\nBrennan", "C1"), " prefers Teams."],
    ["", ("DR BRENNAN", "C1"), " (the e-mail was in capitals)."],
    ["Met ", ("Kwame   Mensah", "C20"), " (typed with extra spaces)."],
    ["", ("Sir Kwame", "C20"), "? No: ", ("Mr Mensah", "C20"), "."],
    ["Invite ", ("Cllr Patel-Shah", "C10"), " and ", ("Mx Ångström", "C14"), "."],
    ["", ("Miss Rivers", "C13"), " and ", ("Dame Helen", "C19"), " sent apologies."],
    ["Welcomed ", ("Prof. Núñez", "C7"), " from Madrid."],
    ["Follow-up: ", ("E. MacLeod", "C12"), " to send the protocol."],
    ["Minutes by ", ("Okafor, Tom", "C4"), "."],
    # Known to be hard: a surname's initial, a lost apostrophe, a name joined to a word.
    ["Met ", ("Ayesha B", "C1"), ". from the ICB."],
    ["", ("Prof O Connor-Davies", "C3"), " sent the protocol."],
    ["The ", ("Dr Okafor", "C4"), "-led session ran over."],
    ["Emailed Ayesha at ", ("ayesha.brennan@nhs.net", "email"), " after the call."],
    ["", ("Dr Brennan", "C1"), " and ", ("Dr Ward", "C19"), " (", ("Helen", "C19"), ") met."],
]


def redacted(pieces):
    out = []
    for piece in pieces:
        if isinstance(piece, str):
            out.append(piece)
        elif piece[1] in ("email", "phone"):
            out.append(f"[{piece[1]}]")
        elif piece[1] is None:
            out.append(piece[0])
        else:
            surface = piece[0]
            suffix = "'s" if surface.endswith("'s") else ""
            out.append(f"<{piece[1]}>{suffix}")
    return "".join(out)


def mentions(pieces):
    found = []
    for piece in pieces:
        if isinstance(piece, str) or piece[1] is None:
            continue
        surface = piece[0][:-2] if piece[0].endswith("'s") else piece[0]
        found.append([surface, piece[1]])
    return found


def sentences():
    keys = list(CONTACTS)
    for number, template in enumerate(SENTENCE_TEMPLATES):
        for offset in range(len(keys)):
            a = keys[(offset + number) % len(keys)]
            b = keys[(offset + number + 7) % len(keys)]
            if offset % 2:  # every template, with half of the contacts: 140 sentences
                continue
            pieces = template(a, b)
            if pieces[0] == "Cllr ":
                pieces = cllr_fix(pieces, a)
            yield pieces
    yield from ADDRESS_SENTENCES
    yield from ([text] for text in PLAIN_SENTENCES)
    for pieces in HARD_SENTENCES:
        yield [piece for piece in pieces if piece != ("", None)]


def main():
    corpus = {
        "contacts": [{"key": key, "name": name} for key, name in CONTACTS.items()],
        "sentences": [
            {
                "text": "".join(p if isinstance(p, str) else p[0] for p in pieces),
                "expected": redacted(pieces),
                "mentions": mentions(pieces),
            }
            for pieces in sentences()
        ],
    }
    path = Path(__file__).with_name("mentions_corpus.json")
    path.write_text(json.dumps(corpus, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(corpus['sentences'])} sentences written to {path}")


if __name__ == "__main__":
    main()
