from django.core.management.base import BaseCommand

from justis.breaker import SYSTEMS, breaker_reset, breaker_state


class Command(BaseCommand):
    help = (
        "Show the circuit breaker of each outside system (closed, open, half_open), "
        "or close one by hand after a repair."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action")
        sub.add_parser("list", help="show every breaker (the default)")
        reset_parser = sub.add_parser("reset", help="close a breaker now instead of waiting for its probe")
        reset_parser.add_argument("system", choices=[*SYSTEMS, "all"])

    def handle(self, *args, action=None, **options):
        if action == "reset":
            breaker_reset(None if options["system"] == "all" else options["system"])
            self.stdout.write(f"{options['system']}: closed")
            return
        for system in SYSTEMS:
            state = breaker_state(system)
            line = f"{system}: {state['state']}, {state['failures']} consecutive failures"
            if state["state"] == "open":
                line += f", next probe in {state['retry_in']:.0f} s"
            self.stdout.write(line)
