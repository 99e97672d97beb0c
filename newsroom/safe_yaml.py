"""YAML that comes from outside (article front matter, review files), read with limits.

`SafeLoader` builds plain data only, but it still follows anchors and aliases, and a few
hundred bytes of nested aliases ("billion laughs") expand into billions of items for whoever
walks the result. Our files never need them, so `Loader` refuses any anchor or alias outright,
and nesting deeper than `MAX_DEPTH`, with an ordinary YAML error that names the line.
"""

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

MAX_DEPTH = 50


class _Guarded:
    """The composer's check: no anchors (&name) and aliases (*name), bounded nesting."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.composer.ComposerError(
                None,
                None,
                "YAML anchors and aliases (&name, *name) are not allowed",
                event.start_mark,
            )
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"the data nests deeper than {MAX_DEPTH} levels",
                    event.start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class PureLoader(_Guarded, yaml.SafeLoader):
    """`yaml.SafeLoader` without anchors and aliases, and with bounded nesting."""


if yaml.__with_libyaml__:

    class Loader(_Guarded, Composer, yaml.cyaml.CParser, SafeConstructor, Resolver):
        """PureLoader's rules with libyaml's scanner and parser, about eight times faster on
        the desk's front matter and review files (`yaml.CSafeLoader` composes in C, where the
        check above cannot reach; here the events come from C and are composed in Python)."""

        def __init__(self, stream):
            yaml.cyaml.CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

else:  # a PyYAML built without libyaml
    Loader = PureLoader


def load(text, loader=Loader):
    """The data of one YAML document, or yaml.YAMLError."""
    return yaml.load(text, Loader=loader)  # noqa: S506 - a SafeLoader subclass
