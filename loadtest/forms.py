"""Read an HTML form as a browser would submit it: every field with its current value.

The simulated users fill in the app's own forms rather than hand-built payloads, so
hidden fields the forms gain later (a CSRF token, a record's version) are sent back as
a browser would send them.
"""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None
        self._select = None  # (name, multiple, options seen, selected)
        self._textarea = None
        self._option = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"method": (attrs.get("method") or "get").lower(), "fields": []}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._form["fields"].append((name, attrs.get("value", "on")))
            elif kind not in ("submit", "button", "reset", "file", "image"):
                self._form["fields"].append((name, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = {"name": name, "multiple": "multiple" in attrs, "first": None, "sel": []}
        elif tag == "option" and self._select is not None:
            value = attrs.get("value")
            self._option = value
            if value is not None and self._select["first"] is None:
                self._select["first"] = value
            if "selected" in attrs and value is not None:
                self._select["sel"].append(value)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if self._form is None:
            return
        if tag == "textarea" and self._textarea is not None:
            # A browser drops the one newline that may follow <textarea>.
            value = self._textarea[1].removeprefix("\n")
            self._form["fields"].append((self._textarea[0], value))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            select = self._select
            values = select["sel"] or (
                [] if select["multiple"] or select["first"] is None else [select["first"]]
            )
            self._form["fields"].extend((select["name"], value) for value in values)
            self._select = None
        elif tag == "form":
            self._form = None


def post_form_with(html, field):
    """The fields of the first POST form on the page that has `field`, as a list of pairs."""
    parser = _FormParser()
    parser.feed(html)
    for form in parser.forms:
        if form["method"] == "post" and any(name == field for name, _ in form["fields"]):
            return form["fields"]
    raise ValueError(f"no POST form with a {field!r} field on the page")


def replace(fields, **values):
    """`fields` with every value of the named fields replaced; a list value repeats the name."""
    kept = [(name, value) for name, value in fields if name not in values]
    for name, value in values.items():
        for one in value if isinstance(value, list | tuple) else [value]:
            kept.append((name, str(one)))
    return kept
