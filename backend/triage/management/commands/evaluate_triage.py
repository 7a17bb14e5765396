"""`manage.py evaluate_triage --csv FILE [FILE ...]`: how well each provider labels each CSV."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from triage import evaluation
from triage.evaluation import CurvePoint, FileScores, ProviderScores
from triage.labels import CATEGORIES, PRIORITIES
from triage.metrics import LabelReport
from triage.providers.base import TriageProvider


class Command(BaseCommand):
    help = (
        "Score triage providers on one or more labelled CSVs (columns text or "
        "title+description, category, optional priority), each reported on its own: accuracy, "
        "macro-F1, per-label precision/recall, confusion matrix, and quadratic weighted kappa "
        "for priority. --learning-curve also shows how the local model improves as people label "
        "rows of each set."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--csv",
            required=True,
            type=Path,
            nargs="+",
            action="extend",
            metavar="FILE",
            help="One or more labelled CSVs (--csv a.csv b.csv, or --csv repeated). Each gets its "
            "own figures and learning curve.",
        )
        parser.add_argument(
            "--providers",
            default="local,rules",
            help="Comma-separated: llm, local, rules, chain, dotted paths (default: local,rules).",
        )
        parser.add_argument("--limit", type=int, help="Score only the first N rows of each file.")
        parser.add_argument(
            "--learning-curve",
            action="store_true",
            help="Also retrain the local model on labelled rows of each set, via tickets.",
        )
        parser.add_argument(
            "--steps",
            default="50,200,500",
            help="Labelled rows per curve point (default 50,200,500).",
        )
        parser.add_argument("--seed", type=int, default=7, help="Shuffle seed for the curve split.")
        parser.add_argument(
            "--json",
            type=Path,
            help='Also write every figure to this JSON file: {"files": [one entry per CSV]}.',
        )

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(file=cast(IO[str], self.stdout), width=110)
        given = options["csv"]
        # call_command(csv=...) passes the value as given, which need not be a list.
        paths = [Path(path) for path in (given if isinstance(given, list | tuple) else [given])]
        try:
            # Every file is read before any is scored: a bad last file fails at once, not after
            # minutes of scoring the others.
            sets = [(path, evaluation.load_rows(path)) for path in paths]
            steps = [int(step) for step in options["steps"].split(",") if step.strip()]
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        names = [name.strip() for name in options["providers"].split(",") if name.strip()]
        targets = {name: evaluation.provider(name) for name in names}

        curve_steps = steps if options["learning_curve"] else None
        files = []
        for path, rows in sets:
            if options["limit"]:
                rows = rows[: options["limit"]]
            files.append(
                _evaluate_file(console, path, rows, targets, curve_steps, seed=options["seed"])
            )
        if len(files) > 1:
            _print_summary(console, files)

        if options["json"]:
            options["json"].write_text(json.dumps({"files": files}, indent=2))


def _evaluate_file(
    console: Console,
    path: Path,
    rows: list[evaluation.Row],
    targets: dict[str, TriageProvider],
    curve_steps: list[int] | None,
    *,
    seed: int,
) -> FileScores:
    """Score every provider on one file's rows, and its learning curve at `curve_steps` unless
    that is None, printing as it goes."""
    console.print(f"[bold]{path.name}[/]: {len(rows)} rows")
    results: FileScores = {"csv": str(path), "rows": len(rows), "providers": {}}
    for name, target in targets.items():
        with _progress(console) as progress:
            task = progress.add_task(name, total=len(rows))
            figures = evaluation.score(target, rows, partial(progress.advance, task))
        results["providers"][name] = figures
        _print_report(console, name, figures)

    if curve_steps is not None:
        try:
            with _progress(console) as progress:
                task = progress.add_task("learning curve", total=len(curve_steps) + 1)
                curve = evaluation.learning_curve(
                    rows, curve_steps, seed=seed, advance=partial(progress.advance, task)
                )
        except ValueError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        results["learning_curve"] = curve
        _print_curve(console, curve)
    return results


def _print_summary(console: Console, files: list[FileScores]) -> None:
    """One line per file and provider, to compare the sets side by side."""
    table = Table(title="summary")
    for column in ("file", "provider", "rows", "category macro-F1", "priority QWK"):
        table.add_column(column, justify="right")
    for results in files:
        for name, figures in results["providers"].items():
            priority = figures.get("priority")
            table.add_row(
                Path(results["csv"]).name,
                name,
                str(figures["rows"]),
                f"{figures['category']['macro_f1']:.3f}",
                "" if priority is None else f"{priority['qwk']:.3f}",
            )
    console.print(table)


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


def _print_report(console: Console, name: str, figures: ProviderScores) -> None:
    summary = Table(title=f"{name}: {figures['rows']} rows in {figures['seconds']}s")
    for column in ("label", "accuracy", "macro-F1", "QWK", "declined"):
        summary.add_column(column, justify="right")
    category = figures["category"]
    summary.add_row(
        "category",
        f"{category['accuracy']:.3f}",
        f"{category['macro_f1']:.3f}",
        "",
        str(figures["declined"]),
    )
    priority = figures.get("priority")
    if priority:
        summary.add_row(
            "priority",
            f"{priority['accuracy']:.3f}",
            f"{priority['macro_f1']:.3f}",
            f"{priority['qwk']:.3f}",
            "",
        )
    console.print(summary)
    _print_labels(console, "category", category, CATEGORIES)
    if priority:
        _print_labels(console, "priority", priority, PRIORITIES)


def _print_labels(
    console: Console, title: str, figures: LabelReport, labels: tuple[str, ...]
) -> None:
    """Per-label precision/recall beside the confusion matrix (rows: truth, columns: predicted)."""
    table = Table(title=f"{title}: per label and confusion (row = truth)")
    table.add_column("truth")
    for column in ("precision", "recall", "support"):
        table.add_column(column, justify="right")
    for label in labels:
        table.add_column(f"→{label[:5]}", justify="right")
    for label, counts in zip(labels, figures["confusion"], strict=True):
        per = figures["per_label"][label]
        table.add_row(
            label,
            f"{per['precision']:.3f}",
            f"{per['recall']:.3f}",
            str(per["support"]),
            *(str(count) for count in counts),
        )
    console.print(table)


def _promoted(point: CurvePoint) -> str:
    """Which labels' new classifiers went live, with the guard's figures for any that did not,
    e.g. "category; priority kept (qwk 0.078 < 0.129)"."""
    kept = [
        f"{label} kept ({figures['measure']} {figures['candidate']:.4f} < {figures['live']:.4f})"
        for label, figures in point["guard"].items()
        if label not in point["promoted"]
    ]
    return "; ".join([*point["promoted"], *kept]) or "none"


def _judged(point: CurvePoint) -> str:
    """Which held-out rows the guard judged each label on, e.g. "people 41 / all 562"."""
    return " / ".join(
        f"{figures['judged_on']['rows']} {figures['judged_on']['count']}"
        for figures in point["guard"].values()
    )


def _print_curve(console: Console, curve: list[CurvePoint]) -> None:
    table = Table(title=f"learning curve: local model, {curve[0]['held_out']} held-out rows")
    columns = (
        "labelled rows",
        "category macro-F1",
        "accuracy",
        "priority QWK",
        "promoted",
        "guard rows (category / priority)",
    )
    for column in columns:
        table.add_column(column, justify="right")
    for point in curve:
        qwk = point["priority_qwk"]
        table.add_row(
            str(point["labelled"]),
            f"{point['category_macro_f1']:.3f}",
            f"{point['category_accuracy']:.3f}",
            "" if qwk is None else f"{qwk:.3f}",
            _promoted(point),
            _judged(point),
        )
    console.print(table)
