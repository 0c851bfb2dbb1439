"""Look-ups remembered for the length of one batch of work, and only then.

Reference data (rules, catalogue, decision periods) may change at any time through the functional
administration, so nothing is cached across requests or tasks. Inside ``batch_memo()`` a function
decorated with ``@memo_in_batch`` answers the same arguments from memory: a batch of 500 assessments
reads the rules of a day once instead of 500 times. Outside a batch the function runs as it is.
"""

from __future__ import annotations

import functools
from contextlib import contextmanager
from contextvars import ContextVar

_memo: ContextVar[dict | None] = ContextVar("batch_memo", default=None)


@contextmanager
def batch_memo():
    """Remember ``@memo_in_batch`` look-ups until the block ends (nested blocks share the outer memory)."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def _frozen(value):
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    return value


def memo_in_batch(function):
    """Answer repeated calls with the same (hashable) arguments from the batch's memory, if any."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        memory = _memo.get()
        if memory is None:
            return function(*args, **kwargs)
        key = (function.__module__, function.__qualname__, _frozen(args), _frozen(sorted(kwargs.items())))
        try:
            return memory[key]
        except KeyError:
            result = memory[key] = function(*args, **kwargs)
            return result

    return wrapper
