"""Every CLI choice list comes from pathways.vocabulary (issue 8 item 1/2)."""

from __future__ import annotations

import click

from pathways import vocabulary
from pathways.cli import COMMANDS, cli

LISTS = {name: tuple(getattr(vocabulary, name)) for name in vocabulary.__all__
         if isinstance(getattr(vocabulary, name), tuple)}
# A choice list that is a vocabulary list with something before it ("id" sorts by id).
EXTENDED = {("metrics", "sort_by"): ("id", *vocabulary.METRIC_NAMES)}


def choices() -> list[tuple[str, str, tuple[str, ...]]]:
    ctx = click.Context(cli)
    found = []
    for name in sorted(COMMANDS):
        command = cli.get_command(ctx, name)
        assert command is not None
        for param in command.params:
            if isinstance(param.type, click.Choice):
                found.append((name, str(param.name), tuple(param.type.choices)))
    return found


def test_every_choice_list_is_a_vocabulary_list() -> None:
    found = choices()
    assert len(found) >= 20  # the walk found the options at all
    for command, option, values in found:
        expected = EXTENDED.get((command, option))
        if expected is not None:
            assert values == expected, (command, option)
        else:
            assert values in LISTS.values(), (command, option, values)


def test_the_framework_choice_is_everywhere_the_same() -> None:
    frameworks = {values for _, option, values in choices() if option == "framework"}
    assert frameworks == {vocabulary.FRAMEWORKS}
