"""The clone these tests belong to: the committed files they check live here."""

from pathlib import Path

from cramplab.paths import Clone

CLONE = Clone(Path(__file__).resolve().parents[1])
