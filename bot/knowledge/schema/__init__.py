"""Defines what each file of `knowledge/` may hold, one module a kind of entry, and which schema reads which file.

Each file is a YAML list of entries (or, for defaults, a mapping). An entry is
validated on its own, so an error names the file, the entry and the field.
Cross-references between files are checked in `bot.knowledge.checks`.
"""

from __future__ import annotations

from bot.knowledge.schema.arguments import Argument, CitedSource
from bot.knowledge.schema.base import Listed
from bot.knowledge.schema.calibration import CalibrationPoint
from bot.knowledge.schema.currencies import Currency
from bot.knowledge.schema.hardware import Hardware, HostClass, Rental
from bot.knowledge.schema.models import ApiModel, OpenModel, Quantisation
from bot.knowledge.schema.providers import Provider

LIST_FILES: dict[str, type[Listed]] = {
    "sources.yaml": CitedSource,
    "arguments.yaml": Argument,
    "hardware.yaml": Hardware,
    "models.yaml": OpenModel,
    "quantisations.yaml": Quantisation,
    "calibration.yaml": CalibrationPoint,
    "api_models.yaml": ApiModel,
    "providers.yaml": Provider,
    "rentals.yaml": Rental,
    "hosts.yaml": HostClass,
    "currencies.yaml": Currency,
}
DEFAULTS_FILE = "defaults.yaml"
