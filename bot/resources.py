"""Where the data folders are: inside an installed wheel, or at the top of a source tree."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The folder `knowledge` or `prompts`, wherever this copy of the package keeps it.

    A wheel carries them under `bot/_data/` (see pyproject.toml); a source
    checkout or an editable install finds them beside the package.
    """
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name
