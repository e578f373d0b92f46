"""`manage.py demo`: demo users, three years of synthetic arrivals, a few stories to try."""

from __future__ import annotations

import random
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from mirps.accounts.models import Role
from mirps.core.access import Actor
from mirps.demo.generator import DEFAULT_SEED, Generator, InBackground
from mirps.demo.loader import Loader, service_cutoff
from mirps.demo.stories import STORY_DNIS, stories_create
from mirps.demo.users import DEMO_USERS, demo_users_ensure, users_table
from mirps.registration.models import Arrival

# Measured on the 2-core machine with SQLite: ~30,000 arrivals load in well under a minute.
DEFAULT_SIZE = 30_000
# The last days go through `arrival_register` one by one, like registrations at the counter.
DEFAULT_SERVICE_DAYS = 3


class Command(BaseCommand):
    help = "Create the demo users and three years of synthetic arrivals, then list the demo users."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="do nothing (but list the users) if arrivals exist")
        parser.add_argument("--size", type=int, default=DEFAULT_SIZE, help=f"arrivals to make (default {DEFAULT_SIZE:,})")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (same seed, same data)")
        parser.add_argument("--months", type=int, default=36, help="months of data, ending this month")
        parser.add_argument(
            "--service-days", type=int, default=DEFAULT_SERVICE_DAYS,
            help="register the arrivals of the last N days through the registration service (0: bulk only)",
        )
        parser.add_argument("--no-stories", action="store_true", help="leave out the hand-made cases")

    def handle(self, *args: Any, **opts: Any) -> None:
        users = demo_users_ensure()
        if Arrival.objects.exists():
            if not opts["if_empty"]:
                raise CommandError(
                    "The database has arrivals already. Use a new database (e.g. DATABASE_URL=sqlite:////tmp/x.sqlite3) "
                    "or --if-empty to keep the data."
                )
            self.stdout.write("Arrivals exist already: no data generated.")
        else:
            self._generate(users, opts)
        self._plan_and_cooperation(users, opts)
        self.stdout.write("\nDemo users (sign in at http://127.0.0.1:8000/):\n")
        self.stdout.write(users_table(users))

    def _generate(self, users: dict[str, Any], opts: dict[str, Any]) -> None:
        if opts["size"] < 0:
            raise CommandError("--size must be 0 or more")
        now = timezone.now()
        registrars = {d.site: Actor.of(users[d.username]) for d in DEMO_USERS if d.role == Role.REGISTRAR}
        protection = {d.institution: Actor.of(users[d.username]) for d in DEMO_USERS if d.role == Role.PROTECTION_OFFICER}
        generator = Generator(size=opts["size"], seed=opts["seed"], now=now, months=opts["months"], reserved_dnis=set(STORY_DNIS))
        loader = Loader(registrars=registrars, protection=protection, now=now, seed=opts["seed"], progress=self._progress)
        started = time.perf_counter()
        plans = InBackground(generator)
        report = loader.load(plans, service_from=service_cutoff(now, opts["service_days"]))
        self.stdout.write(
            f"Generated {report.arrivals:,} arrivals of {plans.next_true_id - 1:,} people "
            f"on {report.persons:,} person records ({report.via_service:,} through the registration service) "
            f"in {time.perf_counter() - started:.1f} s."
        )
        if not opts["no_stories"]:
            stories = stories_create(registrars=registrars, now=now, first_true_id=plans.next_true_id)
            self.stdout.write("\nStories to try:")
            for s in stories:
                self.stdout.write(f"  - {s.title}: {s.hint}")
        self._resolve(users)

    def _resolve(self, users: dict[str, Any]) -> None:
        """A first batch identity run, as after any import: links re-registrations, fills the review queue."""
        from mirps.identity.batch import run_execute
        from mirps.identity.models import Run

        admin = next(users[d.username] for d in DEMO_USERS if d.role == Role.ADMINISTRATOR)
        run = run_execute(Run.objects.create(train=True, started_by=admin).pk)
        self.stdout.write(
            f"Identity resolution: {run.records:,} person records, {run.moved:,} linked to an earlier record, "
            f"{run.review_items:,} pairs to review ({run.status}, {sum(run.timings.values()):.1f} s)."
        )

    def _plan_and_cooperation(self, users: dict[str, Any], opts: dict[str, Any]) -> None:
        """The illustrative action plan, cooperation records and the 2022 meeting (issue 3)."""
        from mirps.cooperation.demo import seed_demo as cooperation_seed
        from mirps.meetings.demo import seed_demo as meetings_seed
        from mirps.plan.demo import seed_demo as plan_seed
        from mirps.plan.models import Plan

        if Plan.objects.exists():
            return
        coordinator = next(users[d.username] for d in DEMO_USERS if d.role == Role.COORDINATOR)
        started = time.perf_counter()
        counts: dict[str, int] = {}
        for seed in (plan_seed, cooperation_seed, meetings_seed):
            counts.update(seed(rng=random.Random(opts["seed"]), coordinator=coordinator))
        summary = ", ".join(f"{v:,} {k}" for k, v in counts.items())
        self.stdout.write(f"Action plan and cooperation: {summary} in {time.perf_counter() - started:.1f} s.")

    def _progress(self, done: int, seconds: float) -> None:
        sys.stderr.write(f"  {done:,} arrivals, {done / max(seconds, 1e-6):,.0f}/s\n")
