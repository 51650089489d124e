"""Import activities or contacts from a file: upload, preview (with the columns' mapping),
confirm.

Between the preview and the confirmation the file is kept in the user's session
(stored in the database), not on the web server's disk, so that any web process
can answer the next request.
"""

import base64
import secrets
import zlib

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse

from activities.forms import ImportUploadForm
from activities.forms.base import REASON_LENGTH
from activities.imports import IMPORTERS, ImportFileError, read_table
from teams import submissions
from teams.tenancy import WRITE, team_view

LISTS = {"activities": "activities:activity_list", "contacts": "activities:contact_list"}


@team_view(WRITE)
def activity_import(request, access):
    return _import(request, access, IMPORTERS["activities"](access))


@team_view(WRITE)
def contact_import(request, access):
    return _import(request, access, IMPORTERS["contacts"](access))


def _import(request, access, importer):
    token = request.POST.get("upload") or request.GET.get("upload")
    if token:
        return _preview(request, access, importer, token)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data
        token = _keep(request, access, importer.kind, upload["file"].name, upload)
        return redirect(f"{request.path}?upload={token}")
    return render(request, "activities/import_upload.html", _context(access, importer, form=form))


def _preview(request, access, importer, token):
    """The preview of a kept upload (GET, with any mapping), or its import (POST)."""
    upload = _kept(request, access, importer.kind, token)
    if upload is None:
        messages.error(request, "That upload has expired or was replaced: upload the file again.")
        return redirect(request.path)
    try:
        table = read_table(upload["content"], upload["encoding"])
    except ImportFileError as error:  # only if the limits changed since the upload
        messages.error(request, str(error))
        return redirect(request.path)
    params = request.POST if request.method == "POST" else request.GET
    mapping = _mapping(params, table, importer)
    importer.answers = {key: value for key, value in params.items() if key.startswith("choose-")}
    if request.method == "POST":
        reason = params.get("signoff_reason", "").strip()[:REASON_LENGTH]
        importer.reason = reason or importer.reason
    if request.method == "POST":
        try:
            preview = _save_once(access, importer, token, table, mapping)
        except submissions.AlreadySubmitted:
            _forget(request, access, importer.kind)
            messages.info(request, f"“{upload['name']}” was already imported.")
            return redirect(_list_url(access, importer))
        if preview.can_import:
            _forget(request, access, importer.kind)
            messages.success(request, _done_message(preview, importer))
            return redirect(_list_url(access, importer))
    else:
        preview = importer.preview(table, mapping)
    context = _context(access, importer, preview=preview, token=token, upload_name=upload["name"])
    context["reason_missing"] = request.method == "POST" and preview.needs_reason
    return render(request, "activities/import_preview.html", context)


def _save_once(access, importer, token, table, mapping):
    """Import the kept upload unless another confirmation of it did: the first claims its
    token (teams.submissions), the others wait for it and raise AlreadySubmitted."""
    with transaction.atomic():
        submission = submissions.claim(f"import-{token}", access)
        preview = importer.save(table, mapping)
        if not preview.can_import:  # the upload may be corrected and confirmed again
            transaction.set_rollback(True)
            return preview
        submissions.record(submission, _list_url(access, importer), imported=preview.new)
        return preview


def _list_url(access, importer):
    return reverse(LISTS[importer.kind], kwargs={"team": access.team.slug})


def _context(access, importer, **context):
    return {
        "team": access.team,
        "importer": importer,
        "list_url": _list_url(access, importer),
    } | context


def _mapping(params, table, importer):
    """The field each file column is read as: the preview's choices, else the headings."""
    if not any(key.startswith("map-") for key in params):
        return importer.default_mapping(table.headings)
    known = set(importer.field_names) | set(importer.ignored)
    chosen = [params.get(f"map-{index}", "") for index in range(len(table.headings))]
    return [name if name in known else "" for name in chosen]


def _done_message(preview, importer):
    message = f"Imported {preview.new:,} {importer.title}."
    if preview.existing:
        message += f" {preview.existing:,} rows already there were skipped."
    return message


def _session_key(access, kind):
    return f"import:{access.team.pk}:{kind}"


def _keep(request, access, kind, name, upload):
    """Keep the upload for the preview and confirmation; one per team, kind and session."""
    token = secrets.token_urlsafe(16)
    request.session[_session_key(access, kind)] = {
        "token": token,
        "name": name,
        "encoding": upload["encoding"],
        "content": base64.b64encode(zlib.compress(upload["content"])).decode("ascii"),
    }
    return token


def _kept(request, access, kind, token):
    kept = request.session.get(_session_key(access, kind))
    if not kept or not secrets.compare_digest(kept["token"].encode(), token.encode()):
        return None
    content = zlib.decompress(base64.b64decode(kept["content"]))
    return {**kept, "content": content}


def _forget(request, access, kind):
    request.session.pop(_session_key(access, kind), None)
