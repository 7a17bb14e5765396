"""`manage.py evaluate_triage` on tiny CSVs."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from pytest_django import Settings

from tickets.models import Ticket
from triage import store
from triage.evaluation import load_rows

pytestmark = pytest.mark.django_db


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def scores(path: Path) -> Any:
    """The one file's entry in the --json output of a call given one CSV."""
    (entry,) = json.loads(path.read_text())["files"]
    return entry


@pytest.fixture
def tickets_csv(tmp_path: Path, seed_dir: Path) -> Path:
    """Forty labelled tickets (title, description, category, priority)."""
    with (seed_dir / "seed.csv").open(newline="") as handle:
        rows = [list(row.values()) for row in csv.DictReader(handle)]
    return write_csv(
        tmp_path / "tickets.csv", ["title", "description", "category", "priority"], rows[::3][:40]
    )


def test_scores_each_provider(
    model_dir: Path, tickets_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command(
        "evaluate_triage", csv=tickets_csv, providers="local,rules", json=tmp_path / "out.json"
    )

    out = capsys.readouterr().out
    for text in ("local: 40 rows", "rules: 40 rows", "macro-F1", "QWK", "precision", "→billi"):
        assert text in out
    local = scores(tmp_path / "out.json")["providers"]["local"]
    assert local["rows"] == 40 and local["declined"] == 0
    assert 0 <= local["category"]["macro_f1"] <= 1
    assert sum(map(sum, local["category"]["confusion"])) == 40
    assert -1 <= local["priority"]["qwk"] <= 1


def test_a_text_only_csv_has_no_priority_figures(model_dir: Path, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "b.csv",
        ["text", "category"],
        [["my card was charged twice", "billing"], ["cannot log in", "account"]],
    )

    call_command("evaluate_triage", csv=path, providers="rules", json=tmp_path / "out.json")

    rules = scores(tmp_path / "out.json")["providers"]["rules"]
    assert rules["rows"] == 2
    assert "priority" not in rules


def test_declines_are_counted(model_dir: Path, tmp_path: Path, settings: Settings) -> None:
    settings.OPENAI_API_KEY = ""
    path = write_csv(tmp_path / "b.csv", ["text", "category"], [["cannot log in", "account"]])

    call_command("evaluate_triage", csv=path, providers="llm", json=tmp_path / "out.json")

    llm = scores(tmp_path / "out.json")["providers"]["llm"]
    assert llm["declined"] == 1
    assert llm["category"]["accuracy"] == 0


def test_the_learning_curve_goes_through_tickets_and_leaves_nothing_behind(
    model_dir: Path, tickets_csv: Path, tmp_path: Path
) -> None:
    live = store.read_pointer()["version"]

    call_command(
        "evaluate_triage",
        csv=tickets_csv,
        providers="rules",
        learning_curve=True,
        steps="5,15",
        json=tmp_path / "out.json",
    )

    curve = scores(tmp_path / "out.json")["learning_curve"]
    assert [point["labelled"] for point in curve] == [0, 5, 15]
    assert all(point["held_out"] == 25 for point in curve)
    assert curve[0]["promoted"]  # the scratch directory starts empty
    assert all(0 <= point["category_macro_f1"] <= 1 for point in curve)
    assert Ticket.objects.count() == 0
    assert store.read_pointer()["version"] == live


def test_bad_input_is_a_command_error(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", ["text", "category"], [["hello", "sales"]])

    with pytest.raises(CommandError, match="label outside"):
        call_command("evaluate_triage", csv=path)
    with pytest.raises(CommandError, match="need a category column"):
        call_command("evaluate_triage", csv=write_csv(tmp_path / "c.csv", ["x"], [["y"]]))


@pytest.mark.parametrize("form", ["repeated", "one-flag", "keyword"])
def test_several_csvs_are_each_scored_and_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], form: str
) -> None:
    first = write_csv(tmp_path / "first.csv", ["text", "category"], [["cannot log in", "account"]])
    second = write_csv(
        tmp_path / "second.csv",
        ["text", "category", "priority"],
        [["charged twice", "billing", "high"], ["the app crashes", "technical", "medium"]],
    )
    out = tmp_path / "out.json"
    args, kwargs = {
        "repeated": (["--csv", str(first), "--csv", str(second)], {}),
        "one-flag": (["--csv", str(first), str(second)], {}),
        "keyword": ([], {"csv": [first, second]}),
    }[form]

    call_command("evaluate_triage", *args, providers="rules", json=out, **kwargs)

    files = json.loads(out.read_text())["files"]
    assert [entry["csv"] for entry in files] == [str(first), str(second)]
    assert [entry["providers"]["rules"]["rows"] for entry in files] == [1, 2]
    assert "priority" not in files[0]["providers"]["rules"]
    assert "qwk" in files[1]["providers"]["rules"]["priority"]
    printed = capsys.readouterr().out
    assert printed.index("first.csv: 1 rows") < printed.index("second.csv: 2 rows")
    assert "summary" in printed


def test_a_bad_file_among_several_stops_before_any_is_scored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write_csv(tmp_path / "good.csv", ["text", "category"], [["cannot log in", "account"]])
    bad = write_csv(tmp_path / "bad.csv", ["text", "category"], [["hello", "sales"]])

    with pytest.raises(CommandError, match=r"bad\.csv:2: label outside"):
        call_command("evaluate_triage", "--csv", str(good), str(bad), "--providers=rules")

    assert "good.csv" not in capsys.readouterr().out


def test_rows_take_text_or_title_and_description(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "a.csv",
        ["title", "description", "category", "priority"],
        [["T", " D ", "general", ""]],
    )

    row = load_rows(path)[0]

    assert (row.title, row.description, row.category, row.priority) == ("T", "D", "general", None)
