"""Where the shipped files are, whether the tracker runs from a checkout or an installed wheel.

In the repository the alembic scripts and reference data sit at the top (`migrations/`, `data/`);
the wheel copies them into the package as `tracker/_migrations` and `tracker/_data`.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]


def _bundled(installed_name: str, source_name: str) -> Path:
    installed = _PACKAGE / installed_name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / source_name


def migrations_dir() -> Path:
    """The alembic script folder (env.py and versions/)."""
    return _bundled("_migrations", "migrations")


def shipped_data_dir() -> Path:
    """The folder of shipped reference data (platforms.toml, risk.toml, ...)."""
    return _bundled("_data", "data")
