"""Skills as a target (semantics.md section 2): the cheapest set of credentials whose
skills, with the held credentials' skills, cover every skill asked for.

The query is a route to a stand-in target that has no credits and no cost and whose entry
requirements are one clause per skill still missing: "any credential teaching it". Every
rule of a route then holds as it is (entry requirements of what is taken, stacking and
counting once, caps, programme rules, prior learning), and the optimum and tie-break are
the engine's. The stand-in is left out of the route shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from pathways.catalog import Catalog, Credential
from pathways.errors import NoRouteError, RouteError
from pathways.filters import fold

from .engine import find_route
from .model import Constraints, Route, Step
from .solver import Search

__all__ = ["SKILLS_PREFIX", "find_skills_route", "parse_skills"]

#: The id of the stand-in target begins with this (followed by the skills, comma-separated).
SKILLS_PREFIX = "skills:"


def parse_skills(text: str | Iterable[str]) -> tuple[str, ...]:
    """``"a, b,,a"`` (or a list of such) -> ("a", "b"): stripped, once each, in order."""
    parts = [text] if isinstance(text, str) else list(text)
    out = [s.strip() for part in parts for s in part.split(",")]
    return tuple(dict.fromkeys(s for s in out if s))


def find_skills_route(catalog: Catalog, skills: Iterable[str], *, held: Iterable[str] = (),
                      by: str = "fee", constraints: Constraints | None = None,
                      rpl: Mapping[str, float] | None = None, time_limit: float | None = None,
                      search: Search | None = None) -> Route:
    """The exact cheapest set of credentials covering ``skills`` (with the held ones').

    Skills match forgiving case and macrons ("Te reo Maori" finds "te reo Māori"). Raises
    :class:`RouteError` for no skill or an unknown held id, :class:`NoRouteError` when a
    skill is taught nowhere or no route meets the constraints; ``rpl``, ``time_limit``
    and ``search`` as for :func:`~pathways.routes.find_route`.
    """
    wanted = parse_skills(list(skills))
    if not wanted:
        raise RouteError("give at least one skill, e.g. cloud-computing")
    held = tuple(held)
    index = catalog.index()
    have = {fold(s) for h in held if h in index for s in index[h].skills}
    missing = [s for s in wanted if fold(s) not in have]
    if not missing:
        raise RouteError(f"the held credentials already cover {', '.join(wanted)}; there is "
                         "nothing to achieve")
    teaching: dict[str, list[str]] = {fold(s): [] for s in missing}
    for c in catalog.credentials:
        for s in c.skills:
            ids = teaching.get(fold(s))
            if ids is not None:
                ids.append(c.id)
    for s in missing:
        if not teaching[fold(s)]:
            raise NoRouteError(f"no credential in the catalog teaches the skill '{s}'; "
                               f"{_known_hint(catalog, s)}")
    target = SKILLS_PREFIX + ",".join(wanted)
    while target in index:  # an id of the catalog's own: never in practice
        target += "_"
    stand_in = Credential(
        id=target, title=f"skills {', '.join(wanted)}", kind="course", credits=0, fee=0.0,
        hours=0.0, requires=tuple(tuple(sorted(set(teaching[fold(s)]))) for s in missing))
    extended = replace(catalog, credentials=[*catalog.credentials, stand_in],
                       meta=dict(catalog.meta))
    try:
        route = find_route(extended, target, held=held, by=by, constraints=constraints,
                           rpl=rpl, time_limit=time_limit, search=search)
    except NoRouteError as e:
        raise NoRouteError(str(e).replace(target, f"the skills {', '.join(wanted)}"),
                           e.blockers) from None
    return _without_stand_in(route, target, missing, index)


def _without_stand_in(route: Route, target: str, missing: list[str],
                      index: Mapping[str, Credential]) -> Route:
    """The route without the stand-in step; a step taken for a skill says which."""
    steps: list[Step] = []
    for s in route.steps:
        if s.id == target:
            continue
        if s.reason == f"entry requirement of {target}":
            own = {fold(x) for x in index[s.id].skills}
            taught = [m for m in missing if fold(m) in own]
            s = replace(s, reason=f"teaches {', '.join(taught)}")
        steps.append(s)
    return replace(route, steps=tuple(steps))


def _known_hint(catalog: Catalog, skill: str) -> str:
    """A did-you-mean among the catalog's skills, or how to list them."""
    import difflib

    known = sorted({s for c in catalog.credentials for s in c.skills})
    close = difflib.get_close_matches(skill, known, n=3, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(f"'{x}'" for x in close) + "?"
    return "see each credential's skills (Credential.skills)"
