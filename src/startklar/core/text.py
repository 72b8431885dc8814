"""Bilingual content text (pure Python): question banks and catalogues carry German and English."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    de: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language.startswith("en") else self.de
