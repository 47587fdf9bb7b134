"""Shared fixtures: paths to the repo's demo catalog and to ../shared (skipped where absent),
the hypothesis profiles and the ``slow`` marker's use.

Hypothesis profiles (``HYPOTHESIS_PROFILE``, default ``ci``): every property states its
example count as ``examples(N)``; the profile scales it — ``ci`` runs half of N (at least
:data:`MIN_EXAMPLES`) so that the whole suite takes a few minutes on two cores,
``thorough`` ten times N for a long run (``scripts/thorough_tests.sh``), ``full`` N itself.
Long property suites carry ``@pytest.mark.slow``: ``pytest -m "not slow"`` is the edit loop.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEMO_JSON = ROOT / "graphs" / "demo.json"
DEMO_CSV = ROOT / "graphs" / "demo.csv"

# profile -> factor applied to each property's own example count
PROFILE_SCALES = {"ci": 0.5, "full": 1.0, "thorough": 10.0}
MIN_EXAMPLES = 20  # enough for a property to find a wrong answer on small generated input

for _name in PROFILE_SCALES:
    settings.register_profile(
        _name, deadline=None, print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
if PROFILE not in PROFILE_SCALES:
    raise pytest.UsageError(
        f"HYPOTHESIS_PROFILE={PROFILE!r}: not a profile; use one of "
        f"{', '.join(PROFILE_SCALES)}")
settings.load_profile(PROFILE)


def examples(n: int) -> int:
    """The example count of a property that asks for ``n`` under the active profile."""
    return max(min(n, MIN_EXAMPLES), round(n * PROFILE_SCALES[PROFILE]))


@pytest.fixture
def shared_dir() -> Path:
    """../shared beside the checkout; tests that read it skip where it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present beside this checkout")
    return SHARED


@pytest.fixture
def worked_example_path(shared_dir: Path) -> Path:
    path = shared_dir / "design" / "worked-example.json"
    if not path.is_file():
        pytest.skip("worked-example.json is not in ../shared/design")
    return path


@pytest.fixture
def curricula_dir(shared_dir: Path) -> Path:
    path = shared_dir / "data" / "curricula"
    if not path.is_dir():
        pytest.skip("../shared/data/curricula is absent")
    return path
