"""Prompts live in files next to this module, so they can be read and reviewed as prose."""

from __future__ import annotations

from functools import cache
from pathlib import Path

PROMPT_DIR = Path(__file__).resolve().parent


@cache
def load(name: str) -> str:
    """The prompt file's text, read once per process. Raises `FileNotFoundError`."""
    return (PROMPT_DIR / name).read_text(encoding="utf-8").strip()
