"""An evaluator downloads the demo study as a REFI-QDA project, imports that file as a new
study, and finds the same codings in it."""

import re

import pytest
from playwright.sync_api import expect

from evaluations.models import Study
from tests.evaluations.test_refi_qda import codings

pytestmark = pytest.mark.browser


def test_an_evaluator_takes_a_study_out_as_refi_qda_and_back(page_for, demo, tmp_path):
    study = Study.objects.get(team=demo.team)
    page = page_for("evaluator")
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("button", name="More").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Evaluations").click()
    page.get_by_role("link", name=study.title).click()
    page.get_by_role("link", name=re.compile(r"^Files for NVivo")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Files for other software")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="REFI-QDA project (.qdpx)").click()
    download = download_info.value
    assert download.suggested_filename == f"study-{study.pk}-project.qdpx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    page.get_by_role("link", name="Import a REFI-QDA project as a new study").click()
    page.get_by_label("REFI-QDA project (.qdpx)").set_input_files(path)
    page.get_by_role("button", name="Import").click()
    status = page.get_by_role("status").filter(has_text=re.compile(r"Imported \d+ sources?"))
    expect(status).to_be_visible()

    imported = Study.objects.exclude(pk=study.pk).get(team=demo.team)
    expect(page).to_have_url(re.compile(rf"/evaluations/{imported.pk}/$"))
    with open(path, "rb") as file:
        exported = file.read()
    with page.expect_download() as again:
        page.goto(f"/teams/{demo.team.slug}/evaluations/{imported.pk}/exchange/")
        page.get_by_role("link", name="REFI-QDA project (.qdpx)").click()
    with open(again.value.path(), "rb") as file:
        assert codings(file.read()) == codings(exported)
