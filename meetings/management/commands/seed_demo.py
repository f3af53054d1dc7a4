"""Load the demo data of every app; running it again changes nothing."""

from django.core.management.base import BaseCommand
from django.db import transaction

from documents import demo as documents_demo
from governance import demo as governance_demo
from governance import demo_cases
from meetings import demo as meetings_demo
from meetings import governing_demo


class Command(BaseCommand):
    help = "Lägger in demodata: organ, delregioner, kommuner, fiktiva personer och en inloggning per roll."

    @transaction.atomic
    def handle(self, *args, **options):
        governance_demo.seed()
        demo_cases.seed()  # processes, the reference group's backlog, the process forums
        documents_demo.seed()
        meetings_demo.seed()
        meetings_demo.seed_vvg_proposals()  # seed 001's four proposals as cases decided by VVG
        documents_demo.seed_budget_decision(meetings_demo.sitiv_budget_decision())  # SITIV decides the 2026 budget
        governing_demo.seed()  # the discharge routine's versions, a supplement, proposals (issue 13)
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS("Demodata finns på plats."))
