from django.core.management.base import BaseCommand, CommandError

from justis.audit import Actor
from justis.faults import Mode, System, active_faults, fault_clear, fault_set, forget_cached_faults


class Command(BaseCommand):
    help = (
        "Drill an outage: make the simulator of an outside system fail. "
        "Every process (web, workers) sees the change within a second."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        set_parser = sub.add_parser("set", help="switch a fault on")
        set_parser.add_argument("system", choices=System.values)
        set_parser.add_argument("mode", choices=Mode.values)
        clear_parser = sub.add_parser("clear", help="switch a fault off")
        clear_parser.add_argument("system", choices=[*System.values, "all"])
        sub.add_parser("list", help="show the switches that are on")

    def handle(self, *args, action, **options):
        actor = Actor.system("manage.py fault")
        if action == "set":
            fault_set(system=options["system"], mode=options["mode"], actor=actor)
            self.stdout.write(f"{options['system']}: {options['mode']}")
        elif action == "clear":
            systems = System.values if options["system"] == "all" else [options["system"]]
            for system in systems:
                if fault_clear(system=system, actor=actor):
                    self.stdout.write(f"{system}: cleared")
                elif options["system"] != "all":
                    self.stdout.write(f"{system}: no fault was set")
        elif action == "list":
            forget_cached_faults()
            faults = active_faults()
            if not faults:
                self.stdout.write("no faults set")
            for system, mode in sorted(faults.items()):
                self.stdout.write(f"{system}: {mode}")
        else:  # pragma: no cover - argparse refuses other actions
            raise CommandError(action)
