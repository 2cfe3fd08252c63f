"""Hints from the shop server: ClickPesa's webhooks, relayed to the till as Server-Sent Events.

A hint only says "ask about this reference now"; the till's status query decides (see
`pos_app.till.charge.Till.hint`). No Qt here: the stream runs on a thread of its own and
calls back from it; the window carries the calls to the GUI thread by signal.
"""

from pos_app.hints.stream import Hint, HintStream, parse_hint

__all__ = ["Hint", "HintStream", "parse_hint"]
