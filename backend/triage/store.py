"""Where the local model lives on disk, and how every process notices a new one.

Layout under `settings.TRIAGE_MODEL_DIR`:

    current.json             which model is live: version, file, metrics, what it learned from
    model-<version>.joblib   a bundle: the model that answers, its guard twin, the same metadata
    .lock                    held while a process trains, so two never write at once

Promotion writes the bundle, then replaces `current.json` atomically (`os.replace`): a reader sees
the old model or the new one, never half of either. Readers notice a swap by `stat`-ing
`current.json` (a few microseconds), so every web process picks up a model trained by the worker
on its next prediction. The files hold pickles: the directory must be writable by the app only.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, NotRequired, TypedDict

from django.conf import settings

if TYPE_CHECKING:
    # Only for annotations: importing the classifier pulls in scikit-learn (seconds on a cold
    # process), which a reader of `current.json` alone (the status page) must not pay.
    from triage.classifier import TriageModel

# Bump when a saved model can no longer be read by this code (a change to `triage.classifier`'s
# classes, or their module: a pickle names it); an older file is then retrained.
# 2: each label's classifier carries its own text features, so the two can go live separately.
# 3: the classes moved from `triage.model` to `triage.classifier`.
# 4: each head may carry a model of the organisation's own labels (`classifier.OrgHead`).
MODEL_FORMAT = 4

POINTER = "current.json"
KEEP_FILES = 3


class ExampleCounts(TypedDict):
    seed: int  # rows of the seed corpus
    human: int  # tickets carrying a label a person chose


class JudgedOn(TypedDict):
    """Which held-out rows the guard scored one label on (see `training.judged_rows`)."""

    rows: Literal["people", "all"]
    count: int


class CategoryFigures(TypedDict):
    accuracy: float
    macro_f1: float


class PriorityFigures(CategoryFigures):
    qwk: float  # quadratic weighted kappa: priorities are ordered, categories are not


class HeldOutFigures(TypedDict):
    """A guard's scores on the held-out slice (`training.evaluate`)."""

    held_out: int
    judged_on: dict[str, JudgedOn]
    category: CategoryFigures
    priority: PriorityFigures
    score: float  # the mean of category macro-F1 and priority QWK


class HeadMeta(TypedDict):
    """Which fit one label's classifier comes from."""

    version: str
    trained_at: str  # ISO 8601
    examples: ExampleCounts
    # The say of the organisation's own model in this label's answers (0: none), and how it
    # was chosen ("cross-validation" over the people's labels, or the "default" n / (n + half)).
    org_share: NotRequired[float]
    org_share_from: NotRequired[str]


class ModelMeta(TypedDict):
    """A bundle's metadata, also written to `current.json` (with the bundle's `file` name)."""

    version: str
    format: int
    trained_at: str  # ISO 8601
    sklearn: str  # the scikit-learn version that fitted it
    examples: ExampleCounts
    metrics: HeldOutFigures
    heads: dict[str, HeadMeta]  # by label


class ModelMissing(Exception):
    """No usable model on disk (never trained, deleted, or written by an incompatible version)."""


class TrainingBusy(Exception):
    """Another process holds the training lock."""


@dataclass(frozen=True)
class Bundle:
    """What one model file holds.

    `model` answers tickets and learned from every example. `guard` is the same recipe fitted
    without the held-out slice; promotion compares guards on that slice, so neither side is
    scored on rows it learned from.
    """

    model: TriageModel
    guard: TriageModel
    meta: ModelMeta
    # Per label, fingerprints (`training.fingerprint`) of the people's rows the guard learned
    # from, so the next guard knows which rows it never saw. None: not recorded (older files).
    learned: dict[str, frozenset[str]] | None = None

    @property
    def version(self) -> str:
        return self.meta["version"]


def model_dir() -> Path:
    return Path(settings.TRIAGE_MODEL_DIR)


def pointer_stamp() -> tuple[int, int, int] | None:
    """A cheap fingerprint of `current.json` (changes whenever a model is promoted), or None."""
    try:
        st = os.stat(model_dir() / POINTER)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def read_pointer() -> dict[str, Any]:
    """The live model's metadata as `current.json` holds it: a `ModelMeta` plus `file`, unless
    the file was damaged, so a reader checks what it uses. Raises `ModelMissing`."""
    try:
        meta: dict[str, Any] = json.loads((model_dir() / POINTER).read_text())
    except (FileNotFoundError, ValueError) as exc:
        raise ModelMissing(str(exc)) from exc
    if meta.get("format") != MODEL_FORMAT:
        raise ModelMissing(f"model format {meta.get('format')!r}, this code reads {MODEL_FORMAT}")
    return meta


def load_current() -> Bundle:
    """The live bundle. Raises `ModelMissing` if there is none this code can read."""
    import joblib  # with the model classes it unpickles: see the module's imports

    meta = read_pointer()
    try:
        bundle = joblib.load(model_dir() / meta["file"])
    except Exception as exc:  # a missing, truncated or foreign pickle all mean "retrain"
        raise ModelMissing(f"cannot read {meta.get('file')!r}: {exc}") from exc
    if not isinstance(bundle, Bundle):
        raise ModelMissing(f"{meta['file']!r} is not a model bundle")
    return bundle


def promote(bundle: Bundle) -> None:
    """Write the bundle and make it the live model; prune old files beyond the last few."""
    import joblib

    directory = model_dir()
    directory.mkdir(parents=True, exist_ok=True)
    name = f"model-{bundle.version}.joblib"
    _atomic_write(directory / name, lambda handle: joblib.dump(bundle, handle))
    meta = {**bundle.meta, "file": name}
    _atomic_write(
        directory / POINTER, lambda handle: handle.write(json.dumps(meta, indent=2).encode())
    )
    files = sorted(directory.glob("model-*.joblib"), key=lambda path: path.stat().st_mtime_ns)
    for old in files[:-KEEP_FILES]:
        if old.name != name:
            old.unlink(missing_ok=True)


def _atomic_write(path: Path, write: Callable[[IO[bytes]], object]) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def training_lock(*, wait: bool) -> Iterator[None]:
    """Hold the directory's training lock (one trainer per host at a time).

    With `wait=False`, raises `TrainingBusy` instead of waiting for another trainer.
    """
    directory = model_dir()
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "a+b") as handle:
        flags = fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB
        try:
            fcntl.flock(handle.fileno(), flags)
        except BlockingIOError as exc:
            raise TrainingBusy("another process is training the triage model") from exc
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
