"""Fuzz the catalog readers and the CLI with mutations of real files; report crashes.

Seeds are the demo catalog (JSON and CSV), the example change file, and, when
``../shared`` is present, the worked example, the CurricularAnalytics curricula and the
reproducers. Each input is a seed mutated a few times (bytes, lines, interesting tokens,
JSON values). A reader may only return a catalog or raise a ``PathwaysError``; the CLI
may only exit 0, 1 or 2 with one-line messages. Anything else — another exception, exit
70, a multi-line error, more than ``--timeout`` seconds — is a crash, saved to
``--save`` (default ``fuzz-crashes/``) for a reproducer.

    python scripts/fuzz.py --readers 20000 --cli 500 --seed 1

Prints inputs tried and crashes found (by kind), with CPU and wall time.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import random
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pathways.errors import PathwaysError  # noqa: E402
from pathways.safetext import bad_character  # noqa: E402

# Tokens that broke readers before, or might: huge and odd numbers, Unicode digits,
# control characters, separators, quotes, brackets, escapes.
TOKENS = [
    "1" * 4301, "9" * 40, "-" + "9" * 25, "1e400", "-1e400", "1e308", "1e-400", "NaN",
    "Infinity", "-Infinity", "-0", "0.5", "7.25", "1e30", "²", "١٢", "１２", "Ⅻ", "\x00",
    "\x1b[2J", "\x1b]0;x\x07", "\x07", "\x85", "\u202e", "\ud800", "\\ud800", "\\u0000",
    "\ufeff", "'", '"', '""', ",", ";", "|", ":", "\t", "\n", "\r", "\r\n", "{", "}", "[",
    "]", "{}", "[]", "null", "true", "false", '{"a":', "=1+1", "@SUM(A1)", "+64", "-x", "#",
    "#framework", "#meta,a,b", "#provider,x,y", "Curriculum", "Courses", "é", "ā", "😀",
    " " * 5, "\\", "/", "..", "%s", "{0}", "9999-99-99", "2027-02-30", "0000-01-01",
]
JSON_VALUES: list[Any] = [
    None, True, False, 0, -1, 1.5, 10**30, -(10**30), 1e308, "", "x", "\ud800", "\x00",
    "1" * 200, [], {}, [[]], [[["deep"]]], {"5": 10**25}, {"²": 1}, {"1" * 50: 1},
    ["online", "nowhere"], [["A", "B"], []], "2027-13-40",
]


def seeds() -> list[Path]:
    """The real files every mutation starts from."""
    files = [ROOT / "graphs" / "demo.json", ROOT / "graphs" / "demo.csv",
             *sorted((ROOT / "graphs" / "examples").glob("*.json"))]
    if SHARED.is_dir():
        files.append(SHARED / "design" / "worked-example.json")
        files += sorted((SHARED / "data" / "curricula").rglob("*.csv"))
        files += sorted((SHARED / "data" / "repro").glob("*.json"))
        files += sorted((SHARED / "data" / "repro").glob("*.csv"))
    return [f for f in files if f.is_file()]


# -- mutations ------------------------------------------------------------------------------

def _json_mutation(text: str, rng: random.Random) -> str | None:
    """Replace, delete or duplicate one value somewhere in a JSON document."""
    try:
        doc = json.loads(text)
    except ValueError:
        return None
    nodes: list[tuple[Any, Any]] = []

    def walk(node: Any) -> None:
        if len(nodes) > 5000:
            return
        if isinstance(node, dict):
            for key in list(node):
                nodes.append((node, key))
                walk(node[key])
        elif isinstance(node, list):
            for i in range(len(node)):
                nodes.append((node, i))
                walk(node[i])

    walk(doc)
    if not nodes:
        return None
    parent, key = rng.choice(nodes)
    action = rng.random()
    if action < 0.6:
        parent[key] = rng.choice(JSON_VALUES)
    elif action < 0.8:
        if isinstance(parent, dict):
            del parent[key]
        else:
            parent.pop(key)
    elif isinstance(parent, dict):
        parent[rng.choice(TOKENS[:40]) if rng.random() < 0.5 else f"{key}x"] = parent[key]
    else:
        parent.insert(key, parent[key])
    return json.dumps(doc, ensure_ascii=rng.random() < 0.5)


def _line_mutation(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    action = rng.random()
    if action < 0.3:
        lines.insert(i, lines[rng.randrange(len(lines))])
    elif action < 0.5 and len(lines) > 1:
        del lines[i]
    elif action < 0.7:
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    else:  # change one cell of a CSV row
        cells = lines[i].split(",")
        cells[rng.randrange(len(cells))] = rng.choice(TOKENS)
        lines[i] = ",".join(cells)
    return "\n".join(lines)


def _char_mutation(text: str, rng: random.Random) -> str:
    if not text:
        return rng.choice(TOKENS)
    i = rng.randrange(len(text))
    action = rng.random()
    if action < 0.4:
        return text[:i] + rng.choice(TOKENS) + text[i:]
    if action < 0.6:
        return text[:i] + text[i + rng.randint(1, 20):]
    if action < 0.8:
        return text[:i] + chr(rng.choice([0, 7, 9, 10, 13, 27, 0x85, 0xD800, 0x202E,
                                          rng.randrange(0x20, 0x3000)])) + text[i + 1:]
    j = rng.randrange(len(text))
    return text[:i] + text[j: j + rng.randint(1, 200)] + text[i:]


def mutate(text: str, rng: random.Random, rounds: int | None = None) -> str:
    """``text`` changed 1–4 times by JSON-, line- or character-level mutations."""
    for _ in range(rounds or rng.randint(1, 4)):
        kind = rng.random()
        changed = _json_mutation(text, rng) if kind < 0.35 else None
        if changed is not None:
            text = changed
        elif kind < 0.65:
            text = _line_mutation(text, rng)
        else:
            text = _char_mutation(text, rng)
    return text


# -- running ---------------------------------------------------------------------------------

class Hang(Exception):  # noqa: N818 - a finding
    """An input that took longer than the time limit."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def expire(signum: int, frame: Any) -> None:
        raise Hang(f"over {seconds:g} s")

    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def check_readers(text: str, name: str) -> None:
    """Every reader on ``text``; returns when each gives a catalog or a PathwaysError.
    A catalog read is validated, and a valid one written as JSON and CSV and read back."""
    from pathways.formats import dump_catalog, parse_catalog
    from pathways.rules import validate

    for fmt in ("json", "csv", "curricular"):
        try:
            catalog = parse_catalog(text, fmt=fmt, source=name)
        except PathwaysError as exc:
            _one_line(str(exc))
            continue
        problems = validate(catalog)
        for p in problems:
            _one_line(str(p))
        if any(p.severity == "error" for p in problems):
            continue
        for out in ("json", "csv"):
            try:
                written = dump_catalog(catalog, out)
            except PathwaysError as exc:
                _one_line(str(exc))
                continue
            again = parse_catalog(written, fmt=out, source=name)
            if _essence(again) != _essence(catalog):
                raise AssertionError(f"{out} round trip changed the credentials")


def _essence(catalog: Any) -> list[tuple[Any, ...]]:
    """What a round trip must keep (CSV trims the spaces around text, by design)."""
    return sorted((c.id.strip(), c.title.strip(), c.kind, c.credits, c.level, c.fee, c.hours,
                   c.requires, c.level_profile) for c in catalog.credentials)


def _one_line(message: str) -> None:
    if "\n" in message or "\r" in message:
        raise AssertionError(f"multi-line message: {message[:200]!r}")
    if len(message) > 20_000:
        raise AssertionError(f"message of {len(message)} characters")


CLI_COMMANDS = [["validate"], ["list"], ["list", "--search", "ā"], ["stats"],
                ["export", "--format", "csv"], ["export", "--format", "json"],
                ["show", "DIP-ITS5"], ["route", "--to", "DIP-ITS5"], ["metrics", "--top", "3"]]


def check_cli(text: str, suffix: str, args: list[str], folder: Path) -> int:
    """``pathways ARGS --catalog FILE`` in this process: exit 0, 1 or 2, no traceback or
    internal error, no control character printed."""
    from pathways.cli import main

    path = folder / f"input{suffix}"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*args, "--catalog", str(path)])
    if code not in (0, 1, 2):
        raise AssertionError(f"exit {code}: {err.getvalue()[-300:]!r}")
    for line in (out.getvalue() + err.getvalue()).splitlines():
        if line.startswith(("Traceback", "  File ")) or "internal error" in line:
            raise AssertionError(f"a crash shown: {line[:200]!r}")
        if bad_character(line.replace("\t", " ")):
            raise AssertionError(f"a control character printed: {line[:200]!r}")
    return code


def campaign(readers: int, cli: int, seed: int, timeout: float, save: Path,
             report: Callable[[str], None] = print) -> Counter[str]:
    """Run the campaign; return crash counts by kind (empty: nothing found)."""
    rng = random.Random(seed)
    files = seeds()
    texts = [(f, f.read_bytes().decode("utf-8-sig")) for f in files]
    crashes: Counter[str] = Counter()
    exits: Counter[int] = Counter()

    def record(kind: str, text: str, suffix: str, detail: str) -> None:
        crashes[kind] += 1
        save.mkdir(parents=True, exist_ok=True)
        n = sum(crashes.values())
        target = save / f"crash-{n}{suffix}"
        target.write_bytes(text.encode("utf-8", "surrogatepass"))
        (save / f"crash-{n}.txt").write_text(detail, encoding="utf-8")

    for i in range(readers):
        seed_file, seed_text = rng.choice(texts)
        text = mutate(seed_text, rng)
        try:
            with time_limit(timeout):
                check_readers(text, f"fuzz{seed_file.suffix}")
        except Exception as exc:  # noqa: BLE001 - every other exception is a finding
            kind = f"readers {type(exc).__name__}: {str(exc)[:80]}"
            record(kind, text, seed_file.suffix, traceback.format_exc())
        if (i + 1) % 5000 == 0:
            report(f"  readers: {i + 1} inputs, {sum(crashes.values())} crashes")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for i in range(cli):
            seed_file, seed_text = rng.choice(texts)
            # One change half the time, so that more inputs pass validation and reach
            # the commands' own work (routes, metrics, tables) instead of the readers.
            text = mutate(seed_text, rng, rounds=1 if rng.random() < 0.5 else None)
            args = rng.choice(CLI_COMMANDS)
            try:
                with time_limit(timeout * 3):
                    exits[check_cli(text, seed_file.suffix, args, folder)] += 1
            except Exception as exc:  # noqa: BLE001
                kind = f"cli {' '.join(args)} {type(exc).__name__}: {str(exc)[:80]}"
                record(kind, text, seed_file.suffix, f"{args}\n{traceback.format_exc()}")
            if (i + 1) % 100 == 0:
                report(f"  cli: {i + 1} inputs, {sum(crashes.values())} crashes")
    if cli:
        codes = ", ".join(f"{code}: {n}" for code, n in sorted(exits.items()))
        report(f"  cli exit codes: {codes}")
    return crashes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=20_000, help="inputs for the readers")
    parser.add_argument("--cli", type=int, default=500, help="inputs for the CLI")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=10.0,
                        help="seconds an input may take in the readers (x3 in the CLI)")
    parser.add_argument("--save", type=Path, default=Path("fuzz-crashes"))
    args = parser.parse_args()
    wall, cpu = time.perf_counter(), time.process_time()
    print(f"seeds: {len(seeds())} files; seed {args.seed}")
    crashes = campaign(args.readers, args.cli, args.seed, args.timeout, args.save)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"inputs tried: {args.readers} through the readers, {args.cli} through the CLI")
    print(f"crashes found: {sum(crashes.values())} ({len(crashes)} kinds)"
          + (f"; saved in {args.save}/" if crashes else ""))
    for kind, n in crashes.most_common():
        print(f"  {n:5}  {kind}")
    print(f"time: {wall:.1f} s wall, {cpu:.1f} s CPU")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
