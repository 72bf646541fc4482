"""Self-checks for notebook 05_grading_evidence (the notebook is being written)."""

from __future__ import annotations

__all__: list[str] = []
