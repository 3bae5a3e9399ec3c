"""The `dondoc` console command: `check FILE` checks a draft; Django's own `check` keeps working."""

from __future__ import annotations

from dondoc.cli import _route


def test_check_with_an_existing_file_runs_checkdraft(tmp_path):
    draft = tmp_path / "du-thao.docx"
    draft.write_bytes(b"PK")
    assert _route(["dondoc", "check", str(draft)]) == ["dondoc", "checkdraft", str(draft)]


def test_check_with_a_file_and_options_keeps_the_options(tmp_path):
    draft = tmp_path / "du-thao.txt"
    draft.write_text("Công văn", encoding="utf-8")
    assert _route(["dondoc", "check", "--format", "json", str(draft)]) == [
        "dondoc",
        "checkdraft",
        "--format",
        "json",
        str(draft),
    ]


def test_check_reading_standard_input_runs_checkdraft():
    assert _route(["dondoc", "check", "-"]) == ["dondoc", "checkdraft", "-"]


def test_check_deploy_stays_djangos_system_check():
    assert _route(["dondoc", "check", "--deploy"]) == ["dondoc", "check", "--deploy"]


def test_bare_check_stays_djangos_system_check():
    assert _route(["dondoc", "check"]) == ["dondoc", "check"]


def test_check_of_an_app_label_stays_djangos_system_check():
    # `check tracking` names an app, not a file: no file called "tracking" exists here.
    assert _route(["dondoc", "check", "tracking-app-label-not-a-file"]) == [
        "dondoc",
        "check",
        "tracking-app-label-not-a-file",
    ]


def test_other_commands_pass_through_unchanged():
    assert _route(["dondoc", "migrate", "--noinput"]) == ["dondoc", "migrate", "--noinput"]
    assert _route(["dondoc"]) == ["dondoc"]
