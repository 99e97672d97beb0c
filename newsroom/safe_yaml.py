"""YAML that comes from outside (article front matter, review files), read with limits.

`SafeLoader` builds plain data only, but it still follows anchors and aliases, and a few
hundred bytes of nested aliases ("billion laughs") expand into billions of items for whoever
walks the result. Our files never need them, so `Loader` refuses any anchor or alias outright,
and nesting deeper than `MAX_DEPTH`, with an ordinary YAML error that names the line.
"""

import yaml

MAX_DEPTH = 50


class Loader(yaml.SafeLoader):
    """`yaml.SafeLoader` without anchors (&name) and aliases (*name), and with bounded nesting."""

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


def load(text, loader=Loader):
    """The data of one YAML document, or yaml.YAMLError."""
    return yaml.load(text, Loader=loader)  # noqa: S506 - a SafeLoader subclass
