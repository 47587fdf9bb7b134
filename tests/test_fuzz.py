"""Fuzzing in the suite: mutations of the real files through every reader and the CLI.

Only clean errors (a PathwaysError, exit 1 or 2 with one-line messages), never another
exception, exit 70 or a hang. `scripts/fuzz.py` runs the long campaign; this is its
quick part (a few seconds), the longer runs marked slow.
"""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def _load_fuzz() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pathways_fuzz", ROOT / "scripts" / "fuzz.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["pathways_fuzz"] = module
    spec.loader.exec_module(module)
    return module


fuzz = _load_fuzz()
SEEDS = [(p, p.read_bytes().decode("utf-8-sig")) for p in fuzz.seeds()]
QUICK = settings(max_examples=60, deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.too_slow])


def test_the_seeds_are_the_real_files() -> None:
    names = {p.name for p, _ in SEEDS}
    assert {"demo.json", "demo.csv"} <= names


@QUICK
@given(st.sampled_from(range(len(SEEDS))), st.randoms(use_true_random=False))
def test_mutated_files_through_every_reader(index: int, rng: random.Random) -> None:
    path, text = SEEDS[index]
    mutated = fuzz.mutate(text, rng)
    with fuzz.time_limit(10):
        fuzz.check_readers(mutated, f"fuzz{path.suffix}")


@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(range(len(SEEDS))), st.randoms(use_true_random=False),
       st.sampled_from([["validate"], ["list"], ["export", "--format", "csv"], ["stats"]]))
def test_mutated_files_through_the_cli(tmp_path_factory: pytest.TempPathFactory, index: int,
                                       rng: random.Random, args: list[str]) -> None:
    path, text = SEEDS[index]
    folder = tmp_path_factory.mktemp("fuzz")
    with fuzz.time_limit(30):
        fuzz.check_cli(fuzz.mutate(text, rng), path.suffix, args, folder)


def test_the_checks_catch_what_they_should(tmp_path: Path) -> None:
    """The fuzz checks fail on a crash, a multi-line message and a hang (no vacuous pass)."""
    with pytest.raises(AssertionError, match="multi-line"):
        fuzz._one_line("a\nb")
    with pytest.raises(fuzz.Hang), fuzz.time_limit(0.05):
        while True:
            pass


@pytest.mark.slow
def test_a_longer_campaign(tmp_path: Path) -> None:
    crashes = fuzz.campaign(readers=1500, cli=60, seed=7, timeout=10, save=tmp_path,
                            report=lambda line: None)
    assert not crashes, crashes
