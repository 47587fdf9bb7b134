"""The dated mode of `pathways plan` (issue 12 part 2): being written; see plan.py."""

from __future__ import annotations

from typing import Any

import click

from pathways.catalog import Catalog
from pathways.cli.common import CatalogSource


def run_dated_plan(source: CatalogSource, catalog: Catalog, options: dict[str, Any],
                   as_json: bool) -> None:
    raise click.UsageError("dated plans are not in this version of pathways yet")
