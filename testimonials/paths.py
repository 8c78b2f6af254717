"""Where the project's files are, independent of the working directory."""

from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_ROOT.parent
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
FACILITIES_CSV = PACKAGE_ROOT / "demo" / "facilities.csv"
