"""`manage.py train_triage`: retrain the local model now (also run at install by `make train`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from triage import store
from triage.learning import jobs


class Command(BaseCommand):
    help = (
        "Train the local triage model from the seed corpus and the labels people chose, and "
        "make each label's new classifier live if it scores no worse on the held-out slice "
        "than the live one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Make the new model live even if it scores lower than the live one.",
        )
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Do nothing when a readable model is already live (for start-up scripts).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_missing"]:
            try:
                version = store.load_current().version
            except store.ModelMissing:
                pass
            else:
                self.stdout.write(f"live model: {version} (kept)")
                return
        outcome = jobs.retrain_now(force=options["force"])
        metrics = outcome.metrics
        self.stdout.write(
            f"trained {outcome.version} in {outcome.seconds:.1f}s from "
            f"{outcome.examples['seed']} seed examples and {outcome.examples['human']} "
            f"labelled tickets"
        )
        self.stdout.write(
            f"held-out ({metrics['held_out']} rows): category macro-F1 "
            f"{metrics['category']['macro_f1']:.3f}, priority macro-F1 "
            f"{metrics['priority']['macro_f1']:.3f}, priority QWK {metrics['priority']['qwk']:.3f}"
        )
        for note in outcome.notes:
            self.stdout.write(note)
        if len(outcome.promoted) == len(outcome.guard):
            self.stdout.write(self.style.SUCCESS(f"live model: {outcome.live_version}"))
        elif outcome.promoted:
            self.stdout.write(
                self.style.SUCCESS(
                    f"live model: {outcome.live_version} (new {' and '.join(outcome.promoted)} "
                    "classifier; use --force to take the whole new model)"
                )
            )
        else:
            self.stdout.write(
                self.style.WARNING(
                    f"kept {outcome.live_version}: the new model scored lower on the held-out "
                    "slice for both labels (use --force to replace it anyway)"
                )
            )
