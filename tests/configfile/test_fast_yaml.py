"""YAML parsed by libyaml gives the pure-Python parser's values and, on a broken document, its error."""

from __future__ import annotations

import pytest
import yaml

from site_tools import fast_yaml

DOCUMENT = """\
file: curve.py
caption: "A parabola: {value}`lowest`"
vary: {lr: [0.1, 0.01], depth: [2, 4]}
date: 2024-02-29
stdout: true
tags: [a, b]
"""


class Recording(yaml.SafeLoader):
    """A loader with a constructor of its own, which the libyaml copy must keep."""


Recording.add_constructor("!twice", lambda loader, node: loader.construct_scalar(node) * 2)
RecordingOnLibYAML = fast_yaml.on_libyaml(Recording)


def test_libyaml_is_what_parses_and_the_values_are_the_pure_parsers() -> None:
    assert RecordingOnLibYAML.__mro__[1] is yaml.CSafeLoader  # this PyYAML has libyaml: it is used
    assert fast_yaml.load(DOCUMENT) == yaml.load(DOCUMENT, Loader=yaml.SafeLoader)
    text = "name: !twice ab\n"
    assert fast_yaml.load(text, Recording, RecordingOnLibYAML) == {"name": "abab"}


@pytest.mark.parametrize("broken", ["a: [1, 2\nb: 3\n", "key: value\n\tother: 1\n", "a: b: c\n"])
def test_a_broken_document_raises_the_pure_parsers_error(broken: str) -> None:
    with pytest.raises(yaml.YAMLError) as pure:
        yaml.load(broken, Loader=yaml.SafeLoader)
    with pytest.raises(yaml.YAMLError) as ours:
        fast_yaml.load(broken)
    assert str(ours.value) == str(pure.value)
