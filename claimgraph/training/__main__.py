"""``python -m claimgraph.training NAME [options]``: train one model (see README.md here)."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import claimgraph.training as training


def available() -> list[str]:
    """Modules of this package that define ``main`` (the trainable models)."""
    names = []
    for info in pkgutil.iter_modules(training.__path__):
        if info.name.startswith("_") or info.ispkg:
            continue
        if hasattr(importlib.import_module(f"claimgraph.training.{info.name}"), "main"):
            names.append(info.name)
    return sorted(names)


def run(argv: list[str]) -> int:
    """Dispatch to ``claimgraph.training.<NAME>.main(rest)``; list the models on a bad name."""
    choices = available()
    if not argv or argv[0] not in choices:
        given = f"No model {argv[0]!r}. " if argv and not argv[0].startswith("-") else ""
        print(f"{given}Usage: python -m claimgraph.training NAME [options]. Available: {', '.join(choices)}",
              file=sys.stderr)
        return 2
    module = importlib.import_module(f"claimgraph.training.{argv[0]}")
    result = module.main(argv[1:])
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
