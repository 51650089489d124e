"""Helpers for import tests: files as brokers make them, and the upload–preview–confirm steps."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook


def csv_bytes(header, rows, delimiter=",", encoding="utf-8"):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(header, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_url(team, kind):
    name = {"activities": "activity_import", "contacts": "contact_import"}[kind]
    return reverse(f"activities:{name}", kwargs={"team": team.slug})


def upload(client, team, kind, content, name="file.csv", encoding="utf-8"):
    """POST the file; the response redirects to the preview, or shows the form's errors."""
    data = {"file": SimpleUploadedFile(name, content), "encoding": encoding}
    return client.post(import_url(team, kind), data)


def preview(client, team, kind, content, name="file.csv", encoding="utf-8", **mapping):
    """Upload and open the preview: (response, token)."""
    response = upload(client, team, kind, content, name, encoding)
    assert response.status_code == 302, response.context["form"].errors
    token = response["Location"].split("upload=", 1)[1]
    params = {"upload": token, **mapping}
    preview_response = client.get(import_url(team, kind), params)
    assert preview_response.status_code == 200
    return preview_response, token


def confirm(client, team, kind, token, mapping):
    """POST the confirmation with the preview's mapping, as the page's form does."""
    data = {"upload": token, "confirm": "1"}
    data.update({f"map-{index}": name for index, name in enumerate(mapping)})
    return client.post(import_url(team, kind), data)


def errors_of(preview_response):
    """(row, column, message) of every error the preview shows."""
    return [
        (result.number, column, message)
        for result in preview_response.context["preview"].results
        for column, _value, message in result.errors
    ]
