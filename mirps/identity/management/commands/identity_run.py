from django.core.management.base import BaseCommand, CommandParser

from mirps.identity.batch import run_execute
from mirps.identity.models import Run


class Command(BaseCommand):
    help = "Run batch identity resolution: a queued run by id, or a new one (with --new)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("run_id", nargs="?", type=int)
        parser.add_argument("--new", action="store_true", help="create and run a new run now")
        parser.add_argument("--no-train", action="store_true", help="keep the model in force")

    def handle(self, *args: object, **opts: object) -> None:
        if opts["new"]:
            run = Run.objects.create(train=not opts["no_train"])
        else:
            run = Run.objects.get(pk=opts["run_id"])
        run = run_execute(run.pk)
        self.stdout.write(
            f"run {run.pk}: {run.status} · {run.records} records · {run.pairs} pairs · {run.linked} links · "
            f"{run.moved} moved · {run.review_items} to review · {run.timings}"
        )
