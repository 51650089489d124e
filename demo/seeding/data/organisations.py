"""Demo data: the shared organisations and the job titles of the people who work there."""

from activities.models import Organisation

Kind = Organisation.Kind

# name, kind, email domain, short name for titles and descriptions
ORGANISATIONS = [
    ("University of Bristol", Kind.UNIVERSITY, "bristol.ac.example", "the University of Bristol"),
    (
        "University of Bristol – Centre for Academic Primary Care",
        Kind.UNIVERSITY,
        "bristol.ac.example",
        "CAPC",
    ),
    ("University of Bath", Kind.UNIVERSITY, "bath.ac.example", "the University of Bath"),
    ("University of the West of England", Kind.UNIVERSITY, "uwe.ac.example", "UWE"),
    (
        "University of Birmingham",
        Kind.UNIVERSITY,
        "bham.ac.example",
        "the University of Birmingham",
    ),
    ("Aston University", Kind.UNIVERSITY, "aston.ac.example", "Aston University"),
    (
        "University of Warwick – Warwick Medical School",
        Kind.UNIVERSITY,
        "warwick.ac.example",
        "Warwick Medical School",
    ),
    (
        "Bristol, North Somerset and South Gloucestershire ICB",
        Kind.COMMISSIONER,
        "bnssg.nhs.example",
        "BNSSG ICB",
    ),
    (
        "Bath and North East Somerset, Swindon and Wiltshire ICB",
        Kind.COMMISSIONER,
        "bsw.nhs.example",
        "BSW ICB",
    ),
    ("Birmingham and Solihull ICB", Kind.COMMISSIONER, "bsol.nhs.example", "BSol ICB"),
    ("Black Country ICB", Kind.COMMISSIONER, "blackcountry.nhs.example", "Black Country ICB"),
    ("NHS South, Central and West CSU", Kind.SUPPORT_UNIT, "scwcsu.nhs.example", "SCW CSU"),
    ("NHS Midlands and Lancashire CSU", Kind.SUPPORT_UNIT, "mlcsu.nhs.example", "MLCSU"),
    ("North Bristol NHS Trust", Kind.PROVIDER, "nbt.nhs.example", "North Bristol NHS Trust"),
    (
        "University Hospitals Bristol and Weston NHS Foundation Trust",
        Kind.PROVIDER,
        "uhbw.nhs.example",
        "UHBW",
    ),
    (
        "Avon and Wiltshire Mental Health Partnership NHS Trust",
        Kind.PROVIDER,
        "awp.nhs.example",
        "AWP",
    ),
    ("Sirona care & health", Kind.PROVIDER, "sirona.example", "Sirona"),
    (
        "South Western Ambulance Service NHS Foundation Trust",
        Kind.PROVIDER,
        "swast.nhs.example",
        "SWASFT",
    ),
    ("Southville Family Practice", Kind.PROVIDER, "southville-fp.nhs.example", "Southville FP"),
    ("Eastville Medical Partnership", Kind.PROVIDER, "eastville-mp.nhs.example", "Eastville MP"),
    (
        "University Hospitals Birmingham NHS Foundation Trust",
        Kind.PROVIDER,
        "uhb.nhs.example",
        "UHB",
    ),
    (
        "Birmingham and Solihull Mental Health NHS Foundation Trust",
        Kind.PROVIDER,
        "bsmhft.nhs.example",
        "BSMHFT",
    ),
    (
        "Birmingham Community Healthcare NHS Foundation Trust",
        Kind.PROVIDER,
        "bhc.nhs.example",
        "BCHC",
    ),
    ("Ladywood Health Centre", Kind.PROVIDER, "ladywood-hc.nhs.example", "Ladywood HC"),
    ("Bristol City Council", Kind.LOCAL_AUTHORITY, "bristol.gov.example", "Bristol City Council"),
    (
        "South Gloucestershire Council",
        Kind.LOCAL_AUTHORITY,
        "southglos.gov.example",
        "South Glos Council",
    ),
    (
        "North Somerset Council",
        Kind.LOCAL_AUTHORITY,
        "n-somerset.gov.example",
        "North Somerset Council",
    ),
    (
        "Birmingham City Council",
        Kind.LOCAL_AUTHORITY,
        "birmingham.gov.example",
        "Birmingham City Council",
    ),
    (
        "Sandwell Metropolitan Borough Council",
        Kind.LOCAL_AUTHORITY,
        "sandwell.gov.example",
        "Sandwell Council",
    ),
    ("Healthwatch Bristol", Kind.VOLUNTARY, "healthwatchbristol.example", "Healthwatch Bristol"),
    ("Age UK Bristol", Kind.VOLUNTARY, "ageukbristol.example", "Age UK Bristol"),
    ("Bristol Mind", Kind.VOLUNTARY, "bristolmind.example", "Bristol Mind"),
    ("Southmead Development Trust", Kind.VOLUNTARY, "southmeadtrust.example", "SDT"),
    ("Healthwatch Birmingham", Kind.VOLUNTARY, "healthwatchbham.example", "Healthwatch Birmingham"),
    (
        "Sickle Cell and Thalassaemia Support Project Birmingham",
        Kind.VOLUNTARY,
        "sctsp.example",
        "the sickle cell support project",
    ),
    ("Severn Health Analytics Ltd", Kind.COMMERCIAL, "severnhealth.example", "Severn Health"),
    ("Brindley Digital Health Ltd", Kind.COMMERCIAL, "brindleydh.example", "Brindley Digital"),
    ("Health Innovation West of England", Kind.OTHER, "hiwest.example", "Health Innovation West"),
    ("NIHR ARC West", Kind.OTHER, "arcwest.example", "ARC West"),
    ("NIHR ARC West Midlands", Kind.OTHER, "arcwm.example", "ARC West Midlands"),
    ("Bristol Health Partners", Kind.OTHER, "bristolhealthpartners.example", "BHP"),
]
ORG_DOMAIN = {name: domain for name, _, domain, _ in ORGANISATIONS}
ORG_SHORT = {name: short for name, _, _, short in ORGANISATIONS}

RESEARCH_TITLES = [
    "Senior Lecturer in Primary Care",
    "Research Fellow",
    "Professor of Health Services Research",
    "Senior Research Associate",
    "NIHR Doctoral Fellow",
    "Lecturer in Public Health",
    "Health Economist",
    "Reader in Health Policy",
    "Qualitative Researcher",
    "Professor of Primary Care",
]
COMMISSIONING_TITLES = {
    Kind.COMMISSIONER: [
        "Senior Commissioning Manager",
        "Head of Commissioning",
        "Commissioning Manager",
        "Programme Manager",
        "Deputy Director of Strategy",
        "Clinical Lead (GP)",
        "Transformation Lead",
        "Population Health Analyst",
    ],
    Kind.SUPPORT_UNIT: [
        "Head of Evidence and Evaluation",
        "Senior Analyst",
        "Business Intelligence Manager",
        "Evidence Reviewer",
    ],
    Kind.LOCAL_AUTHORITY: [
        "Consultant in Public Health",
        "Public Health Principal",
        "Adult Social Care Commissioner",
        "Public Health Registrar",
    ],
}
# Clinical job titles by the words in the organisation's name that say what it is.
CLINICAL_TITLES = {
    ("Practice", "Medical Partnership", "Health Centre"): [
        "GP Partner", "Salaried GP", "Practice Nurse", "Advanced Nurse Practitioner",
        "Social Prescribing Link Worker", "Practice Pharmacist",
    ],
    ("Ambulance",): [
        "Consultant Paramedic", "Advanced Paramedic Practitioner", "Clinical Hub Manager",
    ],
    ("Mental Health",): [
        "Consultant Psychiatrist", "Clinical Psychologist", "Mental Health Nurse Consultant",
        "Crisis Team Manager",
    ],
    ("",): [
        "Consultant Geriatrician", "Community Matron", "Consultant Midwife",
        "Diabetes Specialist Nurse", "Consultant in Emergency Medicine",
        "Physiotherapy Team Lead", "Respiratory Nurse Specialist", "Heart Failure Nurse",
    ],
}  # fmt: skip
PATIENT_PUBLIC_TITLES = [
    "Public contributor",
    "Carer representative",
    "Patient Participation Group chair",
    "Healthwatch volunteer",
    "Community development worker",
    "Lived-experience adviser",
]
OTHER_TITLES = [
    "Innovation Manager",
    "Communications Officer",
    "Data Scientist",
    "Partnership Manager",
    "Project Manager",
    "Account Manager",
]
# Job titles whose holders are usually addressed as "Dr" in a brokering log.
DOCTOR_TITLES = {
    "Senior Lecturer in Primary Care",
    "Research Fellow",
    "Senior Research Associate",
    "Lecturer in Public Health",
    "Health Economist",
    "Reader in Health Policy",
    "Clinical Lead (GP)",
    "Consultant in Public Health",
    "Consultant Geriatrician",
    "Consultant Psychiatrist",
    "Consultant in Emergency Medicine",
    "Clinical Psychologist",
    "GP Partner",
    "Salaried GP",
}
