"""The immutable values that flow through the pipeline, one module per stage that makes them:
sources (load), documents (validate), links (link), output (render and write).

Input: nothing (leaf modules). Output: frozen dataclasses; every stage returns one of these.
Importers name them from here (`from .model import Speech`).
"""

from __future__ import annotations

from .documents import (
    EXPORT_FORMATS,
    EXPORTS_UP_TO,
    Bilingual,
    CrossRef,
    Edition,
    Event,
    Language,
    Mark,
    Note,
    Page,
    Person,
    Section,
    Site,
    SourceInfo,
    Speech,
    Term,
    TranslationInfo,
    Unread,
)
from .links import BackLink, Linked, Occurrence, Suggestion, Target, Use
from .output import SEARCH_BUNDLE, OutputFile, Part, Rendered, UnitRecord
from .sources import Revision, SourceFile, Sources

__all__ = [
    "EXPORTS_UP_TO", "EXPORT_FORMATS", "SEARCH_BUNDLE", "BackLink", "Bilingual", "CrossRef", "Edition",
    "Event", "Language", "Linked", "Mark", "Note", "Occurrence", "OutputFile", "Page", "Part", "Person", "Rendered",
    "Revision", "Section", "Site", "SourceFile", "SourceInfo", "Sources", "Speech", "Suggestion", "Target",
    "Term", "TranslationInfo", "UnitRecord", "Unread", "Use",
]
