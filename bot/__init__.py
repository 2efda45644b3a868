"""localcheck answers whether an LLM workload should run locally or on a cloud API.

The core is pure and knows nothing of Slack:

    text ─▶ parse ─▶ Workload ─▶ check ─▶ Assessment ─▶ write ─▶ reply

`bot.knowledge` loads the data every answer cites; `bot.cli` and `bot.slack`
are thin adapters over the core.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("localcheck")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
