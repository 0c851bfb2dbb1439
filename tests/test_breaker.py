"""The circuit breaker per outside system (justis/breaker.py): closed, open, half-open, closed again."""

import time

from django.test import override_settings

import pytest

from justis.adapters import OutsideSystemError, OutsideSystemUnavailable
from justis.breaker import CircuitOpen, breaker_call, breaker_reset, breaker_state, guarded


class FlakySystem:
    """Counts the calls that reached it; fails while ``down``."""

    def __init__(self):
        self.calls = 0
        self.down = True

    def ask(self, value):
        self.calls += 1
        if self.down:
            raise OutsideSystemError("jds", "HTTP 503")
        return value * 2


@pytest.fixture
def system():
    breaker_reset("jds")
    yield FlakySystem()
    breaker_reset("jds")


FAST = override_settings(BREAKER_FAILURE_THRESHOLD=3, BREAKER_COOLDOWN_SECONDS=0.3)


@FAST
def test_opens_after_the_threshold_and_then_fails_fast_without_calling(system):
    for _ in range(3):
        with pytest.raises(OutsideSystemError):
            breaker_call("jds", system.ask, 1)
    assert breaker_state("jds")["state"] == "open"
    for _ in range(10):
        with pytest.raises(CircuitOpen) as refused:
            breaker_call("jds", system.ask, 1)
        # Callers catch the adapters' usual exception: waiting work needs nothing new.
        assert isinstance(refused.value, OutsideSystemUnavailable)
        assert refused.value.system == "jds"
    assert system.calls == 3


@FAST
def test_a_success_before_the_threshold_resets_the_count(system):
    for _ in range(2):
        with pytest.raises(OutsideSystemError):
            breaker_call("jds", system.ask, 1)
    system.down = False
    assert breaker_call("jds", system.ask, 2) == 4
    system.down = True
    for _ in range(2):
        with pytest.raises(OutsideSystemError):
            breaker_call("jds", system.ask, 1)
    assert breaker_state("jds") == {"system": "jds", "state": "closed", "failures": 2, "retry_in": 0.0}


@FAST
def test_after_the_cool_down_one_probe_goes_through_and_a_failure_opens_it_again(system):
    for _ in range(3):
        with pytest.raises(OutsideSystemError):
            breaker_call("jds", system.ask, 1)
    time.sleep(0.35)
    assert breaker_state("jds")["state"] == "half_open"
    with pytest.raises(OutsideSystemError):  # the probe reached the system and failed
        breaker_call("jds", system.ask, 1)
    assert system.calls == 4
    assert breaker_state("jds")["state"] == "open"
    with pytest.raises(CircuitOpen):
        breaker_call("jds", system.ask, 1)
    assert system.calls == 4


@FAST
def test_a_successful_probe_closes_it(system):
    for _ in range(3):
        with pytest.raises(OutsideSystemError):
            breaker_call("jds", system.ask, 1)
    system.down = False
    time.sleep(0.35)
    assert breaker_call("jds", system.ask, 5) == 10
    assert breaker_state("jds")["state"] == "closed"
    assert [breaker_call("jds", system.ask, n) for n in range(3)] == [0, 2, 4]


@override_settings(BREAKER_FAILURE_THRESHOLD=1, BREAKER_COOLDOWN_SECONDS=5)
def test_only_one_caller_probes_while_half_open(system):
    with pytest.raises(OutsideSystemError):
        breaker_call("jds", system.ask, 1)
    # The cool-down has passed for everyone: force it by moving open_until into the past.
    from justis.breaker import _key, _redis

    _redis().hset(_key("jds"), "open_until", time.time() - 1)
    system.down = False

    def slow_probe(value):
        # While the probe is out, a second caller (another process) is refused.
        with pytest.raises(CircuitOpen):
            breaker_call("jds", system.ask, value)
        return system.ask(value)

    assert breaker_call("jds", slow_probe, 3) == 6
    assert system.calls == 2
    assert breaker_state("jds")["state"] == "closed"


@FAST
def test_other_exceptions_are_not_counted(system):
    def broken(_):
        raise ValueError("a bug of ours, not an outage")

    for _ in range(5):
        with pytest.raises(ValueError, match="a bug of ours"):
            breaker_call("jds", broken, 1)
    assert breaker_state("jds")["state"] == "closed"


@FAST
def test_systems_have_their_own_breaker(system):
    for _ in range(3):
        with pytest.raises(OutsideSystemError):
            breaker_call("jds", system.ask, 1)
    assert breaker_state("jds")["state"] == "open"
    assert breaker_state("brp")["state"] == "closed"
    assert breaker_call("brp", lambda: "answer") == "answer"


@FAST
def test_redis_down_fails_open(system):
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        for _ in range(6):
            with pytest.raises(OutsideSystemError):
                breaker_call("jds", system.ask, 1)
        assert system.calls == 6  # every call went through: no breaker is better than no service
        system.down = False
        assert breaker_call("jds", system.ask, 1) == 2
        assert breaker_state("jds")["state"].startswith("unknown")


@FAST
def test_guarded_client_puts_only_the_named_methods_behind_the_breaker(system):
    client = guarded("jds", system, methods=("ask",))
    for _ in range(3):
        with pytest.raises(OutsideSystemError):
            client.ask(1)
    with pytest.raises(CircuitOpen):
        client.ask(1)
    assert client.calls == 3  # plain attributes are the client's own
    assert client.wrapped is system


@FAST
def test_the_breaker_command_lists_and_resets(system, capsys):
    from django.core.management import call_command

    for _ in range(3):
        with pytest.raises(OutsideSystemError):
            breaker_call("jds", system.ask, 1)
    call_command("breaker")
    out = capsys.readouterr().out
    assert "jds: open, 3 consecutive failures, next probe in" in out
    assert "brp: closed, 0 consecutive failures" in out
    call_command("breaker", "reset", "jds")
    assert breaker_state("jds")["state"] == "closed"
