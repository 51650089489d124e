"""Hypothesis strategies for hostile input: text in any script, NUL bytes, 10,000-character
values, numbers too large for any column, dates that do not exist, and random keys.

`form_data(form)` builds the submission of a form field by field: each field gets
either something it could accept (a choice it offers, a date, a number) or
anything at all, so that examples reach both the errors and the save.
"""

import datetime

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict
from hypothesis import strategies as st

from kmtracker.lib.dates import EARLIEST, LATEST

# Surrogates cannot reach a form: a request's bytes are decoded with replacement.
ANY_CHARACTER = st.characters(exclude_categories=("Cs",))
LONG = 10_000

ODD_NUMBERS = [
    "0",
    "-0",
    "-1",
    "1e309",
    "-1e309",
    "1e-309",
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "0x10",
    "1_000",
    "１２３",  # full-width digits, which int() accepts
    "٣",  # an Arabic-Indic digit
    "2147483647",
    "2147483648",
    "-2147483649",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "9" * 40,
    "1" + "0" * 400,
    "0." + "0" * 30 + "1",
    "99999999999.999",
    "1,000",
    " 12 ",
]
ODD_DATES = [
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2025-02-29",
    "2024-02-29",
    "2025-13-01",
    "2025-04-31",
    "31/12/9999",
    "00/00/0000",
    "1-1-1",
    "-2025-01-01",
    "2025-W01",
    "20250101",
    "2025-01-01T00:00:00",
    "２０２５-０１-０１",
]


def _long(text):
    return (text * LONG)[:LONG] if text else "x" * LONG


def _with_nul(parts):
    return "\x00".join(parts)


texts = st.text(alphabet=ANY_CHARACTER, max_size=40)
# Text a person types or pastes: any script, no control characters.
printable = st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc")), max_size=40)
nasty_text = st.one_of(
    texts,
    st.text(alphabet=ANY_CHARACTER, min_size=1, max_size=3).map(_long),
    st.lists(texts, min_size=2, max_size=3).map(_with_nul),
    st.sampled_from(["\x00", "\x00" * 5, " \x00 ", "1\x00", "2025-01-01\x00"]),
)
huge_integers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.integers(min_value=2**31 - 2, max_value=2**31 + 2),
    st.integers(min_value=2**63 - 2, max_value=2**63 + 2),
).map(str)
odd_numbers = st.one_of(
    huge_integers,
    st.sampled_from(ODD_NUMBERS),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
)
# Dates the product accepts (kmtracker.lib.dates), and any date at all, near the ends too.
dates = st.dates(min_value=EARLIEST, max_value=LATEST)
any_dates = st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31))
odd_dates = st.one_of(
    any_dates.map(datetime.date.isoformat),
    any_dates.map(lambda day: day.strftime("%d/%m/%Y")),
    st.sampled_from(ODD_DATES),
)
# Anything at all that a browser, or someone without one, could post as a value.
anything = st.one_of(nasty_text, odd_numbers, odd_dates)
random_keys = st.one_of(
    texts, st.sampled_from(["", "\x00", "csrfmiddlewaretoken", "pk", "id", "team", "__all__"])
)


def file_contents(text_like=b"name,community\n"):
    """Bytes of an upload: random, CSV-like, an empty file or a large one."""
    return st.one_of(
        st.binary(max_size=300),
        st.just(b""),
        texts.map(lambda text: text_like + text.encode("utf-8", "surrogatepass")),
        st.sampled_from([b"\x00" * 64, b"PK\x03\x04broken", b"\xd0\xcf\x11\xe0", b"\xff\xfe\x00"]),
    )


def uploads(text_like=b"name,community\n"):
    names = st.one_of(st.sampled_from(["a.csv", "a.txt", "a.md", "a.docx", "a.xlsx"]), texts)
    return st.builds(
        lambda name, content: SimpleUploadedFile(_file_name(name), content),
        names,
        file_contents(text_like),
    )


def _file_name(name):
    """A name as Django's upload parser passes it on: no folders, never empty."""
    name = name.replace("\x00", "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1].strip()
    return name if name not in ("", ".", "..") else "unnamed"


def _choices_of(field):
    """The values a choice field offers, as they are posted."""
    values = []
    for value, label in field.choices:
        if isinstance(label, list | tuple):  # an optgroup
            values += [str(inner) for inner, _ in label]
        else:
            values.append(str(value))
    return values


def plausible_value(field):
    """A value that `field` might accept, so that examples also reach the save."""
    if isinstance(field.widget, forms.HiddenInput):
        # e.g. the version an edit form was opened at: small numbers, as pages send.
        return st.sampled_from(["1", "2", "3", str(field.initial or "")])
    if isinstance(field, forms.BooleanField):
        return st.sampled_from(["on", "", "true", "false"])
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        offered = [value for value in _choices_of(field) if value]
        return st.sampled_from(offered) if offered else st.just("")
    if isinstance(field, forms.DateField):
        return dates.map(datetime.date.isoformat)
    if isinstance(field, forms.IntegerField):
        return st.integers(min_value=-5, max_value=3000).map(str)
    if isinstance(field, forms.DecimalField):
        return st.decimals(min_value=-10, max_value=10**9, places=2).map(str)
    if isinstance(field, forms.EmailField):
        return st.emails().map(lambda email: email[: field.max_length or 254])
    if isinstance(field, forms.CharField):
        limit = field.max_length or 300
        return st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc")), max_size=limit)
    return anything


def field_values(field):
    """The list of values posted under a field's name (several for a multiple choice)."""
    one = st.one_of(plausible_value(field), plausible_value(field), anything)
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return st.lists(one, max_size=4)
    return st.one_of(one.map(lambda value: [value]), st.just([]))


@st.composite
def form_data(draw, form, upload_text=b"name,community\n"):
    """(data, files) for `form`: every field plausible, hostile or missing, plus random keys."""
    data, files = {}, {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if isinstance(field, forms.FileField):
            if draw(st.booleans()):
                files[key] = draw(uploads(upload_text))
            continue
        values = draw(field_values(field))
        if values:
            data[key] = values
    for key in draw(st.lists(random_keys, max_size=3)):
        data.setdefault(key, [draw(anything)])
    return MultiValueDict(data), MultiValueDict({key: [file] for key, file in files.items()})
